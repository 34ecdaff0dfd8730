// Signs prepared benchmark requests with AWS Signature Version 4 (header form), once,
// before a run: the load generators replay the same bytes, so a server that verifies
// signatures sees a valid one for the run's duration (SigV4 allows 15 minutes of skew).
import { createHash, createHmac } from 'node:crypto';

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** AWS's `X-Amz-Date` form of a date: `YYYYMMDDTHHMMSSZ`. */
export function amzDate(date = new Date()) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Returns a copy of `request` ({method, path, headers, body}) with `x-amz-date`,
 * `x-amz-content-sha256` and `authorization` added, signing every header present.
 * Header names must be lower case; `path` may carry a query string (already encoded).
 */
export function signRequest(request, { accessKeyId, secretAccessKey, region, service, date = new Date() }) {
  const body = request.body ?? '';
  const stamp = amzDate(date);
  const day = stamp.slice(0, 8);
  const headers = { ...request.headers, 'x-amz-date': stamp, 'x-amz-content-sha256': sha256Hex(body) };
  const names = Object.keys(headers).map((n) => n.toLowerCase()).sort();
  const lookup = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const [pathname, query = ''] = request.path.split('?');
  const canonicalQuery = query
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('='))
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : (x ?? '') < (y ?? '') ? -1 : 1))
    .map(([k, v]) => `${k}=${v ?? ''}`)
    .join('&');
  const canonical = [
    request.method,
    pathname,
    canonicalQuery,
    names.map((n) => `${n}:${lookup[n].trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'),
    headers['x-amz-content-sha256'],
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, ` +
    `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return { ...request, headers };
}
