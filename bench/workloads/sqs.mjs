// SQS SendMessage over JSON 1.0 (what SDK v3 and boto3 send today): the message data
// path, a durable insert per request, against fauxqs (in memory) and, with --no-sdk, the
// node:http floor (bench/floor.mjs). Nimbus persists to a
// fresh temporary data directory (the default mode: every send committed to SQLite
// before the answer), not --ephemeral. The SDK phase runs whole send -> receive ->
// delete cycles. Each target's readiness request is the CreateQueue of the bench queue
// (idempotent), so the queue exists once a target is ready; this moves the first
// CreateQueue into the startup figure for both targets.
import { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { fauxqsTarget, floorTarget } from '../lib/targets.mjs';
import { CREDENTIALS, REGION, nimbusTargets, queueUrl, sqsRequest } from './sqs-common.mjs';

const QUEUE = 'bench';
const QUEUE_URL = queueUrl(QUEUE);
const jsonRequest = sqsRequest;

const ready = jsonRequest('CreateQueue', { QueueName: QUEUE });

/** A target whose readiness request creates the bench queue. */
function withQueue(target) {
  return { ...target, ready };
}

/** The SQS workload: nimbus against fauxqs. */
export const sqsWorkload = {
  name: 'sqs',
  title: 'SQS SendMessage 256 B + 1 attribute (JSON 1.0)',
  baseline: 'fauxqs',
  // The floor answers SendMessage's canned answer to everything, which the SDK phase's
  // receive/delete cycle cannot run against: it joins the run with --no-sdk.
  targets: [...(process.argv.includes('--no-sdk') ? [floorTarget('sqs-send')] : []), withQueue(fauxqsTarget()), ...nimbusTargets().map(withQueue)],

  requests() {
    return [0, 1, 2, 3].map((i) => jsonRequest('SendMessage', {
      QueueUrl: QUEUE_URL,
      MessageBody: `${i}`.padEnd(256, 'x'),
      MessageAttributes: { kind: { DataType: 'String', StringValue: `bench-${i}` } },
    }));
  },

  check(response) {
    const body = response.body.toString('utf8');
    if (response.status !== 200) return `status ${response.status}: ${body.slice(0, 300)}`;
    if (!/"MessageId":"[^"]+"/.test(body) || !/"MD5OfMessageBody":"[0-9a-f]{32}"/.test(body)) return `unexpected body: ${body.slice(0, 300)}`;
    return undefined;
  },

  /** SDK phase: one send -> receive -> delete cycle per call, on a queue of its own. */
  sdk(endpoint) {
    const client = new SQSClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
    let queueUrl;
    const call = async () => {
      queueUrl ??= (await client.send(new CreateQueueCommand({ QueueName: 'bench-sdk' }))).QueueUrl;
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'cycle' }));
      const r = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 }));
      const m = r.Messages?.[0];
      if (m) await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    };
    return { call, close: () => client.destroy() };
  },
};
