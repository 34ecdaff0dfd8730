/**
 * The awsQuery codec against the real SDK v3 clients (STS, SNS; IAM has no SDK v3
 * client installed and is covered by botocore in botocore.test.ts): the SDK's
 * request must parse back into the exact input, the codec's responses and errors
 * must parse through the SDK into the exact output / error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { SNSClient, PublishCommand, CreateTopicCommand, ListSubscriptionsCommand, GetTopicAttributesCommand, DeleteTopicCommand } from '@aws-sdk/client-sns';
import { loadModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { queryCodec } from './index.js';
import { plain, sdkConfig, type Exchange, type Serve } from './oracle.test-helper.js';

const sts = loadModel('sts');
const sns = loadModel('sns');

function setup<C>(Ctor: new (config: ReturnType<typeof sdkConfig>) => C, model: typeof sts) {
  const seen: Exchange = {};
  let answer: Serve = () => ({});
  const client = new Ctor(sdkConfig(queryCodec, model, (op, input) => answer(op, input), seen));
  return { client, seen, answer: (fn: Serve) => (answer = fn) };
}

function body(seen: Exchange): string {
  return String(seen.response!.body);
}

test('STS AssumeRole: PolicyArns and Tags lists, integer, exact input and output', async () => {
  const { client, seen, answer } = setup(STSClient, sts);
  const input = {
    RoleArn: 'arn:aws:iam::000000000000:role/demo',
    RoleSessionName: 'session & <one>',
    PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { arn: 'arn:aws:iam::000000000000:policy/p+1' }],
    Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
    DurationSeconds: 900,
    Tags: [{ Key: 'Project', Value: 'Nimbus = 1' }, { Key: 'Team', Value: 'é ü 😀' }],
    TransitiveTagKeys: ['Project'],
    ExternalId: '123ABC',
  };
  const output = {
    Credentials: {
      AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
      SessionToken: 'AQoDYXdzEPT//////////wEXAMPLE',
      Expiration: new Date('2011-07-15T23:28:33.359Z'),
    },
    AssumedRoleUser: { AssumedRoleId: 'AROA3XFRBF535PLBIFPI4:s3-access-example', Arn: 'arn:aws:sts::000000000000:assumed-role/demo/session' },
    PackedPolicySize: 8,
    SourceIdentity: 'Alice',
  };
  answer((op, got) => {
    assert.equal(op.name, 'AssumeRole');
    assert.deepEqual(got, input);
    return output;
  });
  const result = await client.send(new AssumeRoleCommand(input));
  assert.deepEqual(plain(result), output);
  assert.equal(result.$metadata.requestId, 'c6104cbe-af31-11e0-8154-cbc7ccf896c7');
  assert.equal(seen.response!.headers['content-type'], 'text/xml');
  assert.ok(body(seen).includes('<Expiration>2011-07-15T23:28:33.359Z</Expiration>'));
});

test('STS GetCallerIdentity: the exact response document', async () => {
  const { client, seen, answer } = setup(STSClient, sts);
  const output = { UserId: 'AIDAEXAMPLE', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/alice' };
  answer((_op, got) => {
    assert.deepEqual(got, {});
    return output;
  });
  const result = await client.send(new GetCallerIdentityCommand({}));
  assert.deepEqual(plain(result), output);
  assert.equal(body(seen),
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
    + '<UserId>AIDAEXAMPLE</UserId><Account>000000000000</Account><Arn>arn:aws:iam::000000000000:user/alice</Arn>'
    + '</GetCallerIdentityResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>'
    + '</GetCallerIdentityResponse>');
});

test('STS errors: modelled code and status, Sender/Receiver, unmodelled codes', async () => {
  const { client, seen, answer } = setup(STSClient, sts);
  answer(() => { throw new ServiceError('RegionDisabledException', 'STS is not activated in this region for account:000000000000.'); });
  let err = await client.send(new GetSessionTokenCommand({})).catch((e: unknown) => e) as { name: string; message: string; $metadata: { httpStatusCode: number }; $fault: string };
  assert.equal(err.name, 'RegionDisabledException');
  assert.equal(err.message, 'STS is not activated in this region for account:000000000000.');
  assert.equal(err.$metadata.httpStatusCode, 403);
  assert.equal(err.$fault, 'client');
  assert.equal(body(seen),
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>RegionDisabledException</Code>'
    + '<Message>STS is not activated in this region for account:000000000000.</Message></Error>'
    + '<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>');

  answer(() => { throw new ServiceError('AccessDenied', 'User: x is not authorized to perform: sts:AssumeRole', { status: 403 }); });
  err = await client.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 's' })).catch((e: unknown) => e) as typeof err;
  assert.equal(err.name, 'AccessDenied');
  assert.equal(err.message, 'User: x is not authorized to perform: sts:AssumeRole');
  assert.equal(err.$metadata.httpStatusCode, 403);

  answer(() => { throw new ServiceError('InternalFailure', 'boom', { status: 500 }); });
  err = await client.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e) as typeof err;
  assert.equal(err.name, 'InternalFailure');
  assert.equal(err.$metadata.httpStatusCode, 500);
  assert.equal(err.$fault, 'server');
  assert.ok(body(seen).includes('<Type>Receiver</Type>'));
});

test('SNS Publish: MessageAttributes map with String, Number and Binary values; text that needs escaping', async () => {
  const { client, seen, answer } = setup(SNSClient, sns);
  const input = {
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
    Message: 'line1\r\nline2 & <tag attr="x"> \'q\' \t tab ]]> 😀',
    Subject: 'Hello',
    MessageAttributes: {
      color: { DataType: 'String', StringValue: 'blue' },
      price: { DataType: 'Number', StringValue: '42.5' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 253, 254, 255]) },
    },
    MessageGroupId: 'g1',
  };
  answer((op, got) => {
    assert.equal(op.name, 'Publish');
    assert.deepEqual(got, input);
    return { MessageId: '94f20ce6-13c5-43a0-9a9e-ca52d816e90b', SequenceNumber: '10000000000000003000' };
  });
  const result = await client.send(new PublishCommand(input));
  assert.deepEqual(plain(result), { MessageId: '94f20ce6-13c5-43a0-9a9e-ca52d816e90b', SequenceNumber: '10000000000000003000' });
  assert.match(String(seen.wire!.body), /MessageAttributes\.entry\.1\.Name=color&MessageAttributes\.entry\.1\.Value\.DataType=String/);
});

test('SNS CreateTopic: Attributes map and Tags; DeleteTopic has ResponseMetadata only', async () => {
  const { client, seen, answer } = setup(SNSClient, sns);
  const input = { Name: 'orders.fifo', Attributes: { FifoTopic: 'true', DisplayName: 'Orders & more' }, Tags: [{ Key: 'env', Value: 'dev' }] };
  answer((_op, got) => {
    assert.deepEqual(got, input);
    return { TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders.fifo' };
  });
  assert.deepEqual(plain(await client.send(new CreateTopicCommand(input))), { TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders.fifo' });

  answer(() => ({}));
  assert.deepEqual(plain(await client.send(new DeleteTopicCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' }))), {});
  assert.equal(body(seen), '<DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata>'
    + '<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></DeleteTopicResponse>');
});

test('SNS ListSubscriptions and GetTopicAttributes: lists, empty lists and maps in output', async () => {
  const { client, seen, answer } = setup(SNSClient, sns);
  const subs = {
    Subscriptions: [
      { SubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:t:1', Owner: '000000000000', Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' },
      { SubscriptionArn: 'PendingConfirmation', Owner: '000000000000', Protocol: 'email', Endpoint: 'a@b.c', TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' },
    ],
    NextToken: 'next',
  };
  answer(() => subs);
  assert.deepEqual(plain(await client.send(new ListSubscriptionsCommand({}))), subs);
  assert.ok(body(seen).includes('<Subscriptions><member><SubscriptionArn>arn:aws:sns:us-east-1:000000000000:t:1</SubscriptionArn>'));

  answer(() => ({ Subscriptions: [] }));
  assert.deepEqual(plain(await client.send(new ListSubscriptionsCommand({ NextToken: 'abc' }))), { Subscriptions: [] });
  assert.ok(body(seen).includes('<ListSubscriptionsResult><Subscriptions/></ListSubscriptionsResult>'));

  const attrs = { Attributes: { Policy: '{"a":"<b>"}', DisplayName: 'cr\r\nlf\u0001', ['__proto__']: 'p' } };
  answer(() => attrs);
  const got = plain(await client.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' }))) as { Attributes: Record<string, string> };
  // The SDK itself drops a `__proto__` key (it assigns map keys); the body carries it.
  assert.deepEqual(got, { Attributes: { Policy: attrs.Attributes.Policy, DisplayName: attrs.Attributes.DisplayName } });
  assert.ok(body(seen).includes('<entry><key>__proto__</key><value>p</value></entry>'));
  assert.ok(body(seen).includes('<Attributes><entry><key>Policy</key><value>{&quot;a&quot;:&quot;&lt;b&gt;&quot;}</value></entry>'));
  assert.ok(body(seen).includes('<value>cr&#xD;\nlf&#x1;</value>'));
});

test('SNS errors: NotFoundException travels as code NotFound with status 404', async () => {
  const { client, seen, answer } = setup(SNSClient, sns);
  answer(() => { throw new ServiceError('NotFoundException', 'Topic does not exist'); });
  const err = await client.send(new DeleteTopicCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:none' })).catch((e: unknown) => e) as { name: string; message: string; $metadata: { httpStatusCode: number } };
  assert.equal(err.name, 'NotFoundException');
  assert.equal(err.message, 'Topic does not exist');
  assert.equal(err.$metadata.httpStatusCode, 404);
  assert.ok(body(seen).includes('<Code>NotFound</Code>'));
});
