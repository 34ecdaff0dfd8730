/** The x-amz-copy-source header of CopyObject and UploadPartCopy: `bucket/key` (URL-encoded), optional `?versionId=`. */
import { invalidArgument } from './errors.js';

/** The bucket and key a copy source names. */
export function parseCopySource(source: string): { bucket: string; key: string; versionId?: string } {
  let text = source.startsWith('/') ? source.slice(1) : source;
  let versionId: string | undefined;
  const q = text.indexOf('?versionId=');
  if (q >= 0) {
    versionId = text.slice(q + '?versionId='.length);
    text = text.slice(0, q);
  }
  // The header is URL-encoded as a whole (a client may encode the bucket's slash too); bucket names hold no '/'.
  let decoded = '';
  try {
    decoded = decodeURIComponent(text);
  } catch {
    decoded = '';
  }
  const slash = decoded.indexOf('/');
  const bucket = slash < 0 ? '' : decoded.slice(0, slash);
  const key = slash < 0 ? '' : decoded.slice(slash + 1);
  if (bucket === '' || key === '') throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', source);
  return versionId !== undefined ? { bucket, key, versionId } : { bucket, key };
}
