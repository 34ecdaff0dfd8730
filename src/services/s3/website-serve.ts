/**
 * The website endpoint (`<bucket>.s3-website-<region>.localhost`, `<bucket>.s3-website.<region>.localhost`):
 * anonymous GET and HEAD answered from the bucket's website configuration — index documents,
 * redirects, routing rules, x-amz-website-redirect-location, and HTML error pages or the
 * custom error document (Amazon S3 user guide, "Hosting a static website").
 */
import type { WireRequest, WireResponse } from '../../protocol/types.js';
import type * as m from '../../models/generated/s3.js';
import type { ObjectRow, S3Store } from './store.js';
import { websiteErrorResponse, websiteIdHeaders, websiteRedirectResponse, type WebsiteErrorItem } from '../../protocol/quirks/s3-website.js';
import { anonymousGetObject, matchRoutingRule, redirectAll, ruleRedirect, websiteKey } from './website.js';
import { WEBSITE } from './operations/website-ops.js';
import { aclGrantsPublicRead } from './operations/acl-ops.js';
import { checkReadConditions } from './conditions.js';
import { isServiceError } from '../../shared/errors.js';
import { WHOLE_READ_LIMIT } from '../../state/blobs.js';

/** s3_bucket_config kinds read here. */
const POLICY = 'policy';
const PUBLIC_ACCESS_BLOCK = 'public-access-block';
const ACCESS_DENIED: WebsiteErrorItem = { code: 'AccessDenied', message: 'Access Denied' };

/** Whether a Host names a website endpoint (a `s3-website` or `s3-website-<region>` label after the bucket). */
export function isWebsiteHost(host: string): boolean {
  const at = host.indexOf('.s3-website');
  if (at <= 0) return false;
  const next = host.charCodeAt(at + '.s3-website'.length);
  return next === 0x2e /* . */ || next === 0x2d /* - */;
}

/** Parsed website configurations by bucket, reused while the stored text is unchanged. */
const parsed = new Map<string, { text: string; config: m.WebsiteConfiguration }>();

function websiteConfig(store: S3Store, bucket: string): m.WebsiteConfiguration | undefined {
  const text = store.config(bucket, WEBSITE);
  if (text === undefined) return undefined;
  const hit = parsed.get(bucket);
  if (hit && hit.text === text) return hit.config;
  const config = JSON.parse(text) as m.WebsiteConfiguration;
  parsed.set(bucket, { text, config });
  return config;
}

/** Parsed public access blocks by their stored text. */
const blocks = new Map<string, m.PublicAccessBlockConfiguration>();

function publicAccessBlock(store: S3Store, bucket: string): m.PublicAccessBlockConfiguration | undefined {
  const text = store.config(bucket, PUBLIC_ACCESS_BLOCK);
  if (text === undefined) return undefined;
  let block = blocks.get(text);
  if (!block) {
    block = JSON.parse(text) as m.PublicAccessBlockConfiguration;
    if (blocks.size > 100) blocks.clear();
    blocks.set(text, block);
  }
  return block;
}

/**
 * Whether the website endpoint may serve an object to its anonymous caller (user guide,
 * "Setting permissions for website access": the objects must be publicly readable, else
 * 403): everyone is allowed s3:GetObject by the bucket policy (not when
 * RestrictPublicBuckets restricts a public policy) or granted READ by the object's ACL
 * (not when IgnorePublicAcls), and no policy statement denies it to everyone.
 */
