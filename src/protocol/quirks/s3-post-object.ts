/**
 * The wire form of S3's browser POST upload answer (Amazon S3 API reference, POST Object):
 * 204 empty by default, 200 empty, 201 with a PostResponse document, or 303 to
 * success_action_redirect; ETag and Location headers throughout.
 */

/** What a POST upload produced, as the S3 service reports it. */
export interface PostUploadAnswer {
  status: 200 | 201 | 204 | 303;
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  redirect?: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The status, headers and body of a POST upload's answer; `endpoint` is scheme://host as the client addressed nimbus. */
export function postUploadResponse(a: PostUploadAnswer, endpoint: string): { statusCode: number; headers: Record<string, string>; body: string } {
  const location = `${endpoint}/${a.bucket}/${encodeURIComponent(a.key).replace(/%2F/g, '/')}`;
  const headers: Record<string, string> = { ETag: a.etag, Location: a.redirect ?? location };
  if (a.versionId !== undefined) headers['x-amz-version-id'] = a.versionId;
  if (a.status !== 201) return { statusCode: a.status, headers: { ...headers, 'Content-Length': '0' }, body: '' };
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<PostResponse><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(a.bucket)}</Bucket><Key>${escapeXml(a.key)}</Key><ETag>${escapeXml(a.etag)}</ETag></PostResponse>`;
  return { statusCode: 201, headers: { ...headers, 'Content-Type': 'application/xml' }, body };
}
