/**
 * Delivery to subscribers: the JSON envelope SNS sends ("Amazon SNS message and
 * JSON formats"), raw delivery with message attributes, and the per-protocol
 * transports. SQS goes through the internal client; HTTP(S) is POSTed.
 */
import { createHash } from 'node:crypto';
import type { InternalClient } from '../../gateway/context.js';
import type { Logger } from '../../shared/logger.js';
import { parseArn } from '../../shared/arn.js';
import { servicePrincipal, type Principal } from '../../shared/principal.js';
import { isServiceError } from '../../shared/errors.js';
import type { MessageAttributeValue } from '../../models/generated/sns.js';
import type { SubscriptionRecord, TopicRecord } from './store.js';
import { CERTIFICATE_PATH, type SignedFields, type Signer } from './signing.js';

/** The SNS principal that delivers to other services. */
const SNS_SERVICE = 'sns.amazonaws.com';

/** One message addressed to one subscription. */
export interface Delivery {
  topic: TopicRecord;
  subscription: SubscriptionRecord;
  messageId: string;
  /** The text for this subscription's protocol. */
  message: string;
  subject: string | undefined;
  attributes: Record<string, MessageAttributeValue> | undefined;
  timestamp: string;
  /** FIFO topics: the group, deduplication id and sequence number. */
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  /**
   * Signatures already computed for this publish, by signature version and message
   * text: every subscription of one publish signs the same fields (the subscription is
   * not signed), and RSA PKCS#1 v1.5 signatures are deterministic, so one is computed
   * once per publish and reused, byte for byte what signing again would give.
   */
  signatures?: Map<string, string>;
}

/** What a delivery to one queue needs, resolved once per queue ARN. */
interface QueueTarget {
  url: string;
  fifo: boolean;
  options: { account: string; region: string; principal: Principal };
}

/** Sends deliveries; holds what they share (signer, endpoint, queue URLs). */
export class Deliverer {
  private readonly queues = new Map<string, QueueTarget>();

  constructor(private readonly internal: InternalClient, private readonly signer: Signer, private readonly logger: Logger) {}

  /** Forgets cached queue URLs (after a reset). */
  clear(): void {
    this.queues.clear();
  }

  /** The notification JSON a non-raw subscriber receives. */
  envelope(d: Delivery, endpoint: string): string {
    const version = d.topic.attributes.SignatureVersion ?? '1';
    const fields = { Type: 'Notification', MessageId: d.messageId, TopicArn: d.topic.arn, Subject: d.subject, Message: d.message, Timestamp: d.timestamp };
    const body: Record<string, unknown> = { Type: 'Notification', MessageId: d.messageId };
    if (d.sequenceNumber !== undefined) body.SequenceNumber = d.sequenceNumber;
    body.TopicArn = d.topic.arn;
    if (d.subject !== undefined) body.Subject = d.subject;
    body.Message = d.message;
    body.Timestamp = d.timestamp;
    body.SignatureVersion = version;
    body.Signature = this.signature(d, fields, version);
    body.SigningCertURL = `${endpoint}${CERTIFICATE_PATH}`;
    body.UnsubscribeURL = `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${d.subscription.arn}`;
    if (d.attributes) body.MessageAttributes = envelopeAttributes(d.attributes);
    return JSON.stringify(body);
  }

  /** The signature of a notification's fields, computed once per publish and message text. */
  private signature(d: Delivery, fields: SignedFields, version: string): string {
    if (!d.signatures) return this.signer.sign(fields, version);
    const key = `${version}\n${fields.Message}`;
    let signature = d.signatures.get(key);
    if (signature === undefined) {
      signature = this.signer.sign(fields, version);
      d.signatures.set(key, signature);
    }
    return signature;
  }

