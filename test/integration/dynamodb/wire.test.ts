/**
 * DynamoDB's answers on the wire: every body, success or error, comes with its CRC32 in
 * x-amz-crc32 (botocore and the SDKs check it when present).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { dynamodbHarness } from '../../helpers/harness.js';

const { cloud } = dynamodbHarness({
  tables: [{ TableName: 'wire', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }],
});

/** A DynamoDB call as the SDKs send it (the signature of the `test` key is not checked without IAM enforcement). */
async function call(target: string, body: object): Promise<{ status: number; crc: string | null; text: string; bytes: Buffer }> {
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const res = await fetch(cloud.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${target}`,
      'x-amz-date': date,
      authorization: `AWS4-HMAC-SHA256 Credential=test/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
    },
    body: JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, crc: res.headers.get('x-amz-crc32'), text: bytes.toString(), bytes };
}

test('x-amz-crc32 is the CRC32 of the body, on answers and on errors', async () => {
  const put = await call('PutItem', { TableName: 'wire', Item: { pk: { S: 'a' }, n: { N: '1' } } });
  assert.equal(put.status, 200);
  assert.equal(put.text, '{}');
  assert.equal(put.crc, String(crc32(put.bytes)));
  const got = await call('GetItem', { TableName: 'wire', Key: { pk: { S: 'a' } } });
  assert.deepEqual(JSON.parse(got.text), { Item: { pk: { S: 'a' }, n: { N: '1' } } });
  assert.equal(got.crc, String(crc32(got.bytes)));
  const missing = await call('DescribeTable', { TableName: 'nope' });
  assert.equal(missing.status, 400);
  assert.match(missing.text, /ResourceNotFoundException/);
  assert.equal(missing.crc, String(crc32(missing.bytes)));
});
