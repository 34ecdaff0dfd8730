/**
 * Publishing: FIFO ordering and deduplication, filter policies, and fan-out to the
 * confirmed subscriptions of a topic (Publish API reference; "Message deduplication
 * for FIFO topics"; "Amazon SNS message filtering").
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RequestContext } from '../../gateway/context.js';
import { compileFilterPolicy, type CompiledFilterPolicy, type FilterPolicyScope } from '../../engines/filter-policy/compile.js';
import { matchesAttributes, matchesBody } from '../../engines/filter-policy/match.js';
import type { SnsStore, SubscriptionRecord, TopicRecord } from './store.js';
import { retryPolicyOf, type Deliverer, type Delivery } from './delivery.js';
import { invalidParameter } from './errors.js';
import { messageFor, type PreparedMessage } from './messages.js';
import { isFifo } from './topics.js';

/** FIFO topics deduplicate within five minutes. */
const DEDUP_WINDOW_MS = 5 * 60_000;
/** SNS sequence numbers are 20 digits. */
const SEQUENCE_BASE = 10n ** 19n;

/** FIFO parameters of one publish. */
export interface FifoParameters {
  groupId: string | undefined;
  deduplicationId: string | undefined;
}

/** What Publish answers. */
export interface Published {
  MessageId: string;
  SequenceNumber?: string;
}

/** Publishes to topics; caches compiled filter policies by text and scope. */
export class Publisher {
  private readonly policies = new Map<string, CompiledFilterPolicy>();
  private lastSweep = 0;
  /** Runs a function in one SQLite transaction (wrapped once: better-sqlite3's wrapper is not free per call). */
  private readonly atomically: (fn: () => void) => void;

  constructor(private readonly store: SnsStore, private readonly deliverer: Deliverer) {
    this.atomically = store.db.transaction((fn: () => void) => fn());
  }

  /** Checks the FIFO parameters against the topic type; throws SNS's reasons. */
  checkFifo(topic: TopicRecord, fifo: FifoParameters): void {
    if (isFifo(topic)) {
      if (fifo.groupId === undefined) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
      if (fifo.deduplicationId === undefined && topic.attributes.ContentBasedDeduplication !== 'true') {
        throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
    } else if (fifo.deduplicationId !== undefined) {
      throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
  }

  /** Publishes one checked message: FIFO bookkeeping, then delivery to every matching subscription. */
  async publish(ctx: RequestContext, topic: TopicRecord, m: PreparedMessage, fifo: FifoParameters): Promise<Published> {
    const now = ctx.clock.now();
    const messageId = randomUUID();
    let sequenceNumber: string | undefined;
    let deduplicationId: string | undefined;
    if (isFifo(topic)) {
      if (now - this.lastSweep > DEDUP_WINDOW_MS) {
        // Expired deduplication ids are dropped lazily, at most once per window.
        this.lastSweep = now;
        this.store.sweepDeduplication(now);
      }
      deduplicationId = fifo.deduplicationId ?? createHash('sha256').update(m.message).digest('hex');
      const earlier = this.store.getDuplicate(topic.arn, deduplicationId, now);
      // A duplicate is acknowledged with the first message's id and not delivered again.
      if (earlier) return { MessageId: earlier.messageId, SequenceNumber: earlier.sequence };
    }
    const timestamp = new Date(now).toISOString();
    const waits: Promise<void>[] = [];
    const signatures = new Map<string, string>();
    // One transaction for the writes of the publish itself (the FIFO sequence and
    // deduplication record, recorded email/SMS messages). SQS deliveries are committed
    // by SQS, which groups the sends of one event-loop turn (the queues of this publish
    // and of concurrent ones) into one commit; Publish answers once they are committed.
    this.atomically(() => {
      if (deduplicationId !== undefined) {
        sequenceNumber = (SEQUENCE_BASE + this.store.nextSequence(topic.arn)).toString();
        this.store.putDeduplication(topic.arn, deduplicationId, messageId, sequenceNumber, now + DEDUP_WINDOW_MS);
      }
      for (const s of this.store.topicSubscriptions(topic.arn)) {
        if (s.pending || !this.matches(s, m)) continue;
        const d: Delivery = {
          topic, subscription: s, messageId, message: messageFor(m, s.protocol), subject: m.subject, attributes: m.attributes, timestamp,
          groupId: fifo.groupId, deduplicationId, sequenceNumber, signatures,
        };
        const wait = this.deliver(ctx, d);
        if (wait) waits.push(wait);
      }
    });
    if (waits.length) await Promise.all(waits);
    const out: Published = { MessageId: messageId };
    if (sequenceNumber !== undefined) out.SequenceNumber = sequenceNumber;
    return out;
  }

  /** Starts one delivery; returns what Publish waits for (SQS), other transports run on. */
  private deliver(ctx: RequestContext, d: Delivery): Promise<void> | undefined {
    switch (d.subscription.protocol) {
      case 'sqs':
        return this.deliverer.toSqs(d, ctx.endpoint);
      case 'http':
      case 'https': {
        const raw = d.subscription.attributes.RawMessageDelivery === 'true';
        const body = raw ? d.message : this.deliverer.envelope(d, ctx.endpoint);
        const retry = retryPolicyOf(d.subscription.attributes.DeliveryPolicy, d.topic.attributes.DeliveryPolicy);
        const exhausted = () => this.deliverer.toDeadLetterQueue(d, body, raw ? d.attributes : undefined);
        void this.deliverer.toHttp(d.subscription.endpoint, 'Notification', d.messageId, d.topic.arn, d.subscription.arn, body, retry, exhausted);
        return undefined;
      }
      case 'lambda':
        void this.deliverer.toLambda(d, ctx.endpoint);
        return undefined;
      case 'sms':
      case 'email':
      case 'email-json':
        // Nimbus has no carrier or mail server: the message is recorded as sent, readable at GET /_nimbus/sns/messages.
        // email sends the message text, email-json the JSON envelope ("Amazon SNS message and JSON formats").
        this.store.putOutbound({
          account: d.subscription.account, region: d.subscription.region, protocol: d.subscription.protocol, endpoint: d.subscription.endpoint,
          type: 'Notification', topicArn: d.topic.arn, subscriptionArn: d.subscription.arn, messageId: d.messageId,
          subject: d.subject, message: d.subscription.protocol === 'email-json' ? this.deliverer.envelope(d, ctx.endpoint) : d.message,
          sentAt: ctx.clock.now(),
        });
        return undefined;
      default:
        // application and firehose have no transport in nimbus yet.
        ctx.logger.debug('sns delivery skipped: no transport for protocol', { protocol: d.subscription.protocol, subscription: d.subscription.arn });
        return undefined;
    }
  }

  private matches(s: SubscriptionRecord, m: PreparedMessage): boolean {
    const text = s.attributes.FilterPolicy;
    if (!text) return true;
    const scope = (s.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
    const key = `${scope}\n${text}`;
    let policy = this.policies.get(key);
    if (!policy) {
      policy = compileFilterPolicy(text, scope);
      this.policies.set(key, policy);
    }
    return scope === 'MessageBody' ? matchesBody(policy, messageFor(m, s.protocol)) : matchesAttributes(policy, m.attributes);
  }
}
