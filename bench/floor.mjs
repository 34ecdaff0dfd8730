#!/usr/bin/env node
// The floor: a bare node:http server that reads each request body and answers with a
// fixed canned AWS response. Nothing serving HTTP from Node can do much less per
// request, so nimbus's cost is reported as a ratio to this.
//
//   node bench/floor.mjs --port 4567 [--host 127.0.0.1] [--canned sts]
import http from 'node:http';
import { parseArgs } from 'node:util';
import { crc32 } from 'node:zlib';
import { benchItem, queryAnswer } from './workloads/dynamodb-data.mjs';
import { LARGE_BODY, LARGE_ETAG, OBJECT_BODY, OBJECT_ETAG, listAnswer } from './workloads/s3-data.mjs';

/** S3's headers on every answer (request ids) and on object answers. */
const S3_HEADERS = { 'x-amz-id-2': 'vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=', 'x-amz-request-id': '5XJZ9CMAK4N9V9A2', 'x-amz-server-side-encryption': 'AES256' };

/** A DynamoDB answer (JSON 1.0) with the headers DynamoDB sends, x-amz-crc32 included. */
function dynamodb(answer) {
  const body = JSON.stringify(answer);
  return {
    status: 200,
    headers: {
      'x-amzn-RequestId': 'NLHI5CG8TSV4LQ8DQ2IKJ2C0J7VV4KQNSO5AEMVJF66Q9ASUAAJG',
      'x-amz-crc32': String(crc32(body)),
      'Content-Type': 'application/x-amz-json-1.0',
    },
    body,
  };
}

/** Canned responses by name: status, headers and body exactly as AWS sends them. */
const CANNED = {
  // STS GetCallerIdentity over the query protocol (awsQuery: XML, text/xml).
  sts: {
    status: 200,
    headers: {
      'x-amzn-RequestId': 'c6104cbe-af31-11e0-8154-cbc7ccf896c7',
      'Content-Type': 'text/xml',
    },
    body:
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
      '  <GetCallerIdentityResult>\n' +
      '    <Arn>arn:aws:iam::000000000000:root</Arn>\n' +
      '    <UserId>000000000000</UserId>\n' +
      '    <Account>000000000000</Account>\n' +
      '  </GetCallerIdentityResult>\n' +
      '  <ResponseMetadata>\n' +
      '    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n' +
      '  </ResponseMetadata>\n' +
      '</GetCallerIdentityResponse>\n',
  },
  // DynamoDB (bench/workloads/dynamodb.mjs): the answers nimbus and dynalite give.
  'dynamodb-put': dynamodb({}),
  'dynamodb-update': dynamodb({}),
  'dynamodb-get': dynamodb({ Item: benchItem(0, 0) }),
  'dynamodb-query': dynamodb(queryAnswer(0, 25)),
  // S3 (bench/workloads/s3.mjs): GetObject and PutObject of the 1 KiB bench object.
  's3-get': {
    status: 200,
    headers: { ...S3_HEADERS, 'Last-Modified': 'Fri, 27 Nov 2026 00:00:00 GMT', ETag: OBJECT_ETAG, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' },
    body: OBJECT_BODY,
  },
  's3-put': { status: 200, headers: { ...S3_HEADERS, ETag: OBJECT_ETAG, 'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=', 'x-amz-checksum-type': 'FULL_OBJECT' }, body: '' },
  // GetObject of the 1 MiB object and a 1,000-key ListObjectsV2 page.
  's3-get-1mib': {
    status: 200,
    headers: { ...S3_HEADERS, 'Last-Modified': 'Fri, 27 Nov 2026 00:00:00 GMT', ETag: LARGE_ETAG, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' },
    body: LARGE_BODY,
  },
  's3-list': { status: 200, headers: { ...S3_HEADERS, 'Content-Type': 'application/xml' }, body: listAnswer() },
  // SQS SendMessage over JSON 1.0 (bench/workloads/sqs.mjs).
  'sqs-send': {
    status: 200,
    headers: { 'x-amzn-RequestId': '4b0f7b4e-3c3a-5a44-9d39-5f2b0c1c9a11', 'Content-Type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({
      MD5OfMessageAttributes: '3ab4a4e4ea8d9d2e2bc0ee0c3fd2f5a1',
      MD5OfMessageBody: '8d6c1fd5b3b5c2a54b8e8f0e4e2c1e7a',
      MessageId: '0e9a4b8c-5a7d-4f0b-9b8e-2a1c3d4e5f60',
    }),
  },
  // SNS Publish over the query protocol (bench/workloads/sns-fanout.mjs).
  'sns-publish': {
    status: 200,
    headers: { 'x-amzn-RequestId': 'f187a3c1-376f-11df-8963-01868b7c937a', 'Content-Type': 'text/xml' },
    body:
      '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\n' +
      '  <PublishResult>\n' +
      '    <MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId>\n' +
      '  </PublishResult>\n' +
      '  <ResponseMetadata>\n' +
      '    <RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId>\n' +
      '  </ResponseMetadata>\n' +
      '</PublishResponse>\n',
  },
};

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4567' },
    host: { type: 'string', default: '127.0.0.1' },
    canned: { type: 'string', default: 'sts' },
  },
});
const canned = CANNED[values.canned];
if (!canned) {
  console.error(`floor: unknown --canned ${values.canned} (known: ${Object.keys(CANNED).join(', ')})`);
  process.exit(2);
}
const body = Buffer.from(canned.body);
const headers = { ...canned.headers, 'Content-Length': String(body.length) };

const server = http.createServer((req, res) => {
  // Consume the body like a real server must before it can answer.
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(canned.status, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(values.port), values.host, () => {
  console.log(`floor (${values.canned}) listening on http://${values.host}:${values.port}`);
});
// Nothing to flush: exit at once rather than wait for keep-alive connections to drain.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
