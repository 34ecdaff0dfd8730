// SNS fan-out: Publish (query protocol, 256 B + 1 attribute) to a topic with three SQS
// queue subscriptions, nimbus (persisting to a temporary data directory) against fauxqs
// (in memory) and the node:http floor (bench/floor.mjs, answering Publish's canned
// answer). Publish answers once the message is in every queue (nimbus commits the
// three sends before answering). Throughput is publishes/s; each is three deliveries.
// `raw: true` subscribes with RawMessageDelivery (no envelope, nothing signed); without
// it every delivery is the signed JSON envelope (one RSA signature per publish).
//
// Setup (before any measured phase): CreateTopic, three CreateQueue, three Subscribe.
import { fauxqsTarget, floorTarget } from '../lib/targets.mjs';
import { ACCOUNT, REGION, call, checkPublish, client, nimbusTargets, publishRequests, snsRequest, sqsRequest } from './sqs-common.mjs';

const TOPIC = 'fanout';
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:${TOPIC}`;
const QUEUES = ['fanout-a', 'fanout-b', 'fanout-c'];

/** The fan-out workload; `raw` picks raw delivery. */
export function snsFanoutWorkload({ raw = true } = {}) {
  const ready = snsRequest({ Action: 'ListTopics' });
  return {
    name: raw ? 'sns-fanout' : 'sns-fanout-envelope',
    title: `SNS Publish 256 B + 1 attribute to 3 SQS subscriptions (${raw ? 'raw delivery' : 'signed envelope'})`,
    baseline: 'fauxqs',
    targets: [floorTarget('sns-publish'), { ...fauxqsTarget(), ready }, ...nimbusTargets().map((t) => ({ ...t, ready }))],

    async setup(server, target) {
      if (target.name === 'floor') return; // the floor answers every request with Publish's answer
      const c = client(server.port);
      try {
        const topic = await c.send(snsRequest({ Action: 'CreateTopic', Name: TOPIC }));
        if (topic.status !== 200) throw new Error(`CreateTopic: ${topic.status} ${topic.body.slice(0, 300)}`);
        for (const q of QUEUES) {
          await call(c, sqsRequest('CreateQueue', { QueueName: q }));
          const params = { Action: 'Subscribe', TopicArn: TOPIC_ARN, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:${q}` };
          if (raw) Object.assign(params, { 'Attributes.entry.1.key': 'RawMessageDelivery', 'Attributes.entry.1.value': 'true' });
          const sub = await c.send(snsRequest(params));
          if (sub.status !== 200) throw new Error(`Subscribe: ${sub.status} ${sub.body.slice(0, 300)}`);
        }
      } finally {
        c.close();
      }
    },

    requests() {
      return publishRequests(TOPIC_ARN);
    },

    check: checkPublish,
  };
}
