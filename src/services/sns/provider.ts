/** The SNS provider: topics, subscriptions, and publishing with fan-out; other operations answer 501. */
import { randomUUID } from 'node:crypto';
import type { RequestContext, ServiceEnv } from '../../gateway/context.js';
import { ServiceError, isServiceError } from '../../shared/errors.js';
import { parseArn } from '../../shared/arn.js';
import type {
  SnsOperations,
  CreateTopicInput, CreateTopicResponse, DeleteTopicInput, ListTopicsInput, ListTopicsResponse,
  GetTopicAttributesInput, GetTopicAttributesResponse, SetTopicAttributesInput,
  TagResourceRequest, TagResourceResponse, UntagResourceRequest, UntagResourceResponse,
  ListTagsForResourceRequest, ListTagsForResourceResponse,
  GetDataProtectionPolicyInput, GetDataProtectionPolicyResponse, PutDataProtectionPolicyInput,
  SubscribeInput, SubscribeResponse, ConfirmSubscriptionInput, ConfirmSubscriptionResponse, UnsubscribeInput,
  ListSubscriptionsInput, ListSubscriptionsResponse, ListSubscriptionsByTopicInput, ListSubscriptionsByTopicResponse,
  GetSubscriptionAttributesInput, GetSubscriptionAttributesResponse, SetSubscriptionAttributesInput,
  PublishInput, PublishResponse, PublishBatchInput, PublishBatchResponse, PublishBatchResultEntry, BatchResultErrorEntry,
  Subscription,
} from '../../models/generated/sns.js';
import { SnsStore, type SubscriptionRecord } from './store.js';
import { Signer } from './signing.js';
import { Deliverer } from './delivery.js';
import { Publisher } from './publish.js';
import { prepareMessage, MAX_MESSAGE_BYTES } from './messages.js';
import { decodeToken, encodeToken, invalidParameter, notFound } from './errors.js';
import {
  checkArn, createTopic, requireTopic, topicAttributes, setTopicAttribute, requireTaggable, tagTopic, untagTopic,
} from './topics.js';
import {
  subscribe, confirmSubscription, requireSubscription, checkSubscriptionArn, subscriptionAttributes,
  setSubscriptionAttribute, PENDING_ARN,
} from './subscriptions.js';

/** List operations answer 100 items a page (ListTopics, ListSubscriptions API references). */
const PAGE = 100;
/** PublishBatch takes at most ten entries. */
const MAX_BATCH = 10;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const PHONE = /^\+[0-9]{1,15}$/;

/** The sns provider. */
export class SnsProvider implements SnsOperations {
  private readonly store: SnsStore;
  private readonly signer: Signer;
  private readonly deliverer: Deliverer;
  private readonly publisher: Publisher;

  constructor(readonly env: ServiceEnv) {
    this.store = new SnsStore(env.storage);
    this.signer = new Signer(this.store);
    this.deliverer = new Deliverer(env.internal, this.signer, env.logger);
    this.publisher = new Publisher(this.store, this.deliverer);
    env.storage.onReset(() => {
      this.signer.clear();
      this.deliverer.clear();
    });
  }

  /** The PEM certificate that verifies message signatures (for the gateway's own route). */
  signingCertificate(): string {
    return this.signer.certificate();
  }

  // --- topics ---

  async createTopic(ctx: RequestContext, input: CreateTopicInput): Promise<CreateTopicResponse> {
    return { TopicArn: createTopic(this.store, ctx, input.Name, input.Attributes, input.Tags, input.DataProtectionPolicy) };
  }

  async deleteTopic(_ctx: RequestContext, input: DeleteTopicInput): Promise<void> {
    // Deleting a topic that does not exist is not an error (DeleteTopic API reference).
    checkArn(input.TopicArn, 'TopicArn');
    this.store.deleteTopic(input.TopicArn);
  }

  async listTopics(ctx: RequestContext, input: ListTopicsInput): Promise<ListTopicsResponse> {
    const arns = this.store.listTopics(ctx.account, ctx.region, decodeToken(input.NextToken), PAGE + 1);
    const out: ListTopicsResponse = { Topics: arns.slice(0, PAGE).map((TopicArn) => ({ TopicArn })) };
    if (arns.length > PAGE) out.NextToken = encodeToken(arns[PAGE - 1]);
    return out;
  }

  async getTopicAttributes(_ctx: RequestContext, input: GetTopicAttributesInput): Promise<GetTopicAttributesResponse> {
    return { Attributes: topicAttributes(this.store, requireTopic(this.store, input.TopicArn)) };
  }

  async setTopicAttributes(_ctx: RequestContext, input: SetTopicAttributesInput): Promise<void> {
    setTopicAttribute(this.store, requireTopic(this.store, input.TopicArn), input.AttributeName, input.AttributeValue);
  }

  async getDataProtectionPolicy(_ctx: RequestContext, input: GetDataProtectionPolicyInput): Promise<GetDataProtectionPolicyResponse> {
    return { DataProtectionPolicy: requireTopic(this.store, input.ResourceArn, 'ResourceArn').dataProtectionPolicy ?? '' };
  }

