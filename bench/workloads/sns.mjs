// SNS Publish over the query protocol (every SDK and CLI speaks it for SNS), against
// fauxqs (in memory). Throughput and latency phases publish 256 B + 1 attribute to a
// topic without subscribers: the Publish path itself (the readiness request is the
// idempotent CreateTopic, the harness having no setup hook). The SDK phase measures
// the fan-out path: each call publishes to a topic with one raw SQS subscriber.
import { SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand } from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand } from '@aws-sdk/client-sqs';
import { checkPublish, publishRequests, snsRequest } from './sqs-common.mjs';
import { fauxqsTarget, nimbusTarget } from '../lib/targets.mjs';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';
const TOPIC = 'bench';
const TOPIC_ARN = `arn:aws:sns:${REGION}:000000000000:${TOPIC}`;


const ready = snsRequest({ Action: 'CreateTopic', Name: TOPIC });

/** The SNS workload: nimbus against fauxqs. */
export const snsWorkload = {
  name: 'sns',
  title: 'SNS Publish 256 B + 1 attribute (query)',
  baseline: 'fauxqs',
  targets: [{ ...fauxqsTarget(), ready }, { ...nimbusTarget(), ready }],

  requests() {
    return publishRequests(TOPIC_ARN);
  },

  check: checkPublish,

  /** SDK phase: Publish to a topic with one raw SQS subscriber (set up on the first call). */
  sdk(endpoint) {
    const config = { endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
    const sns = new SNSClient(config);
    const sqs = new SQSClient(config);
    let setup;
    const prepare = async () => {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench-fanout' }));
      await sqs.send(new CreateQueueCommand({ QueueName: 'bench-fanout' }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:000000000000:bench-fanout`, Attributes: { RawMessageDelivery: 'true' } }));
      return TopicArn;
    };
    const call = async () => {
      setup ??= prepare();
      const TopicArn = await setup;
      await sns.send(new PublishCommand({ TopicArn, Message: 'fan-out', MessageAttributes: { kind: { DataType: 'String', StringValue: 'sdk' } } }));
    };
    return { call, close: () => { sns.destroy(); sqs.destroy(); } };
  },
};