  /** The confirmation message a pending HTTP(S) or cross-account SQS subscriber receives. */
  confirmationEnvelope(topic: TopicRecord, s: SubscriptionRecord, messageId: string, timestamp: string, endpoint: string): string {
    const version = topic.attributes.SignatureVersion ?? '1';
    const subscribeUrl = `${endpoint}/?Action=ConfirmSubscription&TopicArn=${topic.arn}&Token=${s.token}`;
    const message = `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
    const fields = { Type: 'SubscriptionConfirmation', MessageId: messageId, Token: s.token, TopicArn: topic.arn, Message: message, SubscribeURL: subscribeUrl, Timestamp: timestamp };
    return JSON.stringify({ ...fields, SignatureVersion: version, Signature: this.signer.sign(fields, version), SigningCertURL: `${endpoint}${CERTIFICATE_PATH}` });
  }

  /**
   * Delivers to an SQS queue (awaited by Publish so an acknowledged message is in the
   * queue). A failure goes to the subscription's dead-letter queue when it has one.
   */
  async toSqs(d: Delivery, endpoint: string): Promise<void> {
    const raw = d.subscription.attributes.RawMessageDelivery === 'true';
    const body = raw ? d.message : this.envelope(d, endpoint);
    try {
      await this.sendToQueue(d.subscription.endpoint, body, raw ? d.attributes : undefined, d);
    } catch (e) {
      this.logger.warn('sns delivery to sqs failed', { subscription: d.subscription.arn, error: errorText(e) });
      await this.toDeadLetterQueue(d, body, raw ? d.attributes : undefined);
    }
  }

  /** Sends a confirmation request to a cross-account queue. */
  async confirmationToSqs(queueArn: string, body: string): Promise<void> {
    try {
      await this.sendToQueue(queueArn, body, undefined, undefined);
    } catch (e) {
      this.logger.warn('sns confirmation to sqs failed', { queue: queueArn, error: errorText(e) });
    }
  }

  /**
   * POSTs to an HTTP(S) endpoint with SNS's headers. A network error, a timeout, a 5xx or
   * a 429 is a server-side error, retried on the delivery policy's schedule (default three
   * retries 20 s apart, "Amazon SNS message delivery retries"); the timers do not keep the
   * process alive. Any other 4xx is a client-side error, never retried ("SNS doesn't retry
   * the message delivery that fails as a result of a client-side error"). A client-side
   * error, or a server-side one outlasting the policy, discards the message or hands it to
   * `exhausted` (the subscription's dead-letter queue: "Amazon SNS dead-letter queues").
   */
  async toHttp(url: string, type: string, messageId: string, topicArn: string, subscriptionArn: string | undefined, body: string, retry: RetryPolicy = DEFAULT_RETRY, exhausted?: () => Promise<void>, attempt = 0): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': type,
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': topicArn,
      'user-agent': 'Amazon Simple Notification Service Agent',
    };
    if (subscriptionArn) headers['x-amz-sns-subscription-arn'] = subscriptionArn;
    let failure: string | undefined;
    let permanent = false;
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      if (res.status >= 400) {
        failure = `status ${res.status}`;
        permanent = res.status < 500 && res.status !== TOO_MANY_REQUESTS;
      }
    } catch (e) {
      failure = errorText(e);
    }
    if (failure === undefined) return;
    if (permanent || attempt >= retry.numRetries) {
      this.logger.warn('sns delivery to http failed', { url, attempts: attempt + 1, error: failure });
      if (exhausted) await exhausted();
      return;
    }
    const delay = retryDelay(retry, attempt);
    setTimeout(() => void this.toHttp(url, type, messageId, topicArn, subscriptionArn, body, retry, exhausted, attempt + 1), delay * 1000).unref();
  }

  /** Invokes a Lambda function asynchronously with the SNS event. */
  async toLambda(d: Delivery, endpoint: string): Promise<void> {
    const arn = parseArn(d.subscription.endpoint);
    const event = {
      Records: [{
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: d.subscription.arn,
        Sns: {
          Type: 'Notification',
          MessageId: d.messageId,
          TopicArn: d.topic.arn,
          Subject: d.subject ?? null,
          Message: d.message,
          Timestamp: d.timestamp,
          SignatureVersion: d.topic.attributes.SignatureVersion ?? '1',
          Signature: this.signature(d, { Type: 'Notification', MessageId: d.messageId, TopicArn: d.topic.arn, Subject: d.subject, Message: d.message, Timestamp: d.timestamp }, d.topic.attributes.SignatureVersion ?? '1'),
          SigningCertUrl: `${endpoint}${CERTIFICATE_PATH}`,
          UnsubscribeUrl: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${d.subscription.arn}`,
          MessageAttributes: d.attributes ? envelopeAttributes(d.attributes) : {},
        },
      }],
    };
    try {
      await this.internal.call('lambda', 'Invoke', { FunctionName: d.subscription.endpoint, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }, {
        account: arn?.account, region: arn?.region, principal: servicePrincipal(arn?.account ?? d.topic.account, SNS_SERVICE),
      });
    } catch (e) {
      this.logger.warn('sns delivery to lambda failed', { subscription: d.subscription.arn, error: errorText(e) });
    }
  }

  /** Sends an undeliverable message to the subscription's dead-letter queue, when it has a RedrivePolicy. */
  async toDeadLetterQueue(d: Delivery, body: string, attributes: Record<string, MessageAttributeValue> | undefined): Promise<void> {
    const policy = d.subscription.attributes.RedrivePolicy;
    if (!policy) return;
    const target = (JSON.parse(policy) as { deadLetterTargetArn: string }).deadLetterTargetArn;
    try {
      await this.sendToQueue(target, body, attributes, d);
    } catch (e) {
      this.logger.warn('sns delivery to dead-letter queue failed', { subscription: d.subscription.arn, error: errorText(e) });
    }
  }

  private async sendToQueue(queueArn: string, body: string, attributes: Record<string, MessageAttributeValue> | undefined, d: Delivery | undefined): Promise<void> {
    let target = this.queues.get(queueArn);
    if (!target) {
      const arn = parseArn(queueArn);
      if (!arn) throw new Error(`not a queue ARN: ${queueArn}`);
      const options = { account: arn.account, region: arn.region, principal: servicePrincipal(arn.account, SNS_SERVICE) };
      const out = await this.internal.call('sqs', 'GetQueueUrl', { QueueName: arn.resource, QueueOwnerAWSAccountId: arn.account }, options);
      target = { url: out.QueueUrl as string, fifo: arn.resource.endsWith('.fifo'), options };
      this.queues.set(queueArn, target);
    }
    const input: Record<string, unknown> = { QueueUrl: target.url, MessageBody: body };
    if (attributes) input.MessageAttributes = attributes;
    if (target.fifo) {
      // A FIFO queue needs a group; messages from a standard topic go to one group per subscription.
      input.MessageGroupId = d?.groupId ?? d?.subscription.arn ?? queueArn;
      input.MessageDeduplicationId = d?.deduplicationId ?? createHash('sha256').update(body).digest('hex');
    }
    try {
      await this.internal.call('sqs', 'SendMessage', input, target.options);
    } catch (e) {
      // A queue deleted (and perhaps re-created) since its URL was cached.
      if (isServiceError(e) && e.status !== 501) this.queues.delete(queueArn);
      throw e;
    }
  }
}

