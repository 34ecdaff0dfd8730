/**
 * The awsQuery codec on raw requests: AWS's common errors (Common Errors pages of
 * the query APIs: MissingAction 400, InvalidAction 400, MalformedQueryString 404,
 * InvalidParameterValue 400), GET and POST forms, and the exact SQS bodies that
 * the awsQueryCompatible overlay produces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { queryCodec } from './index.js';
import { exchange, wireRequest, type Exchange, type Serve } from './oracle.test-helper.js';

const sts = loadModel('sts');
const sqs = loadModel('sqs');
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const ID = 'c6104cbe-af31-11e0-8154-cbc7ccf896c7';

function post(model: typeof sts, body: string, serve: Serve = () => ({}), url = '/') {
  const seen: Exchange = {};
  const res = exchange(queryCodec, model, wireRequest('POST', url, FORM, body), serve, seen);
  return { res, seen, body: String(res.body) };
}

function errorBody(type: string, code: string, message: string, ns = 'https://sts.amazonaws.com/doc/2011-06-15/'): string {
  return `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${ID}</RequestId></ErrorResponse>`;
}

test('a request without Action answers MissingAction, 400', () => {
  const { res, body } = post(sts, 'Version=2011-06-15');
  assert.equal(res.statusCode, 400);
  assert.equal(body, errorBody('Sender', 'MissingAction', 'The request is missing an action or a required parameter.'));
});

test('an unknown Action answers InvalidAction, 400', () => {
  const { res, body } = post(sts, 'Action=GetCallerIdentityX&Version=2011-06-15');
  assert.equal(res.statusCode, 400);
  assert.equal(body, errorBody('Sender', 'InvalidAction', 'The action or operation requested is invalid. Verify that the action is typed correctly.'));
});

test('malformed percent-encoding answers MalformedQueryString, 404', () => {
  for (const bad of ['Action=GetCallerIdentity&X=%zz', 'Action=GetCallerIdentity&X=%', 'Action=GetCallerIdentity&X=%FF%FE', 'Action%=GetCallerIdentity']) {
    const { res, body } = post(sts, bad);
    assert.equal(res.statusCode, 404, bad);
    assert.equal(body, errorBody('Sender', 'MalformedQueryString', 'The query string contains a syntax error.'));
  }
});

test('a value that does not parse as its shape answers InvalidParameterValue, 400', () => {
  const base = 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn&RoleSessionName=s';
  const { res, body } = post(sts, `${base}&DurationSeconds=abc`);
  assert.equal(res.statusCode, 400);
  assert.equal(body, errorBody('Sender', 'InvalidParameterValue', 'Value abc for parameter DurationSeconds is invalid. Reason: Must be an integer.'));
  const nested = post(sqs, `Action=SendMessageBatch&QueueUrl=q&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.DelaySeconds=1.5`);
  assert.equal(nested.res.statusCode, 400);
  assert.match(nested.body, /<Message>Value 1\.5 for parameter SendMessageBatchRequestEntry\.1\.DelaySeconds is invalid\. Reason: Must be an integer\.<\/Message>/);
});

test('GET with the parameters in the query string; POST takes query-string parameters too', () => {
  const seen: Exchange = {};
  const res = exchange(queryCodec, sts, wireRequest('GET', '/?Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws&RoleSessionName=a+b&DurationSeconds=900', {}, ''),
    () => ({ PackedPolicySize: 1 }), seen);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(seen.input, { RoleArn: 'arn:aws', RoleSessionName: 'a b', DurationSeconds: 900 });

  const mixed = post(sts, 'RoleArn=r&RoleSessionName=first', () => ({}), '/?Action=AssumeRole&RoleSessionName=second&Version=2011-06-15');
  assert.equal(mixed.seen.op?.name, 'AssumeRole');
  // The body comes first; a name given twice keeps its first value.
  assert.deepEqual(mixed.seen.input, { RoleArn: 'r', RoleSessionName: 'first' });
});

test('lists: empty (`Name=`), out-of-order indices, non-index names ignored; unknown parameters ignored', () => {
  const { seen } = post(sts, 'Action=AssumeRole&RoleArn=r&RoleSessionName=s&PolicyArns=&TransitiveTagKeys.member.2=b&TransitiveTagKeys.member.1=a&TransitiveTagKeys.member.x=z&Unknown=1');
  assert.deepEqual(seen.input, { RoleArn: 'r', RoleSessionName: 's', PolicyArns: [], TransitiveTagKeys: ['a', 'b'] });
});

test('map keys such as __proto__ stay own properties', () => {
  const { seen } = post(sqs, 'Action=CreateQueue&QueueName=q&Attribute.1.Name=__proto__&Attribute.1.Value=x&Attribute.2.Name=DelaySeconds&Attribute.2.Value=0');
  const attrs = seen.input!.Attributes as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(attrs), Object.prototype);
  assert.deepEqual(Object.keys(attrs), ['__proto__', 'DelaySeconds']);
  assert.equal(Object.getOwnPropertyDescriptor(attrs, '__proto__')?.value, 'x');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('SQS ReceiveMessage: the exact query body AWS sends (flattened Message, Attribute Name/Value, MessageAttribute)', () => {
  const { res, body } = post(sqs, 'Action=ReceiveMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fq&AttributeName.1=All&MessageAttributeName.1=All', () => ({
    Messages: [{
      MessageId: 'm1', ReceiptHandle: 'rh', MD5OfBody: 'md5', Body: 'a\r\nb<c>',
      Attributes: { SenderId: 'AIDA', SentTimestamp: '1' },
      MessageAttributes: { k: { StringValue: 'v', DataType: 'String' }, b: { BinaryValue: Buffer.from('hi'), DataType: 'Binary' } },
    }],
  }));
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/xml');
  assert.equal(body, '<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult><Message>'
    + '<MessageId>m1</MessageId><ReceiptHandle>rh</ReceiptHandle><MD5OfBody>md5</MD5OfBody><Body>a&#xD;\nb&lt;c&gt;</Body>'
    + '<Attribute><Name>SenderId</Name><Value>AIDA</Value></Attribute><Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>'
    + '<MessageAttribute><Name>k</Name><Value><StringValue>v</StringValue><DataType>String</DataType></Value></MessageAttribute>'
    + '<MessageAttribute><Name>b</Name><Value><BinaryValue>aGk=</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>'
    + `</Message></ReceiveMessageResult><ResponseMetadata><RequestId>${ID}</RequestId></ResponseMetadata></ReceiveMessageResponse>`);
});

test('SQS errors carry the query code of the error shape, whichever name the service threw', () => {
  const expected = errorBody('Sender', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.', 'http://queue.amazonaws.com/doc/2012-11-05/');
  for (const code of ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']) {
    const { res, body } = post(sqs, 'Action=GetQueueUrl&QueueName=x', () => { throw new ServiceError(code, 'The specified queue does not exist.'); });
    assert.equal(res.statusCode, 400);
    assert.equal(body, expected);
  }
  const { res, body } = post(sqs, 'Action=GetQueueUrl&QueueName=x', () => { throw new ServiceError('QueueNameExists', 'exists'); });
  assert.equal(res.statusCode, 400);
  assert.match(body, /<Code>QueueAlreadyExists<\/Code>/);
});

test('SQS operations newer than the query model still get an <Op>Result wrapper', () => {
  const { body } = post(sqs, 'Action=ListMessageMoveTasks&SourceArn=arn', () => ({ Results: [{ Status: 'RUNNING' }] }));
  assert.match(body, /^<ListMessageMoveTasksResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><ListMessageMoveTasksResult><Results><Status>RUNNING<\/Status><\/Results><\/ListMessageMoveTasksResult>/);
});

test('scalar input forms: booleans, timestamps with fractions and offsets, blobs, floats', () => {
  const cw = loadModel('monitoring');
  const { seen } = post(cw, 'Action=PutMetricData&Namespace=n&MetricData.member.1.MetricName=m&MetricData.member.1.Timestamp=2024-03-01T11%3A00%3A00.250000Z'
    + '&MetricData.member.1.Value=1e3&MetricData.member.2.MetricName=m2&MetricData.member.2.Timestamp=2024-03-01T12%3A00%3A00%2B01%3A00&MetricData.member.2.Value=NaN');
  assert.deepEqual(seen.input, {
    Namespace: 'n',
    MetricData: [
      { MetricName: 'm', Timestamp: new Date('2024-03-01T11:00:00.250Z'), Value: 1000 },
      { MetricName: 'm2', Timestamp: new Date('2024-03-01T11:00:00.000Z'), Value: NaN },
    ],
  });
  const bad = post(cw, 'Action=PutMetricData&Namespace=n&MetricData.member.1.MetricName=m&MetricData.member.1.Timestamp=yesterday');
  assert.equal(bad.res.statusCode, 400);
  assert.match(bad.body, /<Code>InvalidParameterValue<\/Code><Message>Value yesterday for parameter MetricData\.member\.1\.Timestamp is invalid\./);
  const flag = post(cw, 'Action=PutMetricAlarm&AlarmName=a&ActionsEnabled=maybe');
  assert.match(flag.body, /<Message>Value maybe for parameter ActionsEnabled is invalid\. Reason: Must be a boolean \(true or false\)\.<\/Message>/);
});

test('SQS: a request posted to the queue URL itself takes its QueueUrl from the path', () => {
  const { seen } = post(sqs, 'Action=SendMessage&MessageBody=hi', () => ({ MessageId: 'm' }), '/000000000000/orders');
  assert.deepEqual(seen.input, { MessageBody: 'hi', QueueUrl: 'http://localhost:4566/000000000000/orders' });
  const explicit = post(sqs, 'Action=SendMessage&MessageBody=hi&QueueUrl=http%3A%2F%2Fother%2F1%2Fq', () => ({ MessageId: 'm' }), '/000000000000/orders');
  assert.equal(explicit.seen.input!.QueueUrl, 'http://other/1/q');
});
