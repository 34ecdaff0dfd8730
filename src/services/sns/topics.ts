/**
 * Topics: CreateTopic (standard and FIFO), attributes, tags and deletion, with
 * SNS's InvalidParameter reasons (CreateTopic, SetTopicAttributes API references).
 */
import type { RequestContext } from '../../gateway/context.js';
import { ServiceError } from '../../shared/errors.js';
import { parseArn } from '../../shared/arn.js';
import type { Tag } from '../../models/generated/sns.js';
import type { SnsStore, TopicRecord } from './store.js';
import { invalidParameter, topicNotFound } from './errors.js';

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
/** At most 50 tags per topic (SNS quotas). */
const MAX_TAGS = 50;

const FEEDBACK_PROTOCOLS = ['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'];
/** Attributes a caller may set on a topic (SetTopicAttributes API reference). */
const SETTABLE = new Set([
  'DeliveryPolicy', 'DisplayName', 'Policy', 'TracingConfig', 'KmsMasterKeyId', 'SignatureVersion',
  'ContentBasedDeduplication', 'ArchivePolicy', 'FifoThroughputScope', 'DataProtectionPolicy',
  ...FEEDBACK_PROTOCOLS.flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
]);
/** Attributes only CreateTopic takes. */
const CREATE_ONLY = new Set(['FifoTopic']);

/** The delivery policy SNS reports for a topic without one of its own. */
const DEFAULT_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

/** The access policy SNS gives a new topic: the owner account may do everything. */
export function defaultTopicPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn,
      Condition: { StringEquals: { 'AWS:SourceOwner': account } },
    }],
  });
}

/** Whether a topic is FIFO. */
export function isFifo(topic: TopicRecord): boolean {
  return topic.attributes.FifoTopic === 'true';
}

/** The topic an ARN names, or SNS's error: InvalidParameter for a malformed ARN, NotFound otherwise. */
export function requireTopic(store: SnsStore, arn: string, parameter = 'TopicArn'): TopicRecord {
  checkArn(arn, parameter);
  const topic = store.getTopic(arn);
  if (!topic) throw topicNotFound();
  return topic;
}

/** SNS's reasons for a malformed ARN parameter. */
export function checkArn(arn: string, parameter: string): void {
  const parts = arn.split(':').length;
  if (parts < 6) throw invalidParameter(`${parameter} Reason: An ARN must have at least 6 elements, not ${parts}`);
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sns') throw invalidParameter(parameter);
}

/** CreateTopic: a new topic, or the existing one when called again with the same settings. */
export function createTopic(store: SnsStore, ctx: RequestContext, name: string, attributes: Record<string, string> = {}, tags: Tag[] = [], dataProtectionPolicy?: string): string {
  const fifo = attributes.FifoTopic?.toLowerCase() === 'true';
  if (fifo ? !FIFO_NAME.test(name) : !STANDARD_NAME.test(name)) {
    if (fifo) throw invalidParameter('Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.');
    throw invalidParameter('Topic Name');
  }
  const normalized: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!SETTABLE.has(key) && !CREATE_ONLY.has(key)) throw invalidParameter('AttributeName');
    normalized[key] = checkAttribute(key, value, fifo, 'Attributes Reason: ');
  }
  if (fifo) normalized.FifoTopic = 'true';
  else delete normalized.FifoTopic;
  if (dataProtectionPolicy !== undefined) checkJson('DataProtectionPolicy', dataProtectionPolicy);
  checkTags(tags);
  const arn = `arn:aws:sns:${ctx.region}:${ctx.account}:${name}`;
  const existing = store.getTopic(arn);
  if (existing) {
    // Calling CreateTopic again is idempotent only with the same settings (CreateTopic API reference).
    for (const [key, value] of Object.entries(normalized)) {
      if ((existing.attributes[key] ?? defaultOf(key)) !== value) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    }
    if (tags.length && !sameTags(existing.tags, tags)) throw invalidParameter('Tags Reason: Topic already exists with different tags');
    return arn;
  }
  store.putTopic({ arn, account: ctx.account, region: ctx.region, name, attributes: normalized, tags: dedupeTags(tags), dataProtectionPolicy });
  return arn;
}

function defaultOf(key: string): string | undefined {
  if (key === 'ContentBasedDeduplication') return 'false';
  if (key === 'FifoTopic') return 'false';
  return undefined;
}

