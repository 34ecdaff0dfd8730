/**
 * S3 event notifications, the pure part: checking and normalizing a bucket's
 * NotificationConfiguration (event names, key filters, overlapping rules), matching
 * an event against it, and the event record JSON ("Event message structure",
 * Amazon S3 user guide). Delivery lives in notification-delivery.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ServiceError } from '../../shared/errors.js';
import { parseArn } from '../../shared/arn.js';
import type { Principal } from '../../shared/principal.js';
import { loadModel } from '../../models/model.js';
import type {
  FilterRule, LambdaFunctionConfiguration, NotificationConfiguration, NotificationConfigurationFilter, QueueConfiguration, TopicConfiguration,
} from '../../models/generated/s3.js';
import { malformedXml } from './errors.js';

/** The object events nimbus emits, without the `s3:` prefix (the record's eventName). */
export type ObjectEventName =
  | 'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete' | 'ObjectRemoved:DeleteMarkerCreated'
  | 'ObjectTagging:Put' | 'ObjectTagging:Delete'
  | 'LifecycleExpiration:Delete' | 'LifecycleExpiration:DeleteMarkerCreated';

/** A destination kind of a notification configuration. */
export type DestinationKind = 'queue' | 'topic' | 'lambda';

/** One queue, topic or Lambda configuration, flattened for matching. */
export interface NotificationTarget {
  kind: DestinationKind;
  id: string;
  arn: string;
  events: readonly string[];
  prefix: string;
  suffix: string;
}

/** A stored configuration with its targets ready for matching. */
export interface CompiledConfiguration {
  document: NotificationConfiguration;
  targets: NotificationTarget[];
  eventBridge: boolean;
}

const OVERLAP_MESSAGE = 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.';

let supportedEvents: ReadonlySet<string> | undefined;

/** The event names S3 accepts in a configuration (the model's Event enum). */
function eventNames(): ReadonlySet<string> {
  supportedEvents ??= new Set(loadModel('s3').shapes.get('Event')?.enum ?? []);
  return supportedEvents;
}

function invalid(message: string, name?: string, value?: string): ServiceError {
  const fields: Record<string, string> = {};
  if (name !== undefined) fields.ArgumentName = name;
  if (value !== undefined) fields.ArgumentValue = value;
  return new ServiceError('InvalidArgument', message, { status: 400, fields });
}

/** A notification id as S3 generates one when the request gives none: a UUID, base64-encoded. */
export function newNotificationId(): string {
  return Buffer.from(randomUUID()).toString('base64');
}

/** The filter of a configuration with rule names as S3 stores them (Prefix, Suffix); throws for unknown or repeated rules. */
function normalizeFilter(filter: NotificationConfigurationFilter | undefined): { filter?: NotificationConfigurationFilter; prefix: string; suffix: string } {
  const rules = filter?.Key?.FilterRules;
  if (!rules || rules.length === 0) return { filter, prefix: '', suffix: '' };
  const out: FilterRule[] = [];
  let prefix: string | undefined;
  let suffix: string | undefined;
  for (const rule of rules) {
    const name = (rule.Name ?? '').toLowerCase();
    const value = rule.Value ?? '';
    if (name !== 'prefix' && name !== 'suffix') throw invalid('filter rule name must be either prefix or suffix', rule.Name ?? '', value);
    if ((name === 'prefix' ? prefix : suffix) !== undefined) throw invalid(`Cannot specify more than one ${name} rule in a filter.`, rule.Name ?? '', value);
    if (name === 'prefix') prefix = value;
    else suffix = value;
    out.push({ Name: (name === 'prefix' ? 'Prefix' : 'Suffix') as FilterRule['Name'], Value: value });
  }
  return { filter: { Key: { FilterRules: out } }, prefix: prefix ?? '', suffix: suffix ?? '' };
}

