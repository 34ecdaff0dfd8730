/** What object operations share: stored headers from an input, and the headers a read answers with. */
import type { ObjectHeaders, ObjectRow } from './store.js';
import { CHECKSUM_MEMBER, isAlgorithm } from './checksums.js';

/** The storable headers of a PutObject / CreateMultipartUpload / CopyObject (REPLACE) input. */
export interface HeaderInput {
  ContentType?: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  Expires?: string | Date;
  WebsiteRedirectLocation?: string;
  StorageClass?: string;
  Metadata?: Record<string, string>;
}

/** S3 stores this content type when an upload gives none. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** The columns of an input's headers. */
export function headersFrom(input: HeaderInput): ObjectHeaders {
  const meta = input.Metadata && Object.keys(input.Metadata).length > 0 ? JSON.stringify(input.Metadata) : null;
  const expires = input.Expires instanceof Date ? input.Expires.toUTCString() : input.Expires ?? null;
  return {
    content_type: input.ContentType ?? DEFAULT_CONTENT_TYPE,
    cache_control: input.CacheControl ?? null,
    content_disposition: input.ContentDisposition ?? null,
    content_encoding: input.ContentEncoding ?? null,
    content_language: input.ContentLanguage ?? null,
    expires,
    website_redirect: input.WebsiteRedirectLocation ?? null,
    // S3 reports STANDARD by leaving the storage class out.
    storage_class: input.StorageClass && input.StorageClass !== 'STANDARD' ? input.StorageClass : null,
    metadata: meta,
  };
}

/** The header columns of a stored object or upload. */
export function headersOf(row: ObjectHeaders): ObjectHeaders {
  const { content_type, cache_control, content_disposition, content_encoding, content_language, expires, website_redirect, storage_class, metadata } = row;
  return { content_type, cache_control, content_disposition, content_encoding, content_language, expires, website_redirect, storage_class, metadata };
}

/** The output members GetObject and HeadObject share. */
export function readOutput(row: ObjectRow, checksumMode: string | undefined, whole: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    AcceptRanges: 'bytes',
    LastModified: new Date(row.modified),
    ETag: `"${row.etag}"`,
    ContentType: row.content_type ?? undefined,
    ServerSideEncryption: 'AES256',
  };
  if (row.cache_control !== null) out.CacheControl = row.cache_control;
  if (row.content_disposition !== null) out.ContentDisposition = row.content_disposition;
  if (row.content_encoding !== null) out.ContentEncoding = row.content_encoding;
  if (row.content_language !== null) out.ContentLanguage = row.content_language;
  if (row.expires !== null) out.Expires = row.expires;
  if (row.website_redirect !== null) out.WebsiteRedirectLocation = row.website_redirect;
  if (row.storage_class !== null) out.StorageClass = row.storage_class;
  if (row.metadata !== null) out.Metadata = JSON.parse(row.metadata) as Record<string, string>;
  // Checksums describe the whole object: S3 returns them only for whole-object reads.
  if (checksumMode === 'ENABLED' && whole && isAlgorithm(row.checksum_algorithm ?? undefined) && row.checksum_value !== null) {
    out[CHECKSUM_MEMBER[row.checksum_algorithm as keyof typeof CHECKSUM_MEMBER]] = row.checksum_value;
    out.ChecksumType = row.checksum_type ?? 'FULL_OBJECT';
  }
  return out;
}
