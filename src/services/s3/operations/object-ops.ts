/** PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects. */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  PutObjectRequest, PutObjectOutput, GetObjectRequest, GetObjectOutput, HeadObjectRequest, HeadObjectOutput,
  DeleteObjectRequest, DeleteObjectOutput, DeleteObjectsRequest, DeleteObjectsOutput, DeletedObject,
} from '../../../models/generated/s3.js';
import type { ObjectRow, S3Store } from '../store.js';
import { requireBucket } from '../buckets.js';
import { malformedXml, noSuchKey } from '../errors.js';
import { receiveBody } from '../receive.js';
import { checkReadConditions, checkWriteConditions } from '../conditions.js';
import { headersFrom, readOutput } from '../objects.js';
import { CHECKSUM_MEMBER } from '../checksums.js';

const MAX_DELETE_KEYS = 1000;
const RANGE = /^bytes=(\d*)-(\d*)$/;

/** PutObject: the body streams to a blob; the object row is committed only once the blob is whole and verified. */
export async function putObject(store: S3Store, ctx: RequestContext, input: PutObjectRequest): Promise<PutObjectOutput> {
  requireBucket(store, ctx, input.Bucket);
  const conditional = input.IfMatch !== undefined || input.IfNoneMatch !== undefined;
  if (conditional) checkWriteConditions(input, store.object(input.Bucket, input.Key)?.etag, input.Key, noSuchKey);
  const body = await receiveBody(store.storage.blobs, input.Body!, input);
  const row: ObjectRow = {
    bucket: input.Bucket, key: input.Key, blob: body.blob, size: body.size, etag: body.md5.toString('hex'), modified: ctx.clock.now(),
    ...headersFrom(input),
    checksum_algorithm: body.algorithm, checksum_value: body.checksum, checksum_type: 'FULL_OBJECT', parts_count: null,
  };
  let replaced: string | undefined;
  try {
    // The bucket may have gone, or the key changed, while the body streamed.
    store.storage.db.transaction(() => {
      requireBucket(store, ctx, input.Bucket);
      if (conditional) checkWriteConditions(input, store.object(input.Bucket, input.Key)?.etag, input.Key, noSuchKey);
      replaced = store.putObject(row);
    })();
  } catch (e) {
    store.dropBlobs([body.blob]);
    throw e;
  }
  store.dropBlobs([replaced]);
  return { ETag: `"${row.etag}"`, [CHECKSUM_MEMBER[body.algorithm]]: body.checksum, ChecksumType: 'FULL_OBJECT', ServerSideEncryption: 'AES256' };
}

/** A byte range of an object, `unsatisfiable`, or undefined when the header is to be ignored (S3 ignores ranges it cannot parse). */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = RANGE.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
}

function findObject(store: S3Store, ctx: RequestContext, bucket: string, key: string): ObjectRow {
  requireBucket(store, ctx, bucket);
  const row = store.object(bucket, key);
  if (!row) throw noSuchKey(key);
  return row;
}

function rangeOf(input: { Range?: string }, row: ObjectRow): { start: number; end: number } | undefined {
  if (input.Range === undefined) return undefined;
  const r = parseRange(input.Range, row.size);
  if (r === 'unsatisfiable') {
    throw new ServiceError('InvalidRange', 'The requested range is not satisfiable', { status: 416, fields: { RangeRequested: input.Range, ActualObjectSize: row.size }, headers: { 'Content-Range': `bytes */${row.size}` } });
  }
  return r;
}

/** GetObject: the blob streamed, whole or a range (206), after the conditional headers. */
export async function getObject(store: S3Store, ctx: RequestContext, input: GetObjectRequest): Promise<GetObjectOutput> {
  const row = findObject(store, ctx, input.Bucket, input.Key);
  checkReadConditions(input, row.etag, row.modified, new Date(row.modified).toUTCString());
  const range = rangeOf(input, row);
  const out = readOutput(row, input.ChecksumMode, range === undefined) as GetObjectOutput;
  if (range) {
    out.ContentRange = `bytes ${range.start}-${range.end}/${row.size}`;
    out.ContentLength = range.end - range.start + 1;
  } else {
    out.ContentLength = row.size;
  }
  // Response-* query parameters override the stored headers of this answer only.
  if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType;
  if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage;
  if (input.ResponseContentDisposition !== undefined) out.ContentDisposition = input.ResponseContentDisposition;
  if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding;
  if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl;
  if (input.ResponseExpires !== undefined) out.Expires = input.ResponseExpires.toUTCString();
  out.Body = row.size === 0 ? Buffer.alloc(0) : store.storage.blobs.read(row.blob, range);
  return out;
}

/** HeadObject: GetObject's headers without the body. */
export async function headObject(store: S3Store, ctx: RequestContext, input: HeadObjectRequest): Promise<HeadObjectOutput> {
  const row = findObject(store, ctx, input.Bucket, input.Key);
  checkReadConditions(input, row.etag, row.modified, new Date(row.modified).toUTCString());
  const range = rangeOf(input, row);
  const out = readOutput(row, input.ChecksumMode, range === undefined) as HeadObjectOutput;
  out.ContentLength = range ? range.end - range.start + 1 : row.size;
  if (range) out.ContentRange = `bytes ${range.start}-${range.end}/${row.size}`;
  return out;
}

/** DeleteObject: 204 whether or not the key existed. */
export async function deleteObject(store: S3Store, ctx: RequestContext, input: DeleteObjectRequest): Promise<DeleteObjectOutput> {
  requireBucket(store, ctx, input.Bucket);
  if (input.IfMatch !== undefined) {
    const row = store.object(input.Bucket, input.Key);
    if (row) checkWriteConditions({ IfMatch: input.IfMatch }, row.etag, input.Key, noSuchKey);
  }
  store.dropBlobs([store.deleteObject(input.Bucket, input.Key)]);
  return {};
}

/** DeleteObjects: up to 1,000 keys; each reported deleted (unless Quiet) or with its own error. */
export async function deleteObjects(store: S3Store, ctx: RequestContext, input: DeleteObjectsRequest): Promise<DeleteObjectsOutput> {
  requireBucket(store, ctx, input.Bucket);
  const objects = input.Delete?.Objects ?? [];
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw malformedXml();
  const deleted: DeletedObject[] = [];
  const errors: DeleteObjectsOutput['Errors'] = [];
  const blobs: (string | undefined)[] = [];
  store.storage.db.transaction(() => {
    for (const o of objects) {
      if (o.Key === undefined) throw malformedXml();
      if (o.ETag !== undefined) {
        const row = store.object(input.Bucket, o.Key);
        if (row && o.ETag.replace(/"/g, '') !== row.etag) {
          errors.push({ Key: o.Key, Code: 'PreconditionFailed', Message: 'At least one of the pre-conditions you specified did not hold' });
          continue;
        }
      }
      blobs.push(store.deleteObject(input.Bucket, o.Key));
      const d: DeletedObject = { Key: o.Key };
      if (o.VersionId !== undefined) d.VersionId = o.VersionId;
      deleted.push(d);
    }
  })();
  store.dropBlobs(blobs);
  const out: DeleteObjectsOutput = {};
  if (!input.Delete?.Quiet && deleted.length > 0) out.Deleted = deleted;
  if (errors.length > 0) out.Errors = errors;
  return out;
}