const ARN_MEMBER: Record<DestinationKind, string> = { queue: 'QueueArn', topic: 'TopicArn', lambda: 'LambdaFunctionArn' };
const ARN_SERVICE: Record<DestinationKind, string> = { queue: 'sqs', topic: 'sns', lambda: 'lambda' };

function checkEvents(events: readonly string[] | undefined): readonly string[] {
  if (!events || events.length === 0) throw malformedXml();
  const known = eventNames();
  for (const e of events) if (!known.has(e)) throw invalid('The event is not supported for notifications', 'Event', e);
  return events;
}

function checkArn(kind: DestinationKind, value: string | undefined): string {
  if (value === undefined) throw malformedXml();
  const arn = parseArn(value);
  if (!arn || arn.service !== ARN_SERVICE[kind] || !arn.region || !arn.account || !arn.resource) throw invalid('The ARN could not be parsed', ARN_MEMBER[kind], value);
  return value;
}

type AnyConfiguration = QueueConfiguration | TopicConfiguration | LambdaFunctionConfiguration;

function arnOf(kind: DestinationKind, c: AnyConfiguration): string | undefined {
  if (kind === 'queue') return (c as QueueConfiguration).QueueArn;
  if (kind === 'topic') return (c as TopicConfiguration).TopicArn;
  return (c as LambdaFunctionConfiguration).LambdaFunctionArn;
}

/**
 * Checks a PutBucketNotificationConfiguration document and returns it as S3 stores it:
 * ids generated where absent, filter rule names capitalized, and its targets. Destinations
 * are checked separately (they need other services).
 */
export function normalizeConfiguration(input: NotificationConfiguration): CompiledConfiguration {
  const targets: NotificationTarget[] = [];
  const document: NotificationConfiguration = {};
  const lists: [DestinationKind, AnyConfiguration[] | undefined][] = [
    ['topic', input.TopicConfigurations], ['queue', input.QueueConfigurations], ['lambda', input.LambdaFunctionConfigurations],
  ];
  for (const [kind, list] of lists) {
    if (!list || list.length === 0) continue;
    const out: AnyConfiguration[] = [];
    for (const c of list) {
      const events = checkEvents(c.Events);
      const arn = checkArn(kind, arnOf(kind, c));
      const { filter, prefix, suffix } = normalizeFilter(c.Filter);
      const id = c.Id !== undefined && c.Id !== '' ? c.Id : newNotificationId();
      const stored: Record<string, unknown> = { Id: id, [ARN_MEMBER[kind]]: arn, Events: [...events] };
      if (filter?.Key?.FilterRules && filter.Key.FilterRules.length > 0) stored.Filter = filter;
      out.push(stored as unknown as AnyConfiguration);
      targets.push({ kind, id, arn, events, prefix, suffix });
    }
    if (kind === 'topic') document.TopicConfigurations = out as TopicConfiguration[];
    else if (kind === 'queue') document.QueueConfigurations = out as QueueConfiguration[];
    else document.LambdaFunctionConfigurations = out as LambdaFunctionConfiguration[];
  }
  const eventBridge = input.EventBridgeConfiguration !== undefined;
  if (eventBridge) document.EventBridgeConfiguration = {};
  checkOverlaps(targets);
  return { document, targets, eventBridge };
}

/** The category of an event name: `s3:ObjectCreated` for `s3:ObjectCreated:Put` and `s3:ObjectCreated:*`. */
function categoryOf(event: string): string {
  const i = event.indexOf(':', 3);
  return i < 0 ? event : event.slice(0, i);
}

/** Whether two configured events can both match one event. */
export function eventsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  if (categoryOf(a) !== categoryOf(b)) return false;
  return a.endsWith(':*') || b.endsWith(':*');
}

/** Whether two prefix rules can both match one key (an empty rule matches every key). */
export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** Whether two suffix rules can both match one key. */
export function suffixesOverlap(a: string, b: string): boolean {
  return a.endsWith(b) || b.endsWith(a);
}

