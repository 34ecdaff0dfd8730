/**
 * The wire form of S3 website endpoint errors: not XML but a small HTML page listing
 * the error's code, message and fields (Amazon S3 user guide, "Configuring a custom error
 * document"), and, when the custom error document itself could not be read, that error too.
 */

/** One error as the website endpoint lists it. */
export interface WebsiteErrorItem {
  code: string;
  message: string;
  /** Extra lines in order (Key, BucketName, Method, ...). */
  fields?: readonly (readonly [string, string])[];
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function items(e: WebsiteErrorItem, extra: readonly (readonly [string, string])[]): string {
  const lines = [['Code', e.code], ['Message', e.message], ...(e.fields ?? []), ...extra];
  return lines.map(([k, v]) => `<li>${k}: ${escapeHtml(v!)}</li>\n`).join('');
}

/** The HTML page of a website endpoint error; `documentError` is the failure to read the custom error document. */
export function websiteErrorPage(status: number, e: WebsiteErrorItem, requestId: string, hostId: string, documentError?: WebsiteErrorItem): string {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  let html = `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n`
    + items(e, [['RequestId', requestId], ['HostId', hostId]]) + '</ul>\n';
  if (documentError) {
    html += '<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n' + items(documentError, []) + '</ul>\n';
  }
  return html + '<hr/>\n</body>\n</html>\n';
}

/** S3's request id headers on a website answer. */
export function websiteIdHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': websiteHostId(requestId) };
}

/** The host id shown on website error pages. */
export function websiteHostId(requestId: string): string {
  return Buffer.from(requestId).toString('base64');
}

/** A website error answer: the HTML page, or the custom error document's bytes with the error's status. */
export function websiteErrorResponse(status: number, e: WebsiteErrorItem, requestId: string, documentError?: WebsiteErrorItem, head = false): { statusCode: number; headers: Record<string, string>; body?: string } {
  const body = websiteErrorPage(status, e, requestId, websiteHostId(requestId), documentError);
  const headers = {
    ...websiteIdHeaders(requestId), 'x-amz-error-code': e.code, 'x-amz-error-message': e.message,
    'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)),
  };
  return head ? { statusCode: status, headers } : { statusCode: status, headers, body };
}

/** A website redirect (301, 302, or a routing rule's code). */
export function websiteRedirectResponse(status: number, location: string, requestId: string): { statusCode: number; headers: Record<string, string>; body: string } {
  return { statusCode: status, headers: { ...websiteIdHeaders(requestId), Location: location, 'Content-Length': '0' }, body: '' };
}
