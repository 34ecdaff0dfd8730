// S3 data path, path-style, SigV4 header auth, against s3rver (files on /dev/shm) and
// the node:http floor. Nimbus persists to a temporary --data-dir (every PUT: a blob
// written and fsynced, a row committed to SQLite before the answer), its request log
// at warn like the peer's `-s`.
//   s3-get       GetObject of 1 KiB (four keys rotating)
//   s3-put       PutObject of 1 KiB (four keys rotating, each PUT replaces an object)
//   s3-get-1mib  GetObject of 1 MiB: the GB/s figure is ops/s x 1 MiB (bench/s3.mjs prints it)
//   s3-list      ListObjectsV2, one 1,000-key page of a 100,000-key bucket (four StartAfter rotating)
import http from 'node:http';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { signRequest } from '../lib/sigv4.mjs';
import { floorTarget, persistentNimbus, s3rverTarget } from '../lib/targets.mjs';
import { BUCKET, LARGE_BODY, LARGE_KEY, LIST_BUCKET, LIST_PAGE, OBJECT_BODY, OBJECT_KEYS, listKey, listStarts } from './s3-data.mjs';

const REGION = 'us-east-1';
// s3rver knows one account, S3RVER, and checks signatures with its secret.
const credentialsOf = (name) => (name === 's3rver' ? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } : { accessKeyId: 'test', secretAccessKey: 'test' });
/** Target names by endpoint: the SDK phase gets only the endpoint. */
const names = new Map();

function s3Request(server, method, path, body) {
  const headers = { host: `${server.host}:${server.port}`, 'user-agent': 'nimbus-bench' };
  if (body) {
    headers['content-type'] = 'application/octet-stream';
    headers['content-length'] = String(body.length);
  }
  return signRequest({ method, path, headers, body }, { ...credentialsOf(server.name), region: REGION, service: 's3' });
}

function client(endpoint, name) {
  return new S3Client({ endpoint, region: REGION, credentials: credentialsOf(name), forcePathStyle: true, maxAttempts: 1 });
}

async function createBucket(c, bucket) {
  await c.send(new CreateBucketCommand({ Bucket: bucket })).catch((e) => {
    if (e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
  });
}

/** Creates the bench bucket and its objects (nothing on the floor, which answers canned). */
async function setup(server, target) {
  const endpoint = `http://${server.host}:${server.port}`;
  names.set(endpoint, target.name);
  if (target.name === 'floor') return;
  const c = client(endpoint, target.name);
  try {
    await createBucket(c, BUCKET);
    for (const key of OBJECT_KEYS) await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: OBJECT_BODY }));
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: LARGE_KEY, Body: LARGE_BODY }));
  } finally {
    c.destroy();
  }
}

/**
 * Sends the signed requests `count` of them from `make(i)`, `concurrency` at a time over
 * keep-alive connections; throws on the first answer that is not 2xx.
 */
export async function sendMany(server, count, make, concurrency = 32) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const send = (r) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: server.host, port: server.port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => (res.statusCode >= 300 ? reject(new Error(`${r.method} ${r.path}: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`)) : resolve()));
      });
      req.on('error', reject);
      req.end(r.body);
    });
  const worker = async () => {
    while (next < count) await send(make(next++));
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  } finally {
    agent.destroy();
  }
}

/** Keys in the listing bucket; `NIMBUS_BENCH_S3_LIST_KEYS` lowers it for trial runs. */
export const LIST_KEYS = Math.max(LIST_PAGE * 2, Number(process.env.NIMBUS_BENCH_S3_LIST_KEYS) || 100_000);
const LIST_STARTS = listStarts(LIST_KEYS);