  async putDataProtectionPolicy(_ctx: RequestContext, input: PutDataProtectionPolicyInput): Promise<void> {
    setTopicAttribute(this.store, requireTopic(this.store, input.ResourceArn, 'ResourceArn'), 'DataProtectionPolicy', input.DataProtectionPolicy);
  }

  async tagResource(_ctx: RequestContext, input: TagResourceRequest): Promise<TagResourceResponse> {
    tagTopic(this.store, requireTaggable(this.store, input.ResourceArn), input.Tags);
    return {};
  }

  async untagResource(_ctx: RequestContext, input: UntagResourceRequest): Promise<UntagResourceResponse> {
    untagTopic(this.store, requireTaggable(this.store, input.ResourceArn), input.TagKeys);
    return {};
  }

  async listTagsForResource(_ctx: RequestContext, input: ListTagsForResourceRequest): Promise<ListTagsForResourceResponse> {
    return { Tags: requireTaggable(this.store, input.ResourceArn).tags };
  }

  // --- subscriptions ---

  async subscribe(ctx: RequestContext, input: SubscribeInput): Promise<SubscribeResponse> {
    const topic = requireTopic(this.store, input.TopicArn);
    const { subscription: s, created } = subscribe(this.store, ctx, topic, input.Protocol, input.Endpoint, input.Attributes);
    if (created && s.pending) await this.requestConfirmation(ctx, s);
    return { SubscriptionArn: s.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : s.arn };
  }

  /** Sends the SubscriptionConfirmation message to endpoints that can receive it. */
  private async requestConfirmation(ctx: RequestContext, s: SubscriptionRecord): Promise<void> {
    const topic = requireTopic(this.store, s.topicArn);
    const messageId = randomUUID();
    const body = this.deliverer.confirmationEnvelope(topic, s, messageId, new Date(ctx.clock.now()).toISOString(), ctx.endpoint);
    if (s.protocol === 'sqs') await this.deliverer.confirmationToSqs(s.endpoint, body);
    else if (s.protocol === 'http' || s.protocol === 'https') void this.deliverer.toHttp(s.endpoint, 'SubscriptionConfirmation', messageId, topic.arn, undefined, body);
    else if (s.protocol === 'email' || s.protocol === 'email-json') {
      // The confirmation "email": its envelope carries the SubscribeURL and Token that confirm the subscription.
      this.store.putOutbound({
        account: s.account, region: s.region, protocol: s.protocol, endpoint: s.endpoint, type: 'SubscriptionConfirmation',
        topicArn: topic.arn, subscriptionArn: s.arn, messageId, subject: 'AWS Notification - Subscription Confirmation', message: body, sentAt: ctx.clock.now(),
      });
    }
  }

  /** Email, email-json and SMS messages nimbus recorded as sent (GET /_nimbus/sns/messages), filtered by the query's account, region, protocol and endpoint. */
  sentMessages(query: Readonly<Record<string, readonly string[]>>): { messages: Array<Record<string, unknown>> } {
    const one = (name: string) => query[name]?.[0] || undefined;
    const filter = { account: one('account'), region: one('region'), protocol: one('protocol'), endpoint: one('endpoint') ?? one('phoneNumber') };
    return {
      messages: this.store.outbound(filter).map((m) => ({
        Account: m.account, Region: m.region, Protocol: m.protocol, Endpoint: m.endpoint, Type: m.type,
        ...(m.topicArn !== undefined ? { TopicArn: m.topicArn } : {}),
        ...(m.subscriptionArn !== undefined ? { SubscriptionArn: m.subscriptionArn } : {}),
        MessageId: m.messageId,
        ...(m.subject !== undefined ? { Subject: m.subject } : {}),
        Message: m.message,
        Timestamp: new Date(m.sentAt).toISOString(),
      })),
    };
  }

  async confirmSubscription(_ctx: RequestContext, input: ConfirmSubscriptionInput): Promise<ConfirmSubscriptionResponse> {
    const topic = requireTopic(this.store, input.TopicArn);
    return { SubscriptionArn: confirmSubscription(this.store, topic, input.Token, input.AuthenticateOnUnsubscribe) };
  }

  async unsubscribe(_ctx: RequestContext, input: UnsubscribeInput): Promise<void> {
    checkSubscriptionArn(input.SubscriptionArn);
    const s = this.store.getSubscription(input.SubscriptionArn);
    // Unsubscribing twice is not an error.
    if (s) this.store.deleteSubscription(s);
  }

  async listSubscriptions(ctx: RequestContext, input: ListSubscriptionsInput): Promise<ListSubscriptionsResponse> {
    const subs = this.store.listSubscriptions(ctx.account, ctx.region, decodeToken(input.NextToken), PAGE + 1);
    return page(subs);
  }

  async listSubscriptionsByTopic(_ctx: RequestContext, input: ListSubscriptionsByTopicInput): Promise<ListSubscriptionsByTopicResponse> {
    const topic = requireTopic(this.store, input.TopicArn);
    return page(this.store.listSubscriptionsByTopic(topic.arn, decodeToken(input.NextToken), PAGE + 1));
  }

