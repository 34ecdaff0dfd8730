/**
 * ListObjects (v1) and ListObjectsV2: a walk of the (bucket, key) primary key from
 * the marker, rolling keys up into CommonPrefixes at the delimiter; a rolled-up
 * prefix is skipped with one index seek, so a page costs about its own size.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type {
  ListObjectsRequest, ListObjectsOutput, ListObjectsV2Request, ListObjectsV2Output, _Object, CommonPrefix,
} from '../../../models/generated/s3.js';
import type { ListedObject, S3Store } from '../store.js';
import { ownerOf, requireBucket } from '../buckets.js';
import { invalidArgument } from '../errors.js';

const MAX_KEYS = 1000;
/** Sorts after every key that starts with a prefix (in SQLite's byte order of UTF-8). */
const PAST = '\u{10FFFF}';

/** One page of a listing. */
export interface ListPage {
  contents: ListedObject[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix of the page: where the next page starts. */
  last: string | undefined;
}

/** Lists up to `maxKeys` keys and common prefixes after `marker` (exclusive). */
export function listPage(store: S3Store, bucket: string, prefix: string, delimiter: string, marker: string, maxKeys: number): ListPage {
  const contents: ListedObject[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last: string | undefined;
  let cursor = marker > prefix ? marker : prefix;
  let inclusive = !(marker >= prefix && marker !== '');
  const batch = Math.min(maxKeys, MAX_KEYS) + 1;
  if (maxKeys === 0) return { contents, prefixes, truncated, last };
  outer: for (;;) {
    const rows = store.listObjects(bucket, cursor, inclusive, batch);
    if (rows.length === 0) break;
    for (const row of rows) {
      const key = row.key;
      if (!key.startsWith(prefix)) break outer;
      let rolled: string | undefined;
      if (delimiter !== '') {
        const at = key.indexOf(delimiter, prefix.length);
        if (at >= 0) rolled = key.slice(0, at + delimiter.length);
      }
      if (rolled !== undefined && (rolled === last || rolled === marker)) {
        // Seek past the rest of the rolled-up prefix (or step, for the rare key beyond the seek target).
        const past = rolled + PAST;
        if (key < past) { cursor = past; inclusive = true; } else { cursor = key; inclusive = false; }
        continue outer;
      }
      if (contents.length + prefixes.length === maxKeys) {
        truncated = true;
        break outer;
      }
      if (rolled !== undefined) {
        prefixes.push(rolled);
        last = rolled;
        cursor = rolled + PAST;
        inclusive = true;
        continue outer;
      }
      contents.push(row);
      last = key;
      cursor = key;
      inclusive = false;
    }
    if (rows.length < batch) break;
  }
  return { contents, prefixes, truncated, last };
}

/** S3's URL encoding of keys in listings (encoding-type=url): like a form, '/' kept. */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function maxKeysOf(value: number | undefined): number {
  if (value === undefined) return MAX_KEYS;
  if (value < 0) throw invalidArgument('max-keys cannot be negative', 'max-keys', String(value));
  return Math.min(value, MAX_KEYS);
}

function encodingOf(value: string | undefined): ((s: string) => string) | undefined {
  if (value === undefined) return undefined;
  if (value !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', value);
  return urlEncodeKey;
}

function contentsOf(page: ListPage, enc: ((s: string) => string) | undefined, owner: { ID: string } | undefined): _Object[] {
  return page.contents.map((r) => {
    const o: _Object = { Key: enc ? enc(r.key) : r.key, LastModified: new Date(r.modified), ETag: `"${r.etag}"`, Size: r.size, StorageClass: (r.storage_class ?? 'STANDARD') as _Object['StorageClass'] };
    if (r.checksum_algorithm !== null) {
      o.ChecksumAlgorithm = [r.checksum_algorithm as NonNullable<_Object['ChecksumAlgorithm']>[number]];
      o.ChecksumType = (r.checksum_type ?? 'FULL_OBJECT') as _Object['ChecksumType'];
    }
    if (owner) o.Owner = owner;
    return o;
  });
}

function prefixesOf(page: ListPage, enc: ((s: string) => string) | undefined): CommonPrefix[] | undefined {
  return page.prefixes.length > 0 ? page.prefixes.map((p) => ({ Prefix: enc ? enc(p) : p })) : undefined;
}

/** ListObjects (v1): Marker, NextMarker (with a delimiter), Owner on every entry. */
export async function listObjects(store: S3Store, ctx: RequestContext, input: ListObjectsRequest): Promise<ListObjectsOutput> {
  requireBucket(store, ctx, input.Bucket);
  const enc = encodingOf(input.EncodingType);
  const maxKeys = maxKeysOf(input.MaxKeys);
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter ?? '';
  const page = listPage(store, input.Bucket, prefix, delimiter, input.Marker ?? '', maxKeys);
  const e = (s: string) => (enc ? enc(s) : s);
  const out: ListObjectsOutput = {
    IsTruncated: page.truncated,
    Marker: e(input.Marker ?? ''),
    Contents: page.contents.length > 0 ? contentsOf(page, enc, ownerOf(ctx.account)) : undefined,
    Name: input.Bucket,
    Prefix: e(prefix),
    MaxKeys: maxKeys,
    CommonPrefixes: prefixesOf(page, enc),
  };
  if (input.Delimiter !== undefined) out.Delimiter = e(delimiter);
  if (enc) out.EncodingType = 'url';
  // S3 sends NextMarker only when a delimiter was given; clients otherwise use the last key.
  if (page.truncated && input.Delimiter !== undefined && page.last !== undefined) out.NextMarker = e(page.last);
  return out;
}

/** ListObjectsV2: continuation tokens, StartAfter, KeyCount, Owner only with FetchOwner. */
export async function listObjectsV2(store: S3Store, ctx: RequestContext, input: ListObjectsV2Request): Promise<ListObjectsV2Output> {
  requireBucket(store, ctx, input.Bucket);
  const enc = encodingOf(input.EncodingType);
  const maxKeys = maxKeysOf(input.MaxKeys);
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter ?? '';
  let marker = input.StartAfter ?? '';
  if (input.ContinuationToken !== undefined) {
    const decoded = decodeToken(input.ContinuationToken);
    if (decoded === undefined) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
    marker = decoded;
  }
  const page = listPage(store, input.Bucket, prefix, delimiter, marker, maxKeys);
  const e = (s: string) => (enc ? enc(s) : s);
  const out: ListObjectsV2Output = {
    IsTruncated: page.truncated,
    Contents: page.contents.length > 0 ? contentsOf(page, enc, input.FetchOwner ? ownerOf(ctx.account) : undefined) : undefined,
    Name: input.Bucket,
    Prefix: e(prefix),
    MaxKeys: maxKeys,
    CommonPrefixes: prefixesOf(page, enc),
    KeyCount: page.contents.length + page.prefixes.length,
  };
  if (input.Delimiter !== undefined) out.Delimiter = e(delimiter);
  if (enc) out.EncodingType = 'url';
  if (input.ContinuationToken !== undefined) out.ContinuationToken = input.ContinuationToken;
  if (input.StartAfter !== undefined) out.StartAfter = e(input.StartAfter);
  if (page.truncated && page.last !== undefined) out.NextContinuationToken = encodeToken(page.last);
  return out;
}

const TOKEN_TAG = 'n1:';

/** An opaque continuation token: the last key or prefix returned. */
function encodeToken(last: string): string {
  return Buffer.from(TOKEN_TAG + last, 'utf8').toString('base64');
}

function decodeToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  return text.startsWith(TOKEN_TAG) ? text.slice(TOKEN_TAG.length) : undefined;
}
