/**
 * A browser POST upload (multipart/form-data): the fields before the file part are
 * collected, checked against the signed policy, then the file part streams to a blob
 * and becomes the object, as PutObject would store it. The caller's `authorize` checks
 * the form's signature (x-amz-credential, x-amz-signature) and names who uploads.
 */
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type busboyFn from 'busboy';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../gateway/context.js';
import type { PutObjectRequest } from '../../models/generated/s3.js';
import type { S3Store } from './store.js';
import { checkPolicyFields, checkPolicySize, decodePolicy } from './post-policy.js';
import { putObject } from './operations/object-ops.js';

/** What a POST upload answers: the status chosen by success_action_status and the object written. */
export interface PostObjectResult {
  status: 200 | 201 | 204 | 303;
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  /** success_action_redirect with bucket, key and etag appended (303). */
  redirect?: string;
}

const MAX_FIELDS_BYTES = 20 * 1024;

// busboy is CommonJS: required at the first POST upload (the bundle keeps it external, like better-sqlite3).
let busboyModule: typeof busboyFn | undefined;
function busboy(config: busboyFn.BusboyConfig): busboyFn.Busboy {
  busboyModule ??= createRequire(import.meta.url)('busboy') as typeof busboyFn;
  return busboyModule(config);
}

function invalidArgument(message: string, name: string, value: string): ServiceError {
  return new ServiceError('InvalidArgument', message, { status: 400, fields: { ArgumentName: name, ArgumentValue: value } });
}

/** The PutObject input a form describes (headers, metadata, tagging as form fields). */
function putInputOf(bucket: string, key: string, fields: ReadonlyMap<string, string>, fileType: string | undefined, body: Readable): PutObjectRequest {
  const meta: Record<string, string> = {};
  for (const [k, v] of fields) if (k.startsWith('x-amz-meta-')) meta[k.slice('x-amz-meta-'.length)] = v;
  const input: PutObjectRequest = { Bucket: bucket, Key: key, Body: body };
  const contentType = fields.get('content-type') ?? fileType;
  if (contentType !== undefined) input.ContentType = contentType;
  if (fields.has('cache-control')) input.CacheControl = fields.get('cache-control');
  if (fields.has('content-disposition')) input.ContentDisposition = fields.get('content-disposition');
  if (fields.has('content-encoding')) input.ContentEncoding = fields.get('content-encoding');
  if (fields.has('x-amz-storage-class')) input.StorageClass = fields.get('x-amz-storage-class') as PutObjectRequest['StorageClass'];
  if (fields.has('acl')) input.ACL = fields.get('acl') as PutObjectRequest['ACL'];
  if (fields.has('x-amz-website-redirect-location')) input.WebsiteRedirectLocation = fields.get('x-amz-website-redirect-location');
  if (fields.has('expires')) input.Expires = fields.get('expires');
  if (fields.has('content-language')) input.ContentLanguage = fields.get('content-language');
  if (Object.keys(meta).length > 0) input.Metadata = meta;
  return input;
}

/** Passes a body through, checking its running size (too large as soon as it is, too small at the end), so a refused body is never stored. */
async function* withinRange(body: AsyncIterable<Buffer>, check: (size: number, done: boolean) => void): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    check(size, false);
    yield chunk;
  }
  check(size, true);
}

/**
 * Receives a POST upload to `bucket`: `form` is the request body, `contentType` its header.
 * Rejects with S3's errors: a missing key or file, policy failures, sizes outside the range.
 */
export function postObject(store: S3Store, bucket: string, contentType: string, form: Readable, authorize: (fields: ReadonlyMap<string, string>) => RequestContext): Promise<PostObjectResult> {
  return new Promise<PostObjectResult>((resolve, reject) => {
    const fields = new Map<string, string>();
    let sawFile = false;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      form.unpipe();
      form.resume();
      reject(e);
    };
    let parser: busboyFn.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { fieldSize: MAX_FIELDS_BYTES, files: 1 } });
    } catch {
      reject(new ServiceError('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', { status: 400 }));
      return;
    }
    // S3 ignores fields after the file part, as the file must come last.
    parser.on('field', (name, value) => { if (!sawFile) fields.set(name.toLowerCase(), value); });
    parser.on('file', (_name, stream, info) => {
      sawFile = true;
      if (settled) { stream.resume(); return; }
      try {
        const keyField = fields.get('key');
        if (keyField === undefined) throw invalidArgument('Bucket POST must contain a field named \'key\'.  If it is specified, please check the order of the fields.', 'key', '');
        const key = keyField.replace(/\$\{filename\}/g, info.filename ?? '');
        // The signature covers the policy field; the signer is who uploads.
        const ctx = authorize(fields);
        const policyField = fields.get('policy');
        let body: Readable = stream;
        if (policyField !== undefined) {
          const policy = decodePolicy(policyField);
          checkPolicyFields(policy, fields, bucket, ctx.clock.now());
          body = Readable.from(withinRange(stream, (n, done) => checkPolicySize(policy, n, done)));
        }
        putObject(store, ctx, putInputOf(bucket, key, fields, info.mimeType, body), 'ObjectCreated:Post').then((out) => {
          const status = fields.get('success_action_status');
          const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
          const result: PostObjectResult = { status: status === '200' ? 200 : status === '201' ? 201 : 204, bucket, key, etag: out.ETag! };
          if (out.VersionId !== undefined) result.versionId = out.VersionId;
          if (redirect !== undefined) {
            const u = new URL(redirect);
            u.searchParams.set('bucket', bucket);
            u.searchParams.set('key', key);
            u.searchParams.set('etag', out.ETag!);
            result.status = 303;
            result.redirect = u.toString();
          }
          settled = true;
          resolve(result);
        }).catch(fail);
      } catch (e) {
        stream.resume();
        fail(e);
      }
    });
    parser.on('error', () => fail(new ServiceError('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', { status: 400 })));
    parser.on('close', () => {
      if (!sawFile) fail(invalidArgument('POST requires exactly one file upload per request.', 'file', '0'));
    });
    form.pipe(parser);
  });
}