function publiclyReadable(store: S3Store, bucket: string, row: ObjectRow): boolean {
  const block = publicAccessBlock(store, bucket);
  const policy = store.config(bucket, POLICY);
  const decision = policy === undefined ? undefined : anonymousGetObject(policy, bucket, row.key);
  if (decision === 'deny') return false;
  if (decision === 'allow' && block?.RestrictPublicBuckets !== true) return true;
  return block?.IgnorePublicAcls !== true && aclGrantsPublicRead(store, bucket, row.seq);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function liveObject(store: S3Store, bucket: string, key: string): ObjectRow | undefined {
  const row = store.object(bucket, key);
  return row && !row.delete_marker ? row : undefined;
}

/** The headers S3 sends with an object's bytes. */
function objectHeaders(row: ObjectRow, requestId: string): Record<string, string> {
  const h: Record<string, string> = {
    ...websiteIdHeaders(requestId),
    'Last-Modified': new Date(row.modified).toUTCString(),
    ETag: `"${row.etag}"`,
    'Content-Type': row.content_type ?? 'binary/octet-stream',
    'Content-Length': String(row.size),
    Server: 'AmazonS3',
  };
  if (row.cache_control !== null) h['Cache-Control'] = row.cache_control;
  if (row.content_disposition !== null) h['Content-Disposition'] = row.content_disposition;
  if (row.content_encoding !== null) h['Content-Encoding'] = row.content_encoding;
  if (row.content_language !== null) h['Content-Language'] = row.content_language;
  if (row.expires !== null) h.Expires = row.expires;
  if (row.metadata !== null) for (const [k, v] of Object.entries(JSON.parse(row.metadata) as Record<string, string>)) h[`x-amz-meta-${k}`] = v;
  return h;
}

function objectResponse(store: S3Store, row: ObjectRow, status: number, requestId: string, head: boolean): WireResponse {
  const headers = objectHeaders(row, requestId);
  if (head || row.size === 0) return { statusCode: status, headers, body: head ? undefined : Buffer.alloc(0) };
  const body = row.size <= WHOLE_READ_LIMIT ? store.storage.blobs.readBuffer(row.blob) : store.storage.blobs.read(row.blob);
  return { statusCode: status, headers, body };
}

/** The website endpoint's answer to a request (path already path-style: `/<bucket>/<key>`). */
export function serveWebsite(store: S3Store, req: WireRequest, requestId: string): WireResponse {
  const slash = req.path.indexOf('/', 1);
  const bucket = decodeSegment(slash < 0 ? req.path.slice(1) : req.path.slice(1, slash));
  const key = slash < 0 ? '' : decodeSegment(req.path.slice(slash + 1));
  const head = req.method === 'HEAD';
  const fail = (status: number, e: WebsiteErrorItem, documentError?: WebsiteErrorItem) => websiteErrorResponse(status, e, requestId, documentError, head);
  if (req.method !== 'GET' && !head) {
    return fail(405, { code: 'MethodNotAllowed', message: 'The specified method is not allowed against this resource.', fields: [['Method', req.method], ['ResourceType', 'OBJECT']] });
  }
  if (!store.bucket(bucket)) return fail(404, { code: 'NoSuchBucket', message: 'The specified bucket does not exist', fields: [['BucketName', bucket]] });
  const config = websiteConfig(store, bucket);
  if (!config) return fail(404, { code: 'NoSuchWebsiteConfiguration', message: 'The specified bucket does not have a website configuration', fields: [['BucketName', bucket]] });
  if (config.RedirectAllRequestsTo) {
    const r = redirectAll(config.RedirectAllRequestsTo, key);
    return websiteRedirectResponse(r.status, r.location, requestId);
  }
  const before = matchRoutingRule(config.RoutingRules, key, undefined);
  if (before) {
    const r = ruleRedirect(before, key, req.host);
    return websiteRedirectResponse(r.status, r.location, requestId);
  }
  const objectKey = websiteKey(key, config.IndexDocument!.Suffix);
  const row = liveObject(store, bucket, objectKey);
  // An error answer: a routing rule on its status, else the error document (itself publicly readable) or the HTML page.
  const errorAnswer = (status: number, error: WebsiteErrorItem): WireResponse => {
    const after = matchRoutingRule(config.RoutingRules, key, status);
    if (after) {
      const r = ruleRedirect(after, key, req.host);
      return websiteRedirectResponse(r.status, r.location, requestId);
    }
    const errorKey = config.ErrorDocument?.Key;
    if (errorKey === undefined) return fail(status, error);
    const doc = liveObject(store, bucket, errorKey);
    if (!doc) return fail(status, error, { code: 'NoSuchKey', message: 'The specified key does not exist.', fields: [['Key', errorKey]] });
    if (!publiclyReadable(store, bucket, doc)) return fail(status, error, ACCESS_DENIED);
    return objectResponse(store, doc, status, requestId, head);
  };
  if (row) {
    // The object exists but is not everyone's to read: 403 ("Permissions required for website access").
    if (!publiclyReadable(store, bucket, row)) return errorAnswer(403, ACCESS_DENIED);
    if (row.website_redirect !== null) return websiteRedirectResponse(301, row.website_redirect, requestId);
    const notModified = conditionalAnswer(req, row, requestId);
    return notModified ?? objectResponse(store, row, 200, requestId, head);
  }
  // `dir` without its slash, when `dir/<index>` exists, is a folder: 302 to `dir/`.
  if (key !== '' && !key.endsWith('/') && liveObject(store, bucket, `${key}/${config.IndexDocument!.Suffix}`)) {
    return websiteRedirectResponse(302, `/${encodeURIComponent(key).replace(/%2F/g, '/')}/`, requestId);
  }
  return errorAnswer(404, { code: 'NoSuchKey', message: 'The specified key does not exist.', fields: [['Key', objectKey]] });
}

/** 304 when If-None-Match / If-Modified-Since say the client's copy is current; 412 answers are left to the full read. */
function conditionalAnswer(req: WireRequest, row: ObjectRow, requestId: string): WireResponse | undefined {
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  if (inm === undefined && ims === undefined) return undefined;
  try {
    checkReadConditions({
      IfNoneMatch: typeof inm === 'string' ? inm : undefined,
      IfModifiedSince: typeof ims === 'string' && !Number.isNaN(Date.parse(ims)) ? new Date(ims) : undefined,
    }, row.etag, row.modified);
    return undefined;
  } catch (e) {
    if (isServiceError(e) && e.status === 304) return { statusCode: 304, headers: { ...websiteIdHeaders(requestId), ETag: `"${row.etag}"`, 'Last-Modified': new Date(row.modified).toUTCString() } };
    throw e;
  }
}