  async getSubscriptionAttributes(_ctx: RequestContext, input: GetSubscriptionAttributesInput): Promise<GetSubscriptionAttributesResponse> {
    const s = requireSubscription(this.store, input.SubscriptionArn);
    return { Attributes: subscriptionAttributes(s, this.store.getTopic(s.topicArn)?.attributes.DeliveryPolicy) };
  }

  async setSubscriptionAttributes(_ctx: RequestContext, input: SetSubscriptionAttributesInput): Promise<void> {
    const s = requireSubscription(this.store, input.SubscriptionArn);
    setSubscriptionAttribute(this.store, this.store.getTopic(s.topicArn), s, input.AttributeName, input.AttributeValue);
  }

  // --- publishing ---

  async publish(ctx: RequestContext, input: PublishInput): Promise<PublishResponse> {
    const targets = [input.TopicArn, input.TargetArn, input.PhoneNumber].filter((t) => t !== undefined && t !== '');
    if (targets.length === 0) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    if (targets.length > 1) throw invalidParameter('TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified');
    const m = prepareMessage(input.Message, input.Subject, input.MessageStructure, input.MessageAttributes);
    if (input.PhoneNumber) return this.publishSms(ctx, input.PhoneNumber, m.perProtocol ? m.perProtocol.sms ?? m.perProtocol.default : m.message);
    const arn = (input.TopicArn || input.TargetArn)!;
    if (input.TargetArn && parseArn(arn)?.resource.startsWith('endpoint/')) {
      checkArn(arn, 'TargetArn');
      throw notFound('Endpoint does not exist');
    }
    const topic = requireTopic(this.store, arn, input.TopicArn ? 'TopicArn' : 'TargetArn');
    const fifo = { groupId: input.MessageGroupId, deduplicationId: input.MessageDeduplicationId };
    this.publisher.checkFifo(topic, fifo);
    return this.publisher.publish(ctx, topic, m, fifo);
  }

  /** SMS to a phone number: recorded as sent (nimbus has no carrier). */
  private publishSms(ctx: RequestContext, phoneNumber: string, message: string): PublishResponse {
    if (!PHONE.test(phoneNumber)) throw invalidParameter(`PhoneNumber Reason: ${phoneNumber} is not valid to publish to`);
    const messageId = randomUUID();
    this.store.putOutbound({
      account: ctx.account, region: ctx.region, protocol: 'sms', endpoint: phoneNumber, type: 'Notification',
      topicArn: undefined, subscriptionArn: undefined, messageId, subject: undefined, message, sentAt: ctx.clock.now(),
    });
    return { MessageId: messageId };
  }

  async publishBatch(ctx: RequestContext, input: PublishBatchInput): Promise<PublishBatchResponse> {
    const entries = input.PublishBatchRequestEntries;
    if (entries.length === 0) throw new ServiceError('EmptyBatchRequest', 'The batch request doesn\'t contain any entries.');
    if (entries.length > MAX_BATCH) throw new ServiceError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
    const topic = requireTopic(this.store, input.TopicArn);
    const ids = new Set<string>();
    let total = 0;
    for (const e of entries) {
      if (ids.has(e.Id)) throw new ServiceError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
      ids.add(e.Id);
      if (!BATCH_ID.test(e.Id)) throw new ServiceError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
      total += Buffer.byteLength(e.Message ?? '', 'utf8');
    }
    if (total > MAX_MESSAGE_BYTES) throw new ServiceError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
    const Successful: PublishBatchResultEntry[] = [];
    const Failed: BatchResultErrorEntry[] = [];
    // Entries publish in order, so a FIFO topic sequences them as listed.
    for (const e of entries) {
      try {
        const m = prepareMessage(e.Message, e.Subject, e.MessageStructure, e.MessageAttributes);
        const fifo = { groupId: e.MessageGroupId, deduplicationId: e.MessageDeduplicationId };
        this.publisher.checkFifo(topic, fifo);
        const out = await this.publisher.publish(ctx, topic, m, fifo);
        Successful.push({ Id: e.Id, ...out });
      } catch (err) {
        if (!isServiceError(err) || (err.status ?? 400) >= 500) throw err;
        Failed.push({ Id: e.Id, Code: err.code, Message: err.message, SenderFault: true });
      }
    }
    return { Successful, Failed };
  }
}

/** A page of subscriptions as the list operations answer it. */
function page(subs: SubscriptionRecord[]): { Subscriptions: Subscription[]; NextToken?: string } {
  const out: { Subscriptions: Subscription[]; NextToken?: string } = {
    Subscriptions: subs.slice(0, PAGE).map((s) => ({
      SubscriptionArn: s.pending ? PENDING_ARN : s.arn,
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      TopicArn: s.topicArn,
    })),
  };
  if (subs.length > PAGE) out.NextToken = encodeToken(subs[PAGE - 1].arn);
  return out;
}
