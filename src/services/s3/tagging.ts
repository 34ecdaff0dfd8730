/** Tag sets of objects and buckets: the x-amz-tagging header, S3's validation, storage as JSON. */
import { ServiceError } from '../../shared/errors.js';
import type { Tag } from '../../models/generated/s3.js';

/** Object tags per object and bucket tags per bucket (Amazon S3 user guide, "Categorizing your storage using tags"). */
export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;

function invalidTag(message: string, tag?: Tag): ServiceError {
  const fields: Record<string, unknown> = {};
  if (tag) { fields.TagKey = tag.Key; fields.TagValue = tag.Value; }
  return new ServiceError('InvalidTag', message, { status: 400, fields });
}

/** Validates a tag set against S3's rules; `kind` decides the count limit. */
export function validateTags(tags: readonly Tag[], kind: 'object' | 'bucket'): void {
  if (kind === 'object' && tags.length > MAX_OBJECT_TAGS) throw new ServiceError('BadRequest', 'Object tags cannot be greater than 10', { status: 400 });
  if (kind === 'bucket' && tags.length > MAX_BUCKET_TAGS) throw new ServiceError('BadRequest', 'Bucket tag count cannot be greater than 50', { status: 400 });
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key === undefined || t.Value === undefined) throw new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', { status: 400 });
    if (t.Key.length === 0 || [...t.Key].length > MAX_KEY) throw invalidTag('The TagKey you have provided is too long, max 128', t);
    if ([...t.Value].length > MAX_VALUE) throw invalidTag('The TagValue you have provided is too long, max 256', t);
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:', t);
    if (seen.has(t.Key)) throw invalidTag('Cannot provide multiple Tags with the same key', t);
    seen.add(t.Key);
  }
}

/** The tags of an x-amz-tagging header (URL query form: `k1=v1&k2=v2`), validated. */
export function parseTaggingHeader(header: string): Tag[] {
  const tags: Tag[] = [];
  for (const [Key, Value] of new URLSearchParams(header)) tags.push({ Key, Value });
  validateTags(tags, 'object');
  return tags;
}

/** The stored form of a tag set (null when empty). */
export function encodeTags(tags: readonly Tag[]): string | null {
  return tags.length === 0 ? null : JSON.stringify(tags.map((t) => [t.Key, t.Value]));
}

/** A stored tag set. */
export function decodeTags(stored: string | null): Tag[] {
  if (stored === null) return [];
  return (JSON.parse(stored) as [string, string][]).map(([Key, Value]) => ({ Key, Value }));
}

/** The number of tags stored (x-amz-tagging-count). */
export function tagCount(stored: string | null): number {
  return stored === null ? 0 : (JSON.parse(stored) as unknown[]).length;
}