/** Validates one topic attribute; returns the value to store. */
function checkAttribute(key: string, value: string, fifo: boolean, reasonPrefix: string): string {
  switch (key) {
    case 'FifoTopic':
    case 'ContentBasedDeduplication': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalidParameter(`${reasonPrefix}${key}: Invalid value [${value}]. Must be true or false.`);
      if (key === 'ContentBasedDeduplication' && !fifo && v === 'true') {
        throw invalidParameter(`${reasonPrefix || 'ContentBasedDeduplication Reason: '}Content based deduplication can only be set for FIFO topics`);
      }
      return v;
    }
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalidParameter(`${reasonPrefix}SignatureVersion: Invalid value [${value}]. Must be 1 or 2.`);
      return value;
    case 'FifoThroughputScope':
      if (!fifo) throw invalidParameter(`${reasonPrefix}FifoThroughputScope: Invalid value [${value}]. FifoThroughputScope can only be set for FIFO topics`);
      if (value !== 'Topic' && value !== 'MessageGroup') throw invalidParameter(`${reasonPrefix}FifoThroughputScope: Invalid value [${value}]. Please use either Topic or MessageGroup`);
      return value;
    case 'Policy':
    case 'DeliveryPolicy':
    case 'ArchivePolicy':
    case 'DataProtectionPolicy':
      if (value !== '') checkJson(key, value);
      return value;
    default:
      return value;
  }
}

function checkJson(key: string, value: string): void {
  try {
    JSON.parse(value);
  } catch {
    throw invalidParameter(`${key}: failed to parse JSON.`);
  }
}

function checkTags(tags: Tag[]): void {
  if (dedupeTags(tags).length > MAX_TAGS) throw new ServiceError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
}

/** Later tags replace earlier ones with the same key. */
function dedupeTags(tags: Tag[]): Tag[] {
  const byKey = new Map<string, string>();
  for (const t of tags) byKey.set(t.Key, t.Value);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

function sameTags(a: Tag[], b: Tag[]): boolean {
  const x = dedupeTags(a);
  const y = new Map(dedupeTags(b).map((t) => [t.Key, t.Value]));
  return x.length === y.size && x.every((t) => y.get(t.Key) === t.Value);
}

/** GetTopicAttributes: the stored attributes with the ones SNS computes. */
export function topicAttributes(store: SnsStore, topic: TopicRecord): Record<string, string> {
  let confirmed = 0;
  let pending = 0;
  for (const s of store.topicSubscriptions(topic.arn)) {
    if (s.pending) pending++;
    else confirmed++;
  }
  const { FifoTopic, ContentBasedDeduplication, FifoThroughputScope, Policy, DisplayName, DeliveryPolicy, ...rest } = topic.attributes;
  const out: Record<string, string> = {
    Policy: Policy || defaultTopicPolicy(topic.arn, topic.account),
    Owner: topic.account,
    SubscriptionsPending: String(pending),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: DeliveryPolicy || DEFAULT_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(confirmed),
    DisplayName: DisplayName ?? '',
    SubscriptionsDeleted: String(topic.subscriptionsDeleted),
  };
  if (DeliveryPolicy) out.DeliveryPolicy = DeliveryPolicy;
  if (FifoTopic === 'true') {
    out.FifoTopic = 'true';
    out.ContentBasedDeduplication = ContentBasedDeduplication ?? 'false';
    out.FifoThroughputScope = FifoThroughputScope ?? 'Topic';
  }
  for (const [k, v] of Object.entries(rest)) if (k !== 'DataProtectionPolicy') out[k] = v;
  return out;
}

/** SetTopicAttributes: one attribute; an empty value removes it. */
export function setTopicAttribute(store: SnsStore, topic: TopicRecord, name: string, value: string | undefined): void {
  if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  const fifo = isFifo(topic);
  if (name === 'DataProtectionPolicy') {
    store.setDataProtectionPolicy(topic.arn, checkAttribute(name, value ?? '', fifo, `${name} Reason: `));
    return;
  }
  const attributes = { ...topic.attributes };
  if (value === undefined || value === '') delete attributes[name];
  else attributes[name] = checkAttribute(name, value, fifo, '');
  store.setTopicAttributes(topic.arn, attributes);
}

/** TagResource / UntagResource / ListTagsForResource: topics are SNS's taggable resource. */
export function requireTaggable(store: SnsStore, arn: string): TopicRecord {
  const topic = parseArn(arn)?.service === 'sns' ? store.getTopic(arn) : undefined;
  if (!topic) throw new ServiceError('ResourceNotFound', 'Resource does not exist');
  return topic;
}

/** Adds or replaces tags on a topic. */
export function tagTopic(store: SnsStore, topic: TopicRecord, tags: Tag[]): void {
  if (new Set(tags.map((t) => t.Key)).size < tags.length) throw invalidParameter('Duplicated keys are not allowed.');
  const merged = dedupeTags([...topic.tags, ...tags]);
  if (merged.length > MAX_TAGS) throw new ServiceError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
  store.setTopicTags(topic.arn, merged);
}

/** Removes tags from a topic by key. */
export function untagTopic(store: SnsStore, topic: TopicRecord, keys: string[]): void {
  const drop = new Set(keys);
  store.setTopicTags(topic.arn, topic.tags.filter((t) => !drop.has(t.Key)));
}
