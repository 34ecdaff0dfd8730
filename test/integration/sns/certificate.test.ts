/**
 * The SigningCertURL of SNS envelopes answers with the certificate whose key signs
 * them, and the SubscribeURL works as the plain GET that receivers make.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createVerify } from 'node:crypto';
import { SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, GetSubscriptionAttributesCommand } from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/nimbus.js';
import { nimbusHarness } from '../../helpers/harness.js';

const { cloud } = nimbusHarness();

test('an SNS envelope delivered to SQS verifies with the certificate at its SigningCertURL', async () => {
  const sns = new SNSClient(clientConfig(cloud.endpoint));
  const sqs = new SQSClient(clientConfig(cloud.endpoint));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'cert-topic' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'cert-queue' }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attrs.Attributes!.QueueArn }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'hello', Subject: 'greeting' }));
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  const envelope = JSON.parse(got.Messages![0].Body!);
  assert.equal(envelope.Type, 'Notification');
  assert.equal(envelope.SigningCertURL, `${cloud.endpoint}/_nimbus/sns/SimpleNotificationService.pem`);
  const res = await fetch(envelope.SigningCertURL);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/x-pem-file');
  const cert = new X509Certificate(await res.text());
  // The string to sign, as "Verifying the signatures of Amazon SNS messages" lists it for notifications.
  const fields = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
  const text = fields.filter((f) => envelope[f] !== undefined).map((f) => `${f}\n${envelope[f]}\n`).join('');
  const verify = createVerify(envelope.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
  verify.update(text);
  assert.equal(verify.verify(cert.publicKey, envelope.Signature, 'base64'), true);
  sns.destroy();
  sqs.destroy();
});

test('the UnsubscribeURL of an envelope works as a plain GET', async () => {
  const sns = new SNSClient(clientConfig(cloud.endpoint));
  const sqs = new SQSClient(clientConfig(cloud.endpoint));
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'unsub-topic' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'unsub-queue' }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attrs.Attributes!.QueueArn }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'bye' }));
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  const envelope = JSON.parse(got.Messages![0].Body!);
  const res = await fetch(envelope.UnsubscribeURL);
  assert.equal(res.status, 200, await res.clone().text());
  await assert.rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), (e: Error) => e.name === 'NotFoundException' || e.name === 'NotFound');
  sns.destroy();
  sqs.destroy();
});