/** The part of a delivery policy that schedules HTTP retries. */
export interface RetryPolicy {
  numRetries: number;
  minDelayTarget: number;
  maxDelayTarget: number;
  backoffFunction: string;
}

/** The one 4xx SNS treats as a server-side (retried) error: the endpoint is throttling. */
const TOO_MANY_REQUESTS = 429;

const DEFAULT_RETRY: RetryPolicy = { numRetries: 3, minDelayTarget: 20, maxDelayTarget: 20, backoffFunction: 'linear' };

/**
 * The retry policy of an HTTP(S) subscription: its own DeliveryPolicy's healthyRetryPolicy,
 * else the topic's http.defaultHealthyRetryPolicy, else SNS's default.
 */
export function retryPolicyOf(subscriptionPolicy: string | undefined, topicPolicy: string | undefined): RetryPolicy {
  const read = (text: string | undefined, pick: (p: Record<string, unknown>) => unknown): Partial<RetryPolicy> | undefined => {
    if (!text) return undefined;
    try {
      const v = pick(JSON.parse(text) as Record<string, unknown>);
      return v && typeof v === 'object' ? (v as Partial<RetryPolicy>) : undefined;
    } catch {
      return undefined;
    }
  };
  const own = read(subscriptionPolicy, (p) => p.healthyRetryPolicy);
  const topic = read(topicPolicy, (p) => (p.http as Record<string, unknown> | undefined)?.defaultHealthyRetryPolicy);
  return { ...DEFAULT_RETRY, ...topic, ...own };
}

/** Seconds before retry `attempt` (0-based): linear from minDelayTarget to maxDelayTarget. */
function retryDelay(p: RetryPolicy, attempt: number): number {
  if (p.numRetries <= 1) return p.minDelayTarget;
  return p.minDelayTarget + ((p.maxDelayTarget - p.minDelayTarget) * attempt) / (p.numRetries - 1);
}

/** Message attributes as the envelope writes them: Type and Value (Binary in base64). */
function envelopeAttributes(attributes: Record<string, MessageAttributeValue>): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = { Type: a.DataType, Value: a.DataType.startsWith('Binary') ? Buffer.from(a.BinaryValue ?? Buffer.alloc(0)).toString('base64') : a.StringValue ?? '' };
  }
  return out;
}

function errorText(e: unknown): string {
  return isServiceError(e) ? `${e.code}: ${e.message}` : String(e);
}
