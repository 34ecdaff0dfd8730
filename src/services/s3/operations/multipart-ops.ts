/**
 * Multipart uploads: parts stream to blobs of their own; completion checks the part
 * list, concatenates the parts into the object's blob (computing a full-object
 * checksum as it goes) and swaps the rows in one transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  CreateMultipartUploadRequest, CreateMultipartUploadOutput, UploadPartRequest, UploadPartOutput,
  UploadPartCopyRequest, UploadPartCopyOutput, CompleteMultipartUploadRequest, CompleteMultipartUploadOutput,
  AbortMultipartUploadRequest, AbortMultipartUploadOutput, ListPartsRequest, ListPartsOutput, Part,
  ListMultipartUploadsRequest, ListMultipartUploadsOutput, MultipartUpload, ChecksumAlgorithm, ChecksumType,
} from '../../../models/generated/s3.js';
import type { BucketRow, ObjectRow, S3Store, UploadRow } from '../store.js';
import { NULL_VERSION } from '../store.js';
import { reportsVersion, versionIdFor } from '../versions.js';
import { encodeTags, parseTaggingHeader } from '../tagging.js';
import { currentEtag } from './object-ops.js';
import { ownerOf, requireBucket } from '../buckets.js';
import { completeUploadGrants, requestedGrants, saveUploadGrants } from './acl-ops.js';
import { recordParts } from '../attributes.js';
import type { PartRow } from '../store.js';
import { invalidArgument, malformedXml, noSuchKey, noSuchUpload } from '../errors.js';
import { receiveBody } from '../receive.js';
import { headersFrom } from '../objects.js';
import { checkWriteConditions } from '../conditions.js';
import { CHECKSUM_MEMBER, createHasher, isAlgorithm, type ChecksumAlgorithmName } from '../checksums.js';
import { copyBlob, copySourceObject } from './copy-ops.js';
import { parseRange } from './object-ops.js';
import { urlEncodeKey } from './list-ops.js';
import { applyLock, forgetOverwrittenVersion, forgetUploadState, lockForCompletion, lockForWrite, locksOf } from '../object-lock.js';
import { abortOf, expirationOf } from './lifecycle-ops.js';
import { notifyObject } from '../notification-delivery.js';

/** Every part but the last must be at least 5 MiB (Amazon S3 multipart upload limits). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10000;
const MAX_LIST = 1000;

function newUploadId(now: number): string {
  // Time first, so that uploads of one key list in initiation order.
  return now.toString(36).padStart(9, '0') + randomBytes(24).toString('base64url');
}

function requireUpload(store: S3Store, ctx: RequestContext, bucket: string, key: string, uploadId: string): UploadRow {
  requireBucket(store, ctx, bucket);
  const u = store.upload(uploadId);
  if (!u || u.bucket !== bucket || u.key !== key) throw noSuchUpload(uploadId);
  return u;
}

function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(n));
  }
}

/** CreateMultipartUpload: the object's headers and checksum choice are kept for completion. */
export async function createMultipartUpload(store: S3Store, ctx: RequestContext, input: CreateMultipartUploadRequest): Promise<CreateMultipartUploadOutput> {
  requireBucket(store, ctx, input.Bucket);
  const named = input.ChecksumAlgorithm?.toUpperCase();
  const algorithm = isAlgorithm(named) ? named : undefined;
  let type: ChecksumType | undefined = input.ChecksumType;
  if (algorithm !== undefined) {
    type ??= algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
    if ((type === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) || (type === 'COMPOSITE' && algorithm === 'CRC64NVME')) {
      throw new ServiceError('InvalidRequest', `The ${type} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`, { status: 400 });
    }
  } else if (type !== undefined) {
    throw new ServiceError('InvalidRequest', 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.', { status: 400 });
  }
  const grants = requestedGrants(store, input.Bucket, ctx.account, input, false);
  const now = ctx.clock.now();
  const row: UploadRow = {
    upload_id: newUploadId(now), bucket: input.Bucket, key: input.Key, initiated: now, account: ctx.account,
    ...headersFrom(input), checksum_algorithm: algorithm ?? null, checksum_type: type ?? null,
    tags: input.Tagging !== undefined ? encodeTags(parseTaggingHeader(input.Tagging)) : null,
  };
  const lock = lockForWrite(store, input.Bucket, input, now);
  store.storage.db.transaction(() => {
    store.insertUpload(row);
    if (lock) locksOf(store).setUpload(row.upload_id, lock);
    saveUploadGrants(store, row.upload_id, grants);
  })();
  const out: CreateMultipartUploadOutput = { Bucket: input.Bucket, Key: input.Key, UploadId: row.upload_id, ServerSideEncryption: 'AES256' };
  Object.assign(out, abortOf(store, input.Bucket, input.Key, now));
  if (algorithm) {
    out.ChecksumAlgorithm = algorithm as ChecksumAlgorithm;
    out.ChecksumType = type;
  }
  return out;
}

function partChecksumOutput(upload: UploadRow, algorithm: ChecksumAlgorithmName, value: string | null, declared: boolean): Record<string, string> {
  if (value === null || (upload.checksum_algorithm === null && !declared)) return {};
  return { [CHECKSUM_MEMBER[algorithm]]: value };
}

/** UploadPart: a part replaces an earlier part of the same number. */
export async function uploadPart(store: S3Store, ctx: RequestContext, input: UploadPartRequest): Promise<UploadPartOutput> {
  checkPartNumber(input.PartNumber);
  const upload = requireUpload(store, ctx, input.Bucket, input.Key, input.UploadId);
  const uploadAlgorithm = isAlgorithm(upload.checksum_algorithm ?? undefined) ? upload.checksum_algorithm as ChecksumAlgorithmName : 'CRC32';
  const body = await receiveBody(store.storage.blobs, input.Body!, input, uploadAlgorithm);
  let replaced: string | undefined;
  try {
    store.storage.db.transaction(() => {
      if (!store.upload(input.UploadId)) throw noSuchUpload(input.UploadId);
      replaced = store.putPart({ upload_id: input.UploadId, part_number: input.PartNumber, blob: body.blob, size: body.size, etag: body.md5.toString('hex'), modified: ctx.clock.now(), checksum_value: body.algorithm === uploadAlgorithm ? body.checksum : null });
    })();
  } catch (e) {
    store.dropBlobs([body.blob]);
    throw e;
  }
  store.dropBlobs([replaced]);
  const declared = input.ChecksumAlgorithm !== undefined || CHECKSUM_MEMBER[body.algorithm] in input;
  return { ETag: `"${body.md5.toString('hex')}"`, ServerSideEncryption: 'AES256', ...partChecksumOutput(upload, body.algorithm, body.checksum, declared) };
}

/** UploadPartCopy: a part made of an existing object's bytes, whole or a range. */
export async function uploadPartCopy(store: S3Store, ctx: RequestContext, input: UploadPartCopyRequest): Promise<UploadPartCopyOutput> {
  checkPartNumber(input.PartNumber);
  const upload = requireUpload(store, ctx, input.Bucket, input.Key, input.UploadId);
  const source = copySourceObject(store, ctx, input.CopySource, input);
  let range: { start: number; end: number } | undefined;
  if (input.CopySourceRange !== undefined) {
    const r = /^bytes=\d+-\d+$/.test(input.CopySourceRange) ? parseRange(input.CopySourceRange, source.size) : undefined;
    if (r === undefined) throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', input.CopySourceRange);
    if (r === 'unsatisfiable' || Number(input.CopySourceRange.split('-')[1]) >= source.size) {
      throw invalidArgument(`Range specified is not valid for source object of size: ${source.size}`, 'x-amz-copy-source-range', input.CopySourceRange);
    }
    range = r;
  }
  const algorithm = isAlgorithm(upload.checksum_algorithm ?? undefined) ? upload.checksum_algorithm as ChecksumAlgorithmName : undefined;
  const copied = await copyBlob(store, source.blob, range, algorithm ?? 'CRC32');
  const now = ctx.clock.now();
  let replaced: string | undefined;
  try {
    store.storage.db.transaction(() => {
      if (!store.upload(input.UploadId)) throw noSuchUpload(input.UploadId);
      replaced = store.putPart({ upload_id: input.UploadId, part_number: input.PartNumber, blob: copied.blob, size: copied.size, etag: copied.md5, modified: now, checksum_value: copied.checksum ?? null });
    })();
  } catch (e) {
    store.dropBlobs([copied.blob]);
    throw e;
  }
  store.dropBlobs([replaced]);
  const result: UploadPartCopyOutput['CopyPartResult'] = { ETag: `"${copied.md5}"`, LastModified: new Date(now) };
  if (algorithm && copied.checksum) (result as Record<string, unknown>)[CHECKSUM_MEMBER[algorithm]] = copied.checksum;
  const out: UploadPartCopyOutput = { CopyPartResult: result, ServerSideEncryption: 'AES256' };
  if (reportsVersion(store.bucket(source.bucket)!, source)) out.CopySourceVersionId = source.version_id;
  return out;
}

function invalidPart(uploadId: string, partNumber: number, etag: string | undefined): ServiceError {
  return new ServiceError('InvalidPart', 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.', { status: 400, fields: { UploadId: uploadId, PartNumber: partNumber, ETag: etag } });
}

/** CompleteMultipartUpload. */
export async function completeMultipartUpload(store: S3Store, ctx: RequestContext, input: CompleteMultipartUploadRequest): Promise<CompleteMultipartUploadOutput> {
  const upload = requireUpload(store, ctx, input.Bucket, input.Key, input.UploadId);
  const listed = input.MultipartUpload?.Parts ?? [];
  if (listed.length === 0) throw malformedXml();
  const stored = new Map(store.parts(input.UploadId).map((p) => [p.part_number, p]));
  const parts = [];
  let previous = 0;
  for (const p of listed) {
    if (p.PartNumber === undefined) throw malformedXml();
    if (p.PartNumber <= previous) throw new ServiceError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', { status: 400, fields: { UploadId: input.UploadId } });
    previous = p.PartNumber;
    const part = stored.get(p.PartNumber);
    if (!part || p.ETag === undefined || p.ETag.replace(/"/g, '') !== part.etag) throw invalidPart(input.UploadId, p.PartNumber, p.ETag);
    parts.push(part);
  }
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (part.size < MIN_PART_SIZE) {
      throw new ServiceError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', { status: 400, fields: { ProposedSize: part.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: part.part_number, ETag: `"${part.etag}"` } });
    }
  }
  checkWriteConditions(input, currentEtag(store, input.Bucket, input.Key), input.Key, noSuchKey);
  const named = upload.checksum_algorithm ?? undefined;
  const algorithm: ChecksumAlgorithmName = isAlgorithm(named) ? named : 'CRC64NVME';
  const type = upload.checksum_type ?? 'FULL_OBJECT';
  // The object's blob: the parts' bytes in order; a full-object checksum is computed on the way.
  const hasher = type === 'FULL_OBJECT' ? createHasher(algorithm) : undefined;
  const blobs = store.storage.blobs;
  const info = await blobs.write((async function* () {
    for (const part of parts) {
      for await (const chunk of blobs.read(part.blob) as AsyncIterable<Buffer>) {
        hasher?.update(chunk);
        yield chunk;
      }
    }
  })());
  let checksum: string;
  if (hasher) checksum = await hasher.digest();
  else {
    const composite = createHasher(algorithm);
    for (const part of parts) composite.update(Buffer.from(part.checksum_value ?? '', 'base64'));
    checksum = `${await composite.digest()}-${parts.length}`;
  }
  const md5s = createHash('md5');
  for (const part of parts) md5s.update(Buffer.from(part.etag, 'hex'));
  const row: ObjectRow = {
    bucket: input.Bucket, key: input.Key, blob: info.id, size: info.size, etag: `${md5s.digest('hex')}-${parts.length}`, modified: ctx.clock.now(),
    content_type: upload.content_type, cache_control: upload.cache_control, content_disposition: upload.content_disposition,
    content_encoding: upload.content_encoding, content_language: upload.content_language, expires: upload.expires,
    website_redirect: upload.website_redirect, storage_class: upload.storage_class, metadata: upload.metadata,
    checksum_algorithm: algorithm, checksum_value: checksum, checksum_type: type, parts_count: parts.length,
    version_id: NULL_VERSION, delete_marker: 0, seq: 0, tags: upload.tags,
  };
  const partList: readonly PartRow[] = parts;
  let released: string[] = [];
  let bucket: BucketRow | undefined;
  try {
    store.storage.db.transaction(() => {
      if (!store.upload(input.UploadId)) throw noSuchUpload(input.UploadId);
      bucket = requireBucket(store, ctx, input.Bucket);
      checkWriteConditions(input, currentEtag(store, input.Bucket, input.Key), input.Key, noSuchKey);
      row.version_id = versionIdFor(bucket);
      row.seq = store.newSeq();
      const lock = lockForCompletion(store, input.Bucket, input.UploadId, row.modified);
      forgetOverwrittenVersion(store, input.Bucket, row.key, row.version_id);
      released = store.completeUpload(input.UploadId, row);
      applyLock(store, input.Bucket, row.key, row.version_id, lock);
      completeUploadGrants(store, input.UploadId, input.Bucket, row.seq);
      recordParts(store, input.Bucket, row.seq, partList, upload.checksum_algorithm !== null);
    })();
  } catch (e) {
    store.dropBlobs([info.id]);
    throw e;
  }
  store.dropBlobs(released);
  notifyObject(store, ctx, 'ObjectCreated:CompleteMultipartUpload', bucket!, row.key, { size: row.size, etag: row.etag, versionId: row.version_id });
  const out: CompleteMultipartUploadOutput = {
    Location: `${ctx.endpoint}/${input.Bucket}/${encodeURIComponent(input.Key).replace(/%2F/g, '/')}`,
    Bucket: input.Bucket, Key: input.Key, ETag: `"${row.etag}"`, ServerSideEncryption: 'AES256', ChecksumType: type as ChecksumType,
  };
  (out as Record<string, unknown>)[CHECKSUM_MEMBER[algorithm]] = checksum;
  if (bucket!.versioning !== null) out.VersionId = row.version_id;
  const expiration = expirationOf(store, row);
  if (expiration !== undefined) out.Expiration = expiration;
  return out;
}

/** AbortMultipartUpload: the upload and its parts are removed. */
export async function abortMultipartUpload(store: S3Store, ctx: RequestContext, input: AbortMultipartUploadRequest): Promise<AbortMultipartUploadOutput> {
  requireUpload(store, ctx, input.Bucket, input.Key, input.UploadId);
  const blobs = store.storage.db.transaction(() => {
    forgetUploadState(store, input.UploadId);
    return store.deleteUpload(input.UploadId);
  })();
  store.dropBlobs(blobs);
  return {};
}

/** ListParts: by part number after PartNumberMarker. */
export async function listParts(store: S3Store, ctx: RequestContext, input: ListPartsRequest): Promise<ListPartsOutput> {
  const upload = requireUpload(store, ctx, input.Bucket, input.Key, input.UploadId);
  const max = Math.min(input.MaxParts ?? MAX_LIST, MAX_LIST);
  const marker = input.PartNumberMarker ?? 0;
  const rows = store.partsAfter(input.UploadId, marker, max + 1);
  const page = rows.slice(0, max);
  const algorithm = isAlgorithm(upload.checksum_algorithm ?? undefined) ? upload.checksum_algorithm as ChecksumAlgorithmName : undefined;
  const parts: Part[] = page.map((p) => {
    const part: Part = { PartNumber: p.part_number, LastModified: new Date(p.modified), ETag: `"${p.etag}"`, Size: p.size };
    if (algorithm && p.checksum_value) (part as Record<string, unknown>)[CHECKSUM_MEMBER[algorithm]] = p.checksum_value;
    return part;
  });
  const owner = ownerOf(upload.account);
  const out: ListPartsOutput = {
    Bucket: input.Bucket, Key: input.Key, UploadId: input.UploadId, PartNumberMarker: marker, MaxParts: max,
    IsTruncated: rows.length > max, Parts: parts.length > 0 ? parts : undefined,
    Initiator: owner, Owner: owner, StorageClass: (upload.storage_class ?? 'STANDARD') as ListPartsOutput['StorageClass'],
  };
  if (page.length > 0) out.NextPartNumberMarker = page[page.length - 1]!.part_number;
  if (algorithm) {
    out.ChecksumAlgorithm = algorithm as ChecksumAlgorithm;
    out.ChecksumType = (upload.checksum_type ?? undefined) as ChecksumType | undefined;
  }
  return out;
}

/** ListMultipartUploads: in key then initiation order after (KeyMarker, UploadIdMarker), rolled up at the delimiter. */
export async function listMultipartUploads(store: S3Store, ctx: RequestContext, input: ListMultipartUploadsRequest): Promise<ListMultipartUploadsOutput> {
  requireBucket(store, ctx, input.Bucket);
  const max = Math.min(input.MaxUploads ?? MAX_LIST, MAX_LIST);
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter ?? '';
  const enc = input.EncodingType === 'url' ? urlEncodeKey : (s: string) => s;
  let key = input.KeyMarker ?? '';
  // Without a key marker the upload-id marker is ignored; with one and no upload-id marker, uploads of the marker key are skipped.
  let uploadId = input.KeyMarker !== undefined && input.UploadIdMarker !== undefined ? input.UploadIdMarker : input.KeyMarker !== undefined ? '\u{10FFFF}' : '';
  const uploads: MultipartUpload[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let lastKey: string | undefined;
  let lastUpload: string | undefined;
  outer: for (;;) {
    const rows = store.uploadsAfter(input.Bucket, key, uploadId, MAX_LIST);
    if (rows.length === 0) break;
    for (const u of rows) {
      key = u.key;
      uploadId = u.upload_id;
      if (!u.key.startsWith(prefix)) continue;
      let rolled: string | undefined;
      if (delimiter !== '') {
        const at = u.key.indexOf(delimiter, prefix.length);
        if (at >= 0) rolled = u.key.slice(0, at + delimiter.length);
      }
      if (rolled !== undefined && prefixes[prefixes.length - 1] === rolled) continue;
      if (uploads.length + prefixes.length === max) { truncated = true; break outer; }
      if (rolled !== undefined) { prefixes.push(rolled); lastKey = rolled; lastUpload = undefined; continue; }
      const owner = ownerOf(u.account);
      const item: MultipartUpload = { UploadId: u.upload_id, Key: enc(u.key), Initiated: new Date(u.initiated), StorageClass: (u.storage_class ?? 'STANDARD') as MultipartUpload['StorageClass'], Owner: owner, Initiator: owner };
      if (u.checksum_algorithm) {
        item.ChecksumAlgorithm = u.checksum_algorithm as ChecksumAlgorithm;
        item.ChecksumType = (u.checksum_type ?? undefined) as ChecksumType | undefined;
      }
      uploads.push(item);
      lastKey = u.key;
      lastUpload = u.upload_id;
    }
    if (rows.length < MAX_LIST) break;
  }
  const out: ListMultipartUploadsOutput = {
    Bucket: input.Bucket, KeyMarker: enc(input.KeyMarker ?? ''), UploadIdMarker: input.UploadIdMarker ?? '', MaxUploads: max, IsTruncated: truncated,
    Uploads: uploads.length > 0 ? uploads : undefined,
    CommonPrefixes: prefixes.length > 0 ? prefixes.map((p) => ({ Prefix: enc(p) })) : undefined,
  };
  if (input.Prefix !== undefined) out.Prefix = enc(prefix);
  if (input.Delimiter !== undefined) out.Delimiter = enc(delimiter);
  if (input.EncodingType === 'url') out.EncodingType = 'url';
  if (truncated) {
    out.NextKeyMarker = enc(lastKey ?? '');
    out.NextUploadIdMarker = lastUpload ?? '';
  }
  return out;
}