/**
 * Rejects two rules that one event on one key could both match: same (or wildcard-covered)
 * event type, overlapping prefixes and overlapping suffixes ("Configuring event
 * notifications using object key name filtering", Amazon S3 user guide).
 */
export function checkOverlaps(targets: readonly NotificationTarget[]): void {
  for (let i = 0; i < targets.length; i++) {
    const a = targets[i]!;
    for (let j = i + 1; j < targets.length; j++) {
      const b = targets[j]!;
      if (!prefixesOverlap(a.prefix, b.prefix) || !suffixesOverlap(a.suffix, b.suffix)) continue;
      if (a.events.some((x) => b.events.some((y) => eventsOverlap(x, y)))) throw invalid(OVERLAP_MESSAGE);
    }
  }
}

/** The targets of a stored document (as normalizeConfiguration left it). */
export function compileStored(document: NotificationConfiguration): CompiledConfiguration {
  const targets: NotificationTarget[] = [];
  const add = (kind: DestinationKind, list: AnyConfiguration[] | undefined) => {
    for (const c of list ?? []) {
      let prefix = '';
      let suffix = '';
      for (const r of c.Filter?.Key?.FilterRules ?? []) {
        if (r.Name?.toLowerCase() === 'prefix') prefix = r.Value ?? '';
        else suffix = r.Value ?? '';
      }
      targets.push({ kind, id: c.Id!, arn: arnOf(kind, c)!, events: c.Events, prefix, suffix });
    }
  };
  add('topic', document.TopicConfigurations);
  add('queue', document.QueueConfigurations);
  add('lambda', document.LambdaFunctionConfigurations);
  return { document, targets, eventBridge: document.EventBridgeConfiguration !== undefined };
}

/** Whether a target wants an event (`ObjectCreated:Put`) on a key: its events name it or its category's wildcard, and the key passes its filter. */
export function targetMatches(t: NotificationTarget, event: ObjectEventName, key: string): boolean {
  if (!key.startsWith(t.prefix) || !key.endsWith(t.suffix)) return false;
  const full = `s3:${event}`;
  const wildcard = `${categoryOf(full)}:*`;
  return t.events.some((e) => e === full || e === wildcard);
}

const FORM_UNSAFE = /[!'()~]/g;

/**
 * An object key as S3 writes it in event records: URL-encoded as an HTML form value
 * (spaces as `+`, `=` as `%3D`), slashes kept.
 */
export function eventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(FORM_UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The "Amazon customer ID" S3 shows for an account in event records: stable, 'A' and 13 upper-case characters. */
export function customerId(account: string): string {
  return 'A' + createHash('sha256').update(`nimbus-customer:${account}`).digest('hex').slice(0, 13).toUpperCase();
}

/** userIdentity.principalId of a requester: `AWS:` and the IAM user or role session id, the customer id for root, the service for a service. */
export function principalIdOf(p: Principal): string {
  if (p.type === 'root') return customerId(p.account);
  if (p.type === 'service') return p.userId;
  return `AWS:${p.userId}`;
}

/** Everything an event record says about one event. */
export interface ObjectEvent {
  name: ObjectEventName;
  bucket: string;
  /** The bucket owner's account and the bucket's region. */
  account: string;
  region: string;
  key: string;
  /** Created events: the object's size and ETag (no quotes); tagging events: the ETag. */
  size?: number;
  etag?: string;
  /** Present when the bucket is versioned (or the version is not the null version). */
  versionId?: string;
  sequencer: string;
  /** ms since the epoch. */
  time: number;
  requestId: string;
  /** userIdentity.principalId. */
  principalId: string;
  /** The requester as EventBridge names it: an account id or a service. */
  requester: string;
  sourceIp: string;
}

/** The record JSON version: 2.3 for lifecycle and tagging events, 2.1 for the others (Event message structure). */
function eventVersion(name: ObjectEventName): string {
  return name.startsWith('ObjectTagging:') || name.startsWith('LifecycleExpiration:') ? '2.3' : '2.1';
}

/** The `{"Records":[...]}` message of one event for one configuration. */
export function eventMessage(e: ObjectEvent, configurationId: string): string {
  const object: Record<string, unknown> = { key: eventKey(e.key) };
  const tagging = e.name.startsWith('ObjectTagging:');
  if (e.name.startsWith('ObjectCreated:')) {
    object.size = e.size;
    object.eTag = e.etag;
  } else if (tagging) {
    object.eTag = e.etag;
  }
  if (e.versionId !== undefined) object.versionId = e.versionId;
  if (!tagging) object.sequencer = e.sequencer;
  const record = {
    eventVersion: eventVersion(e.name),
    eventSource: 'aws:s3',
    awsRegion: e.region,
    eventTime: new Date(e.time).toISOString(),
    eventName: e.name,
    userIdentity: { principalId: e.principalId },
    requestParameters: { sourceIPAddress: e.sourceIp },
    responseElements: { 'x-amz-request-id': e.requestId, 'x-amz-id-2': hostIdOf(e.requestId) },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: e.bucket, ownerIdentity: { principalId: customerId(e.account) }, arn: `arn:aws:s3:::${e.bucket}` },
      object,
    },
  };
  return JSON.stringify({ Records: [record] });
}

