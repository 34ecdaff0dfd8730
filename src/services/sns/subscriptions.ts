/**
 * Subscriptions: Subscribe per protocol, confirmation tokens, attributes (filter
 * policies validated by the filter-policy engine) and Unsubscribe (Subscribe,
 * SetSubscriptionAttributes API references).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestContext } from '../../gateway/context.js';
import { parseArn } from '../../shared/arn.js';
import { ServiceError } from '../../shared/errors.js';
import { compileFilterPolicy, FilterPolicyError, type FilterPolicyScope } from '../../engines/filter-policy/compile.js';
import type { SnsStore, SubscriptionRecord, TopicRecord } from './store.js';
import { invalidParameter, notFound } from './errors.js';
import { isFifo } from './topics.js';

/** Protocols SNS delivers to. */
const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
/** Attributes a subscription takes (SetSubscriptionAttributes API reference). */
const SETTABLE = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);
/** Protocols that may receive raw messages. */
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PHONE = /^\+?[0-9]{1,15}$/;

/** The text Subscribe and ListSubscriptions show instead of the ARN of an unconfirmed subscription. */
export const PENDING_ARN = 'PendingConfirmation';

/** Checks the endpoint of a protocol; answers SNS's reason when it does not fit. */
function checkEndpoint(topic: TopicRecord, protocol: string, endpoint: string | undefined): string {
  const e = endpoint ?? '';
  const arn = parseArn(e);
  switch (protocol) {
    case 'sqs': {
      if (arn?.service !== 'sqs' || !arn.resource) throw invalidParameter('SQS endpoint ARN');
      if (!isFifo(topic) && arn.resource.endsWith('.fifo')) {
        throw invalidParameter('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
      }
      return e;
    }
    case 'lambda':
      if (arn?.service !== 'lambda') throw invalidParameter('Lambda endpoint ARN');
      return e;
    case 'firehose':
      if (arn?.service !== 'firehose') throw invalidParameter('Firehose endpoint ARN');
      return e;
    case 'application':
      if (arn?.service !== 'sns' || !arn.resource.startsWith('endpoint/')) throw invalidParameter('Application endpoint arn invalid');
      return e;
    case 'http':
    case 'https':
      if (!e.toLowerCase().startsWith(`${protocol}://`)) throw invalidParameter('Endpoint must match the specified protocol');
      return e;
    case 'email':
    case 'email-json':
      if (!EMAIL.test(e)) throw invalidParameter('Email address');
      return e;
    case 'sms': {
      const number = e.replace(/[\s().-]/g, '');
      if (!PHONE.test(number)) throw new ServiceError('InvalidParameter', `Invalid SMS endpoint: ${e}`);
      return number.startsWith('+') ? number : `+${number}`;
    }
    default:
      throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
}

/**
 * Validates one subscription attribute against the subscription (Subscribe words its
 * reasons "Attributes Reason: ...", SetSubscriptionAttributes without that prefix).
 */
function checkAttribute(name: string, value: string, protocol: string, topic: TopicRecord, endpoint: string, attributes: Record<string, string>, prefix: string): void {
  if (!SETTABLE.has(name)) throw invalidParameter(`${prefix}AttributeName`);
  switch (name) {
    case 'RawMessageDelivery': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalidParameter(`${prefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (v === 'true' && !RAW_PROTOCOLS.has(protocol)) throw invalidParameter(`${prefix}Delivery protocol [${protocol}] does not support raw message delivery.`);
      return;
    }
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw invalidParameter(`${prefix}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      }
      if (attributes.FilterPolicy) compile(attributes.FilterPolicy, value, prefix);
      return;
    case 'FilterPolicy':
      if (value !== '') compile(value, (attributes.FilterPolicyScope as FilterPolicyScope | undefined) ?? 'MessageAttributes', prefix);
      return;
    case 'RedrivePolicy': {
      let target: unknown;
      try {
        target = (JSON.parse(value) as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
      } catch {
        throw invalidParameter(`${prefix}RedrivePolicy: failed to parse JSON.`);
      }
      const arn = typeof target === 'string' ? parseArn(target) : undefined;
      if (!arn) throw invalidParameter(`${prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
      if (isFifo(topic) && endpoint.endsWith('.fifo') && (arn.service !== 'sqs' || !arn.resource.endsWith('.fifo'))) {
        throw invalidParameter(`${prefix}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`);
      }
      return;
    }
    case 'DeliveryPolicy':
    case 'ReplayPolicy':
      try {
        JSON.parse(value);
      } catch {
        throw invalidParameter(`${prefix}${name}: failed to parse JSON.`);
      }
      return;
    default:
      return;
  }
}

function compile(text: string, scope: string, prefix: string): void {
  try {
    compileFilterPolicy(text, scope as FilterPolicyScope);
  } catch (e) {
    if (e instanceof FilterPolicyError) throw invalidParameter(`${prefix}${e.message}`);
    throw e;
  }
}

/** The outcome of Subscribe: the ARN to answer and the subscription (new or existing). */
export interface Subscribed {
  subscription: SubscriptionRecord;
  created: boolean;
}

/** Subscribe: a new subscription, or the existing one for the same protocol and endpoint. */
export function subscribe(store: SnsStore, ctx: RequestContext, topic: TopicRecord, protocolText: string, endpointText: string | undefined, attributes: Record<string, string> = {}): Subscribed {
  const protocol = protocolText.toLowerCase();
  if (!PROTOCOLS.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocolText}`);
  // FIFO topics deliver to SQS queues only.
  if (isFifo(topic) && protocol !== 'sqs') throw invalidParameter(`Invalid protocol type: ${protocol}`);
  const endpoint = checkEndpoint(topic, protocol, endpointText);
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    checkAttribute(name, value, protocol, topic, endpoint, attributes, 'Attributes Reason: ');
    if (value !== '') stored[name] = name === 'RawMessageDelivery' ? value.toLowerCase() : value;
  }
  const existing = store.findSubscription(topic.arn, protocol, endpoint);
  if (existing) {
    for (const [name, value] of Object.entries(stored)) {
      if (existing.attributes[name] !== value) throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
    }
    return { subscription: existing, created: false };
  }
  // SQS in the topic's own account, Lambda, Firehose and mobile endpoints are confirmed at once;
  // HTTP(S), email and queues of other accounts confirm with a token (Subscribe API reference).
  const queueAccount = protocol === 'sqs' ? parseArn(endpoint)?.account : undefined;
  const pending = protocol === 'http' || protocol === 'https' || protocol === 'email' || protocol === 'email-json' || (protocol === 'sqs' && queueAccount !== topic.account);
  const subscription: SubscriptionRecord = {
    arn: `${topic.arn}:${randomUUID()}`,
    topicArn: topic.arn,
    account: topic.account,
    region: topic.region,
    owner: ctx.account,
    protocol,
    endpoint,
    attributes: { ...stored, SubscriptionPrincipal: ctx.principal.arn, ConfirmationWasAuthenticated: pending ? 'false' : 'true' },
    pending,
    token: pending ? randomBytes(144).toString('hex') : undefined,
  };
  store.putSubscription(subscription);
  return { subscription, created: true };
}

/** ConfirmSubscription: the token confirms its subscription on the named topic. */
export function confirmSubscription(store: SnsStore, topic: TopicRecord, token: string, authenticateOnUnsubscribe: string | undefined): string {
  const s = store.getSubscriptionByToken(token);
  if (!s || s.topicArn !== topic.arn) throw invalidParameter('Token');
  if (s.pending) {
    const authenticated = authenticateOnUnsubscribe?.toLowerCase() === 'true';
    store.confirm(s, { ...s.attributes, ConfirmationWasAuthenticated: authenticated ? 'true' : 'false' });
  }
  return s.arn;
}

/** The subscription a SubscriptionArn names, or SNS's error. */
export function requireSubscription(store: SnsStore, arn: string): SubscriptionRecord {
  checkSubscriptionArn(arn);
  const s = store.getSubscription(arn);
  if (!s) throw notFound('Subscription does not exist');
  return s;
}

/** SNS's reasons for a malformed subscription ARN. */
export function checkSubscriptionArn(arn: string): void {
  const parts = arn.split(':').length;
  if (parts < 6) throw invalidParameter(`SubscriptionArn Reason: An ARN must have at least 6 elements, not ${parts}`);
  if (parseArn(arn)?.service !== 'sns') throw invalidParameter('SubscriptionArn');
  if (parts === 6) throw invalidParameter('SubscriptionId');
}

/** GetSubscriptionAttributes: what SNS reports for a subscription. */
export function subscriptionAttributes(s: SubscriptionRecord, topicDeliveryPolicy: string | undefined): Record<string, string> {
  const { FilterPolicy, FilterPolicyScope, RawMessageDelivery, SubscriptionPrincipal, ConfirmationWasAuthenticated, ...rest } = s.attributes;
  const out: Record<string, string> = {
    ConfirmationWasAuthenticated: ConfirmationWasAuthenticated ?? 'true',
    Endpoint: s.endpoint,
    Owner: s.owner,
    PendingConfirmation: String(s.pending),
    Protocol: s.protocol,
    RawMessageDelivery: RawMessageDelivery ?? 'false',
    SubscriptionArn: s.arn,
    SubscriptionPrincipal: SubscriptionPrincipal ?? `arn:aws:iam::${s.owner}:root`,
    TopicArn: s.topicArn,
  };
  if (FilterPolicy) {
    out.FilterPolicy = FilterPolicy;
    out.FilterPolicyScope = FilterPolicyScope ?? 'MessageAttributes';
  }
  if (s.protocol === 'http' || s.protocol === 'https') out.EffectiveDeliveryPolicy = rest.DeliveryPolicy ?? topicDeliveryPolicy ?? DEFAULT_HTTP_DELIVERY;
  for (const [k, v] of Object.entries(rest)) out[k] = v;
  return out;
}

const DEFAULT_HTTP_DELIVERY = JSON.stringify({
  healthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
  sicklyRetryPolicy: null,
  throttlePolicy: null,
  requestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  guaranteed: false,
});

/** SetSubscriptionAttributes: one attribute; an empty value removes it. */
export function setSubscriptionAttribute(store: SnsStore, topic: TopicRecord | undefined, s: SubscriptionRecord, name: string, value: string | undefined): void {
  const v = value ?? '';
  const next = { ...s.attributes, [name]: v };
  if (topic) checkAttribute(name, v, s.protocol, topic, s.endpoint, next, '');
  else if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  if (v === '') delete next[name];
  else if (name === 'RawMessageDelivery') next[name] = v.toLowerCase();
  store.setSubscriptionAttributes(s, next);
}
