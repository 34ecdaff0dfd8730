/**
 * Bucket CORS as S3 evaluates it (Amazon S3 user guide, "How does Amazon S3 evaluate the
 * CORS configuration on a bucket?"): the first rule whose AllowedOrigins, AllowedMethods
 * and AllowedHeaders admit the request applies. Pure functions over stored rules.
 */
import { ServiceError } from '../../shared/errors.js';
import type { CORSRule } from '../../models/generated/s3.js';

/** The methods a CORS rule may allow. */
export const CORS_METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

/** Whether `value` matches a pattern with at most one `*` (any run of characters); `ci` compares case-insensitively. */
export function wildcardMatch(pattern: string, value: string, ci = false): boolean {
  const p = ci ? pattern.toLowerCase() : pattern;
  const v = ci ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The first rule admitting an origin, a method and the request headers (lower-cased names). */
export function matchCorsRule(rules: readonly CORSRule[], origin: string, method: string, requestHeaders: readonly string[]): CORSRule | undefined {
  return rules.find((r) => r.AllowedOrigins.some((o) => wildcardMatch(o, origin))
    && r.AllowedMethods.includes(method)
    && requestHeaders.every((h) => (r.AllowedHeaders ?? []).some((a) => wildcardMatch(a, h, true))));
}

/** The parsed Access-Control-Request-Headers list. */
export function requestHeaderList(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
}

function allowOrigin(rule: CORSRule, origin: string): Record<string, string> {
  // A rule allowing every origin answers `*` without credentials; otherwise the origin itself.
  if (rule.AllowedOrigins.includes('*')) return { 'Access-Control-Allow-Origin': '*' };
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
}

function forbidden(message: string, method: string): ServiceError {
  return new ServiceError('AccessForbidden', message, { status: 403, fields: { Method: method, ResourceType: 'OBJECT' } });
}

/**
 * The answer to a preflight (OPTIONS with Origin and Access-Control-Request-Method):
 * the headers of a 200, or 403 AccessForbidden when CORS is off or no rule matches.
 */
export function preflight(rules: readonly CORSRule[] | undefined, origin: string, method: string, requestHeaders: string | undefined): Record<string, string> {
  if (rules === undefined) throw forbidden('CORSResponse: CORS is not enabled for this bucket.', method);
  const headers = requestHeaderList(requestHeaders);
  const rule = matchCorsRule(rules, origin, method, headers);
  // S3's message, typo included.
  if (!rule) throw forbidden("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.", method);
  const out: Record<string, string> = {
    ...allowOrigin(rule, origin),
    'Access-Control-Allow-Methods': rule.AllowedMethods.join(', '),
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (headers.length > 0) out['Access-Control-Allow-Headers'] = headers.join(', ');
  if (rule.ExposeHeaders && rule.ExposeHeaders.length > 0) out['Access-Control-Expose-Headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) out['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  return out;
}

/** The CORS headers of an actual request carrying Origin: empty when no rule admits it (the browser then blocks the answer). */
export function actualRequestHeaders(rules: readonly CORSRule[] | undefined, origin: string, method: string): Record<string, string> {
  if (rules === undefined) return {};
  const rule = matchCorsRule(rules, origin, method, []);
  if (!rule) return {};
  const out: Record<string, string> = { ...allowOrigin(rule, origin), 'Access-Control-Allow-Methods': rule.AllowedMethods.join(', '), Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method' };
  if (rule.ExposeHeaders && rule.ExposeHeaders.length > 0) out['Access-Control-Expose-Headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) out['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
  return out;
}
