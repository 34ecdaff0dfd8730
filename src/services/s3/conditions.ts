/**
 * Conditional requests as S3 evaluates them (RFC 7232 order): If-Match, then
 * If-Unmodified-Since when If-Match is absent (412); If-None-Match, then
 * If-Modified-Since when If-None-Match is absent (304 on reads).
 */
import { ServiceError } from '../../shared/errors.js';
import { preconditionFailed } from './errors.js';

/** The conditions of a read (GetObject, HeadObject) or a copy source. */
export interface ReadConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

/** Whether an If-Match / If-None-Match list names the ETag (quoted or not) or is `*`. */
export function etagMatches(list: string, etag: string): boolean {
  for (const raw of list.split(',')) {
    const t = raw.trim();
    if (t === '*') return true;
    const bare = t.startsWith('W/') ? t.slice(2) : t;
    if (bare === etag || bare === `"${etag}"`) return true;
  }
  return false;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Throws 412 PreconditionFailed or 304 Not Modified when the conditions do not hold
 * for an object with `etag` (unquoted) modified at `modified` (ms).
 * `names` gives the condition names to report (CopySource* for copies).
 */
export function checkReadConditions(c: ReadConditions, etag: string, modified: number, names = READ_NAMES, notModified = true): void {
  if (c.IfMatch !== undefined) {
    if (!etagMatches(c.IfMatch, etag)) throw preconditionFailed(names.ifMatch);
  } else if (c.IfUnmodifiedSince !== undefined && seconds(modified) > seconds(c.IfUnmodifiedSince.getTime())) {
    throw preconditionFailed(names.ifUnmodifiedSince);
  }
  let unchanged = false;
  let failed = '';
  if (c.IfNoneMatch !== undefined) {
    if (etagMatches(c.IfNoneMatch, etag)) { unchanged = true; failed = names.ifNoneMatch; }
  } else if (c.IfModifiedSince !== undefined && seconds(modified) <= seconds(c.IfModifiedSince.getTime())) {
    // A date in the future is ignored (RFC 7232 3.3).
    if (c.IfModifiedSince.getTime() <= Date.now()) { unchanged = true; failed = names.ifModifiedSince; }
  }
  if (!unchanged) return;
  if (!notModified) throw preconditionFailed(failed);
  throw new ServiceError('NotModified', 'Not Modified', { status: 304, headers: { ETag: `"${etag}"`, 'Last-Modified': new Date(modified).toUTCString() } });
}

/** Condition names as S3 reports them. */
export interface ConditionNames {
  ifMatch: string;
  ifNoneMatch: string;
  ifModifiedSince: string;
  ifUnmodifiedSince: string;
}

const READ_NAMES: ConditionNames = { ifMatch: 'If-Match', ifNoneMatch: 'If-None-Match', ifModifiedSince: 'If-Modified-Since', ifUnmodifiedSince: 'If-Unmodified-Since' };

/** The names of a copy source's conditions. */
export const COPY_SOURCE_NAMES: ConditionNames = {
  ifMatch: 'x-amz-copy-source-If-Match', ifNoneMatch: 'x-amz-copy-source-If-None-Match',
  ifModifiedSince: 'x-amz-copy-source-If-Modified-Since', ifUnmodifiedSince: 'x-amz-copy-source-If-Unmodified-Since',
};

/**
 * Conditional writes (PutObject, CompleteMultipartUpload, CopyObject destination):
 * If-None-Match `*` fails when the key exists; If-Match fails when it does not (404) or the ETag differs.
 */
export function checkWriteConditions(c: { IfMatch?: string; IfNoneMatch?: string }, existingEtag: string | undefined, key: string, noSuchKey: (key: string) => ServiceError): void {
  if (c.IfNoneMatch !== undefined && existingEtag !== undefined) {
    if (c.IfNoneMatch.trim() === '*' || etagMatches(c.IfNoneMatch, existingEtag)) throw preconditionFailed('If-None-Match');
  }
  if (c.IfMatch !== undefined) {
    if (existingEtag === undefined) throw noSuchKey(key);
    if (!etagMatches(c.IfMatch, existingEtag)) throw preconditionFailed('If-Match');
  }
}
