/**
 * SNS through the AWS CLIs and boto3 of both generations on this machine (SNS speaks
 * the query protocol in all of them): create a topic, subscribe a queue with a filter
 * policy, publish with attributes, read the envelope from SQS, and SNS's errors in
 * each client's words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installedClients, runCli, runBoto3 } from '../../helpers/nimbus.js';
import { nimbusHarness } from '../../helpers/harness.js';

const { cloud } = nimbusHarness();

const present = installedClients();

let n = 0;
for (const client of present) {
  const id = `c${n++}`;
  if (client.kind === 'cli') {
    test(`${client.name}: create-topic, subscribe, publish, errors`, async () => {
      const cli = (args: string[]) => runCli(client.bin, cloud.endpoint, args);
      const topic = await cli(['sns', 'create-topic', '--name', `${id}-topic`, '--attributes', 'DisplayName=Cli']);
      assert.equal(topic.status, 0, topic.stderr);
      const TopicArn = JSON.parse(topic.stdout).TopicArn;
      assert.equal(TopicArn, `arn:aws:sns:us-east-1:000000000000:${id}-topic`);

      const q = await cli(['sqs', 'create-queue', '--queue-name', `${id}-q`]);
      assert.equal(q.status, 0, q.stderr);
      const QueueUrl = JSON.parse(q.stdout).QueueUrl;
      const queueArn = `arn:aws:sqs:us-east-1:000000000000:${id}-q`;
      const sub = await cli(['sns', 'subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs', '--notification-endpoint', queueArn,
        '--attributes', JSON.stringify({ FilterPolicy: '{"kind":["keep"]}' })]);
      assert.equal(sub.status, 0, sub.stderr);
      assert.match(JSON.parse(sub.stdout).SubscriptionArn, new RegExp(`^${TopicArn}:`));

      for (const kind of ['drop', 'keep']) {
        const pub = await cli(['sns', 'publish', '--topic-arn', TopicArn, '--message', `a ${kind} message`, '--subject', 'S',
          '--message-attributes', JSON.stringify({ kind: { DataType: 'String', StringValue: kind } })]);
        assert.equal(pub.status, 0, pub.stderr);
        assert.match(JSON.parse(pub.stdout).MessageId, /^[0-9a-f-]{36}$/);
      }
      const got = await cli(['sqs', 'receive-message', '--queue-url', QueueUrl, '--max-number-of-messages', '10']);
      assert.equal(got.status, 0, got.stderr);
      const messages = JSON.parse(got.stdout).Messages;
      assert.equal(messages.length, 1);
      const body = JSON.parse(messages[0].Body);
      assert.equal(body.Message, 'a keep message');
      assert.equal(body.Subject, 'S');
      assert.deepEqual(body.MessageAttributes, { kind: { Type: 'String', Value: 'keep' } });

      const attrs = await cli(['sns', 'get-topic-attributes', '--topic-arn', TopicArn]);
      assert.equal(attrs.status, 0, attrs.stderr);
      assert.equal(JSON.parse(attrs.stdout).Attributes.SubscriptionsConfirmed, '1');
      assert.equal(JSON.parse(attrs.stdout).Attributes.DisplayName, 'Cli');

      const missingTopic = await cli(['sns', 'get-topic-attributes', '--topic-arn', `${TopicArn}-nope`]);
      assert.notEqual(missingTopic.status, 0);
      assert.match(missingTopic.stderr, /An error occurred \(NotFound\) when calling the GetTopicAttributes operation: Topic does not exist/);
      const badPolicy = await cli(['sns', 'subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs', '--notification-endpoint', `${queueArn}-2`,
        '--attributes', JSON.stringify({ FilterPolicy: '{"a":[{"numeric":[">",5,"<",1]}]}' })]);
      assert.notEqual(badPolicy.status, 0);
      assert.match(badPolicy.stderr, /An error occurred \(InvalidParameter\) when calling the Subscribe operation: Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top/);
    });
  } else {
    test(`${client.name}: create_topic, subscribe, publish, publish_batch, errors`, async () => {
      const r = await runBoto3(client.bin, cloud.endpoint, `
sns = boto3.client('sns', endpoint_url=ENDPOINT, region_name='us-east-1')
sqs = boto3.client('sqs', endpoint_url=ENDPOINT, region_name='us-east-1')
out = {}
topic = sns.create_topic(Name='${id}-topic.fifo', Attributes={'FifoTopic': 'true', 'ContentBasedDeduplication': 'true'})['TopicArn']
out['topic'] = topic
url = sqs.create_queue(QueueName='${id}-q.fifo', Attributes={'FifoQueue': 'true'})['QueueUrl']
sub = sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint='arn:aws:sqs:us-east-1:000000000000:${id}-q.fifo', Attributes={'RawMessageDelivery': 'true'})
out['sub_attrs'] = sns.get_subscription_attributes(SubscriptionArn=sub['SubscriptionArn'])['Attributes']['RawMessageDelivery']
p = sns.publish(TopicArn=topic, Message='one', MessageGroupId='g', MessageAttributes={'n': {'DataType': 'Number', 'StringValue': '7'}})
out['seq'] = p['SequenceNumber']
b = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{'Id': 'x', 'Message': 'two', 'MessageGroupId': 'g'}, {'Id': 'y', 'Message': 'three'}])
out['batch_ok'] = [e['Id'] for e in b['Successful']]
out['batch_failed'] = b['Failed']
msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=['All'])['Messages']
out['bodies'] = [m['Body'] for m in msgs]
out['attrs'] = msgs[0].get('MessageAttributes')
for call in [lambda: sns.get_topic_attributes(TopicArn=topic + 'x'),
             lambda: sns.publish(TopicArn=topic, Message='x', MessageGroupId='g', MessageAttributes={'n': {'DataType': 'Number', 'StringValue': 'NaN!'}}),
             lambda: sns.set_subscription_attributes(SubscriptionArn=sub['SubscriptionArn'], AttributeName='FilterPolicy', AttributeValue='{"a":[{"wildcard":"x"}]}')]:
    try:
        call()
    except botocore.exceptions.ClientError as e:
        out.setdefault('errors', []).append([e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']])
print(json.dumps(out))
`);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.topic, `arn:aws:sns:us-east-1:000000000000:${id}-topic.fifo`);
      assert.equal(out.sub_attrs, 'true');
      assert.match(out.seq, /^\d{20}$/);
      assert.deepEqual(out.batch_ok, ['x']);
      assert.deepEqual(out.batch_failed, [{ Id: 'y', Code: 'InvalidParameter', Message: 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics', SenderFault: true }]);
      assert.deepEqual(out.bodies, ['one', 'two']);
      assert.deepEqual(out.attrs, { n: { DataType: 'Number', StringValue: '7' } });
      assert.deepEqual(out.errors, [
        ['NotFound', 404, 'Topic does not exist'],
        ['ParameterValueInvalid', 400, "Could not cast message attribute 'n' value to number."],
        ['InvalidParameter', 400, 'Invalid parameter: FilterPolicy: Unrecognized match type wildcard'],
      ]);
    });
  }
}
