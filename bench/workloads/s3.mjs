// S3 PutObject and GetObject of 1 KiB, path-style, SigV4 header auth: the object data
// path (a durable blob write plus a metadata row per PUT; a row lookup and a streamed
// blob per GET) against s3rver (files on /dev/shm) and the node:http floor. Nimbus
// runs --ephemeral (blobs in a temp dir, metadata in memory) like the peer's tmpfs.
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { signRequest } from '../lib/sigv4.mjs';
import { floorTarget, nimbusTarget, s3rverTarget } from '../lib/targets.mjs';
import { BUCKET, OBJECT_BODY, OBJECT_KEYS } from './s3-data.mjs';

const REGION = 'us-east-1';
// s3rver knows one account, S3RVER, and checks signatures with its secret.
const credentialsOf = (name) => (name === 's3rver' ? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } : { accessKeyId: 'test', secretAccessKey: 'test' });
/** Target names by endpoint: the SDK phase gets only the endpoint. */
const names = new Map();

function s3Request(server, method, key, body) {
  const headers = { host: `${server.host}:${server.port}`, 'user-agent': 'nimbus-bench' };
  if (body) {
    headers['content-type'] = 'application/octet-stream';
    headers['content-length'] = String(body.length);
  }
  return signRequest({ method, path: `/${BUCKET}/${key}`, headers, body }, { ...credentialsOf(server.name), region: REGION, service: 's3' });
}

function client(endpoint, name) {
  return new S3Client({ endpoint, region: REGION, credentials: credentialsOf(name), forcePathStyle: true, maxAttempts: 1 });
}

/** Creates the bench bucket and its objects (nothing on the floor, which answers canned). */
async function setup(server, target) {
  const endpoint = `http://${server.host}:${server.port}`;
  names.set(endpoint, target.name);
  if (target.name === 'floor') return;
  const c = client(endpoint, target.name);
  try {
    await c.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((e) => {
      if (e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
    });
    for (const key of OBJECT_KEYS) await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: OBJECT_BODY }));
  } finally {
    c.destroy();
  }
}

const targets = (canned) => [floorTarget(canned), nimbusTarget(), s3rverTarget()];

/** GetObject of a 1 KiB object, four keys rotating. */
export const s3GetWorkload = {
  name: 's3-get',
  title: 'S3 GetObject 1 KiB (path-style, SigV4)',
  baseline: 'floor',
  targets: targets('s3-get'),
  setup,
  requests(server) {
    return OBJECT_KEYS.map((key) => s3Request(server, 'GET', key));
  },
  check(response) {
    if (response.status !== 200) return `status ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`;
    if (!response.body.equals(OBJECT_BODY)) return `unexpected body of ${response.body.length} bytes`;
    return undefined;
  },
  sdk(endpoint) {
    const c = client(endpoint, names.get(endpoint));
    let i = 0;
    const call = async () => {
      const r = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: OBJECT_KEYS[i++ % OBJECT_KEYS.length] }));
      await r.Body.transformToByteArray();
    };
    return { call, close: () => c.destroy() };
  },
};

/** PutObject of 1 KiB, four keys rotating (each PUT replaces an object). */
export const s3PutWorkload = {
  name: 's3-put',
  title: 'S3 PutObject 1 KiB (path-style, SigV4)',
  baseline: 'floor',
  targets: targets('s3-put'),
  setup,
  requests(server) {
    return OBJECT_KEYS.map((key) => s3Request(server, 'PUT', `put-${key}`, OBJECT_BODY));
  },
  check(response) {
    if (response.status !== 200) return `status ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`;
    if (!/^"[0-9a-f]{32}"$/.test(String(response.headers?.etag ?? ''))) return `no ETag: ${JSON.stringify(response.headers)}`;
    return undefined;
  },
  sdk(endpoint) {
    const c = client(endpoint, names.get(endpoint));
    let i = 0;
    const call = () => c.send(new PutObjectCommand({ Bucket: BUCKET, Key: `sdk-${i++ % 4}`, Body: OBJECT_BODY }));
    return { call, close: () => c.destroy() };
  },
};
