/** The POST upload answer by success_action_status. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postUploadResponse } from './s3-post-object.js';

test('204 by default, 201 with PostResponse, 303 to the redirect', () => {
  const base = { bucket: 'b', key: 'a b/c&d.txt', etag: '"e"' };
  assert.deepEqual(postUploadResponse({ ...base, status: 204 }, 'http://h'), { statusCode: 204, headers: { ETag: '"e"', Location: 'http://h/b/a%20b/c%26d.txt', 'Content-Length': '0' }, body: '' });
  const created = postUploadResponse({ ...base, status: 201, versionId: 'v' }, 'http://h');
  assert.equal(created.statusCode, 201);
  assert.equal(created.headers['x-amz-version-id'], 'v');
  assert.equal(created.body, '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>http://h/b/a%20b/c%26d.txt</Location><Bucket>b</Bucket><Key>a b/c&amp;d.txt</Key><ETag>&quot;e&quot;</ETag></PostResponse>');
  assert.equal(postUploadResponse({ ...base, status: 303, redirect: 'https://app/done?bucket=b' }, 'http://h').headers.Location, 'https://app/done?bucket=b');
});
