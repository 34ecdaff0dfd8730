/**
 * Persistence: topics, subscriptions with their attributes, tags and FIFO
 * deduplication survive a restart of nimbus on the same data directory.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, ListTopicsCommand,
  GetSubscriptionAttributesCommand, ListTagsForResourceCommand,
} from '@aws-sdk/client-sns';
import { startNimbus } from '../../../src/nimbus.js';
import { clientConfig } from '../../helpers/nimbus.js';

const dir = mkdtempSync(join(tmpdir(), 'nimbus-sns-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const start = () => startNimbus({ ephemeral: false, dataDir: dir, port: 0, logLevel: 'off' });

test('topics, subscriptions, tags and FIFO deduplication survive a restart', async () => {
  let cloud = await start();
  let sns = new SNSClient(clientConfig(cloud.endpoint));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'kept.fifo', Attributes: { FifoTopic: 'true' }, Tags: [{ Key: 'a', Value: 'b' }] }));
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:kept.fifo', Attributes: { FilterPolicy: '{"k":["v"]}' } }));
  const first = await sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
  sns.destroy();
  await cloud.stop();

  cloud = await start();
  sns = new SNSClient(clientConfig(cloud.endpoint));
  try {
    assert.deepEqual((await sns.send(new ListTopicsCommand({}))).Topics, [{ TopicArn }]);
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.equal(attrs.FilterPolicy, '{"k":["v"]}');
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'a', Value: 'b' }]);
    const again = await sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    assert.equal(again.MessageId, first.MessageId);
    assert.equal(again.SequenceNumber, first.SequenceNumber);
    const next = await sns.send(new PublishCommand({ TopicArn, Message: 'n', MessageGroupId: 'g', MessageDeduplicationId: 'e' }));
    assert.equal(BigInt(next.SequenceNumber!), BigInt(first.SequenceNumber!) + 1n);
  } finally {
    sns.destroy();
    await cloud.stop();
  }
});