/** Creates the listing bucket with LIST_KEYS empty objects by concurrent PutObject (32 connections). */
async function setupList(server, target) {
  const endpoint = `http://${server.host}:${server.port}`;
  names.set(endpoint, target.name);
  if (target.name === 'floor') return;
  const c = client(endpoint, target.name);
  try {
    await createBucket(c, LIST_BUCKET);
  } finally {
    c.destroy();
  }
  const t0 = performance.now();
  await sendMany(server, LIST_KEYS, (i) => s3Request(server, 'PUT', `/${LIST_BUCKET}/${listKey(i)}`, Buffer.alloc(0)));
  console.error(`[bench] ${target.name}: ${LIST_KEYS} keys created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const targets = (canned) => [floorTarget(canned), persistentNimbus({ logLevel: 'warn' }), s3rverTarget()];
const statusOf = (response) => (response.status !== 200 ? `status ${response.status}: ${response.body.toString('utf8').slice(0, 300)}` : undefined);

/** GetObject of a 1 KiB object, four keys rotating. */
export const s3GetWorkload = {
  name: 's3-get',
  title: 'S3 GetObject 1 KiB (path-style, SigV4)',
  baseline: 'floor',
  targets: targets('s3-get'),
  setup,
  requests(server) {
    return OBJECT_KEYS.map((key) => s3Request(server, 'GET', `/${BUCKET}/${key}`));
  },
  check(response) {
    if (statusOf(response)) return statusOf(response);
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
    return OBJECT_KEYS.map((key) => s3Request(server, 'PUT', `/${BUCKET}/put-${key}`, OBJECT_BODY));
  },
  check(response) {
    if (statusOf(response)) return statusOf(response);
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

/** GetObject of a 1 MiB object: the bytes/s a GET can serve (ops/s x 1 MiB). */
export const s3Get1MiBWorkload = {
  name: 's3-get-1mib',
  title: 'S3 GetObject 1 MiB (path-style, SigV4)',
  baseline: 'floor',
  bytesPerRequest: LARGE_BODY.length,
  targets: targets('s3-get-1mib'),
  setup,
  requests(server) {
    return [s3Request(server, 'GET', `/${BUCKET}/${LARGE_KEY}`)];
  },
  check(response) {
    if (statusOf(response)) return statusOf(response);
    if (!response.body.equals(LARGE_BODY)) return `unexpected body of ${response.body.length} bytes`;
    return undefined;
  },
  sdk(endpoint) {
    const c = client(endpoint, names.get(endpoint));
    const call = async () => {
      const r = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: LARGE_KEY }));
      await r.Body.transformToByteArray();
    };
    return { call, close: () => c.destroy() };
  },
};

/** ListObjectsV2 of one full 1,000-key page from a LIST_KEYS-key bucket, four StartAfter rotating. */
export const s3ListWorkload = {
  name: 's3-list',
  title: `S3 ListObjectsV2 1,000 keys of ${LIST_KEYS.toLocaleString('en')} (path-style, SigV4)`,
  baseline: 'floor',
  targets: targets('s3-list'),
  setup: setupList,
  requests(server) {
    // No max-keys: S3's default page is 1,000 keys, and s3rver 3.7.1 answers 500 to any max-keys.
    return LIST_STARTS.map((start) => s3Request(server, 'GET', `/${LIST_BUCKET}?list-type=2&start-after=${start}`));
  },
  check(response) {
    if (statusOf(response)) return statusOf(response);
    const text = response.body.toString('utf8');
    const keys = text.match(/<Key>/g)?.length ?? 0;
    if (keys !== LIST_PAGE || !text.includes('<IsTruncated>true</IsTruncated>')) return `expected a truncated page of ${LIST_PAGE} keys, got ${keys}`;
    return undefined;
  },
  sdk(endpoint) {
    const c = client(endpoint, names.get(endpoint));
    let i = 0;
    const call = () => c.send(new ListObjectsV2Command({ Bucket: LIST_BUCKET, StartAfter: LIST_STARTS[i++ % LIST_STARTS.length] }));
    return { call, close: () => c.destroy() };
  },
};