/** The host id S3 pairs with a request id (the x-amz-id-2 header nimbus sends: the request id in base64). */
export function hostIdOf(requestId: string): string {
  return Buffer.from(requestId).toString('base64');
}

/** The s3:TestEvent message S3 sends to a queue or topic when a configuration is saved. */
export function testEventMessage(bucket: string, time: number, requestId: string): string {
  return JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(time).toISOString(), Bucket: bucket, RequestId: requestId, HostId: hostIdOf(requestId) });
}

const CREATED_REASON: Partial<Record<ObjectEventName, string>> = {
  'ObjectCreated:Put': 'PutObject', 'ObjectCreated:Post': 'POST Object', 'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
};

/** The EventBridge PutEvents entry of an event ("Using EventBridge", Amazon S3 user guide). */
export function eventBridgeEntry(e: ObjectEvent): { Source: string; DetailType: string; Detail: string; Resources: string[]; Time: Date } {
  const object: Record<string, unknown> = { key: e.key };
  const detail: Record<string, unknown> = { version: '0', bucket: { name: e.bucket }, object };
  let detailType: string;
  if (e.name.startsWith('ObjectCreated:')) {
    detailType = 'Object Created';
    object.size = e.size;
    object.etag = e.etag;
    if (e.versionId !== undefined) object['version-id'] = e.versionId;
    object.sequencer = e.sequencer;
  } else if (e.name.startsWith('ObjectTagging:')) {
    detailType = e.name === 'ObjectTagging:Put' ? 'Object Tags Added' : 'Object Tags Deleted';
    object.etag = e.etag;
    if (e.versionId !== undefined) object['version-id'] = e.versionId;
  } else {
    detailType = 'Object Deleted';
    if (e.versionId !== undefined) object['version-id'] = e.versionId;
    object.sequencer = e.sequencer;
  }
  detail['request-id'] = e.requestId;
  detail.requester = e.requester;
  detail['source-ip-address'] = e.sourceIp;
  if (detailType === 'Object Created') detail.reason = CREATED_REASON[e.name];
  else if (detailType === 'Object Deleted') {
    const lifecycle = e.name.startsWith('LifecycleExpiration:');
    detail.reason = lifecycle ? 'Lifecycle Expiration' : 'DeleteObject';
    detail['deletion-type'] = e.name.endsWith('DeleteMarkerCreated') ? 'Delete Marker Created' : 'Permanently Deleted';
  }
  return { Source: 'aws.s3', DetailType: detailType, Detail: JSON.stringify(detail), Resources: [`arn:aws:s3:::${e.bucket}`], Time: new Date(e.time) };
}
