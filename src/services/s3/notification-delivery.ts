/**
 * S3 event notifications, the delivering part: the stored configuration of a bucket,
 * the events operations emit after they commit, and their delivery, after the response
 * and in emission order, through the internal client as s3.amazonaws.com: SQS
 * SendMessage, SNS Publish, Lambda Invoke (Event) and EventBridge PutEvents.
 * A failed delivery is logged; it never affects the S3 call.
 */
import { randomBytes } from 'node:crypto';
import type { InternalClient, RequestContext } from '../../gateway/context.js';
import type { Logger } from '../../shared/logger.js';
import { isServiceError } from '../../shared/errors.js';
import { parseArn } from '../../shared/arn.js';
import { servicePrincipal } from '../../shared/principal.js';
import type { BucketRow, S3Store } from './store.js';
import { NULL_VERSION } from './store.js';
import {
  compileStored, eventBridgeEntry, eventMessage, principalIdOf, targetMatches,
  type CompiledConfiguration, type NotificationTarget, type ObjectEvent, type ObjectEventName,
} from './notifications.js';
import type { NotificationConfiguration } from '../../models/generated/s3.js';

/** The s3_bucket_config kind of the notification configuration. */
const NOTIFICATION = 'notification';
/** The principal S3 delivers as. */
export const S3_SERVICE = 's3.amazonaws.com';
/** The Subject of S3's SNS messages. */
export const SNS_SUBJECT = 'Amazon S3 Notification';
/** nimbus does not see the client's address through the internal dispatch; S3 events always carry one. */
const SOURCE_IP = '127.0.0.1';

/** What delivery uses: a RequestContext or the ServiceEnv both have these. */
export interface Dispatch {
  readonly internal: InternalClient;
  readonly logger: Logger;
}

interface Job {
  event: ObjectEvent;
  targets: NotificationTarget[];
  eventBridge: boolean;
  via: Dispatch;
}

/** Per-store delivery state: the queue of events, cached queue URLs and parsed configurations. */
interface State {
  jobs: Job[];
  draining: boolean;
  queueUrls: Map<string, string>;
  /** Configurations by bucket, for the bucket created at `created` (a bucket of the same name created later is another bucket). */
  configs: Map<string, { created: number; config: CompiledConfiguration | undefined }>;
  lastMs: number;
  counter: number;
}

const states = new WeakMap<S3Store, State>();

function stateOf(store: S3Store): State {
  let s = states.get(store);
  if (!s) {
    const created: State = { jobs: [], draining: false, queueUrls: new Map(), configs: new Map(), lastMs: 0, counter: 0 };
    store.storage.onReset(() => {
      created.queueUrls.clear();
      created.configs.clear();
    });
    states.set(store, created);
    s = created;
  }
  return s;
}

/** The bucket's stored document, undefined when it has none. */
export function storedNotification(store: S3Store, bucket: string): NotificationConfiguration | undefined {
  const raw = store.config(bucket, NOTIFICATION);
  return raw === undefined ? undefined : JSON.parse(raw) as NotificationConfiguration;
}

/**
 * The bucket's configuration ready for matching. Cached: every object write asks, and
 * only saveNotification changes it (deleting a bucket ends the bucket the entry is for).
 */
function configOf(store: S3Store, bucket: BucketRow): CompiledConfiguration | undefined {
  const s = stateOf(store);
  const cached = s.configs.get(bucket.name);
  if (cached && cached.created === bucket.created) return cached.config;
  const document = storedNotification(store, bucket.name);
  const config = document && compileStored(document);
  s.configs.set(bucket.name, { created: bucket.created, config });
  return config;
}

/** Stores (or, for an empty document, removes) a bucket's configuration. */
export function saveNotification(store: S3Store, bucket: BucketRow, config: CompiledConfiguration): void {
  const document = config.document;
  const empty = !document.TopicConfigurations && !document.QueueConfigurations && !document.LambdaFunctionConfigurations && !document.EventBridgeConfiguration;
  if (empty) store.deleteConfig(bucket.name, NOTIFICATION);
  else store.putConfig(bucket.name, NOTIFICATION, JSON.stringify(document));
  stateOf(store).configs.set(bucket.name, { created: bucket.created, config: empty ? undefined : config });
}

/**
 * A sequencer for an event: hexadecimal, increasing in emission order (and so per key):
 * the time in ms, then a counter within the millisecond.
 */
function nextSequencer(s: State, now: number): string {
  if (now > s.lastMs) {
    s.lastMs = now;
    s.counter = 0;
  } else {
    s.counter++;
  }
  return (s.lastMs.toString(16).padStart(12, '0') + (s.counter & 0xffffff).toString(16).padStart(6, '0')).toUpperCase();
}

/** The parts of an event the emitter knows; the rest (sequencer) is filled in here. */
export type ObjectEventInput = Omit<ObjectEvent, 'sequencer'>;

/**
 * Emits an event for a committed change (the lifecycle sweeper calls this too): queued for
 * delivery after the current response when the bucket has a configuration that wants it.
 */
export function emitObjectEvent(store: S3Store, via: Dispatch, bucket: BucketRow, input: ObjectEventInput): void {
  const config = configOf(store, bucket);
  if (!config) return;
  const targets = config.targets.filter((t) => targetMatches(t, input.name, input.key));
  if (targets.length === 0 && !config.eventBridge) return;
  const s = stateOf(store);
  const event: ObjectEvent = { ...input, sequencer: nextSequencer(s, input.time) };
  s.jobs.push({ event, targets, eventBridge: config.eventBridge, via });
  if (!s.draining) {
    s.draining = true;
    setImmediate(() => void drain(s));
  }
}

/** The version a change concerns: what created events and tagging events report. */
export interface EventObject {
  size?: number;
  etag?: string;
  /** The version id of the version concerned; reported when the bucket has versioning or it is not the null version. */
  versionId?: string;
}

/** Emits an event for an operation's committed change to a key, as the request's principal. */
export function notifyObject(store: S3Store, ctx: RequestContext, name: ObjectEventName, bucket: BucketRow, key: string, object: EventObject = {}): void {
  // The common case, a bucket without notifications, costs one map lookup.
  if (!configOf(store, bucket)) return;
  const input: ObjectEventInput = {
    name, bucket: bucket.name, account: bucket.account, region: bucket.region, key,
    time: ctx.clock.now(), requestId: ctx.requestId, principalId: principalIdOf(ctx.principal),
    requester: ctx.principal.type === 'service' ? ctx.principal.userId : ctx.principal.account, sourceIp: SOURCE_IP,
  };
  if (object.size !== undefined) input.size = object.size;
  if (object.etag !== undefined) input.etag = object.etag;
  if (object.versionId !== undefined && (bucket.versioning !== null || object.versionId !== NULL_VERSION)) input.versionId = object.versionId;
  emitObjectEvent(store, ctx, bucket, input);
}

/**
 * Emits a lifecycle expiration event (for the lifecycle sweeper, after it commits): S3
 * itself is the requester, as in the records S3 sends for expirations.
 */
export function notifyLifecycleExpiration(store: S3Store, via: Dispatch, name: 'LifecycleExpiration:Delete' | 'LifecycleExpiration:DeleteMarkerCreated', bucket: BucketRow, key: string, versionId: string | undefined, now: number): void {
  if (!configOf(store, bucket)) return;
  const input: ObjectEventInput = {
    name, bucket: bucket.name, account: bucket.account, region: bucket.region, key, time: now,
    requestId: randomBytes(8).toString('hex').toUpperCase(), principalId: S3_SERVICE, requester: S3_SERVICE, sourceIp: S3_SERVICE,
  };
  if (versionId !== undefined && (bucket.versioning !== null || versionId !== NULL_VERSION)) input.versionId = versionId;
  emitObjectEvent(store, via, bucket, input);
}

async function drain(s: State): Promise<void> {
  try {
    // Batches taken whole: events emitted meanwhile wait for the next batch, in order.
    for (let batch = s.jobs; batch.length > 0; batch = s.jobs) {
      s.jobs = [];
      for (const job of batch) {
        for (const t of job.targets) await deliverTo(s, job.via, t.kind, t.arn, eventMessage(job.event, t.id), job.event.bucket);
        if (job.eventBridge) await toEventBridge(job);
      }
    }
  } finally {
    s.draining = false;
  }
}

function errorText(e: unknown): string {
  return isServiceError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
}

/** Logs a failed delivery: at debug when the destination service is not built in nimbus yet, else as a warning. */
function logFailure(via: Dispatch, what: string, target: string, e: unknown, bucket: string): void {
  if (isServiceError(e) && e.code === 'NotImplemented') via.logger.debug(`s3 notification to ${what} not delivered: not implemented in nimbus`, { bucket, target });
  else via.logger.warn(`s3 notification to ${what} failed`, { bucket, target, error: errorText(e) });
}

/** Delivers one message to one destination; failures are logged. */
async function deliverTo(s: State, via: Dispatch, kind: NotificationTarget['kind'], arn: string, message: string, bucket: string): Promise<void> {
  try {
    if (kind === 'queue') await queueSend(s, via.internal, arn, message);
    else if (kind === 'topic') await publishToTopic(via.internal, arn, message);
    else await invokeFunction(via.internal, arn, message);
  } catch (e) {
    logFailure(via, kind === 'queue' ? 'sqs' : kind === 'topic' ? 'sns' : 'lambda', arn, e, bucket);
  }
}

function optionsFor(arn: string): { account: string; region: string; principal: ReturnType<typeof servicePrincipal> } {
  const parsed = parseArn(arn);
  if (!parsed) throw new Error(`not an ARN: ${arn}`);
  return { account: parsed.account, region: parsed.region, principal: servicePrincipal(parsed.account, S3_SERVICE) };
}

/** The URL of a queue by ARN (GetQueueUrl, cached); throws the SQS error when it does not exist. */
export function queueUrlOf(store: S3Store, internal: InternalClient, arn: string): Promise<string> {
  return queueUrl(stateOf(store), internal, arn);
}

/** SendMessage of a message to a queue by ARN. */
export function sendToQueue(store: S3Store, internal: InternalClient, arn: string, body: string): Promise<void> {
  return queueSend(stateOf(store), internal, arn, body);
}

async function queueUrl(s: State, internal: InternalClient, arn: string): Promise<string> {
  let url = s.queueUrls.get(arn);
  if (url === undefined) {
    const options = optionsFor(arn);
    const out = await internal.call('sqs', 'GetQueueUrl', { QueueName: parseArn(arn)!.resource, QueueOwnerAWSAccountId: options.account }, options);
    url = out.QueueUrl as string;
    s.queueUrls.set(arn, url);
  }
  return url;
}

async function queueSend(s: State, internal: InternalClient, arn: string, body: string): Promise<void> {
  const url = await queueUrl(s, internal, arn);
  try {
    await internal.call('sqs', 'SendMessage', { QueueUrl: url, MessageBody: body }, optionsFor(arn));
  } catch (e) {
    // The queue may have been deleted (and perhaps recreated) since its URL was cached.
    s.queueUrls.delete(arn);
    throw e;
  }
}

/** Publish of a message to a topic, with S3's subject. */
export async function publishToTopic(internal: InternalClient, arn: string, message: string): Promise<void> {
  await internal.call('sns', 'Publish', { TopicArn: arn, Message: message, Subject: SNS_SUBJECT }, optionsFor(arn));
}

async function invokeFunction(internal: InternalClient, arn: string, message: string): Promise<void> {
  await internal.call('lambda', 'Invoke', { FunctionName: arn, InvocationType: 'Event', Payload: Buffer.from(message) }, optionsFor(arn));
}

async function toEventBridge(job: Job): Promise<void> {
  const e = job.event;
  try {
    await job.via.internal.call('events', 'PutEvents', { Entries: [eventBridgeEntry(e)] }, {
      account: e.account, region: e.region, principal: servicePrincipal(e.account, S3_SERVICE),
    });
  } catch (err) {
    logFailure(job.via, 'eventbridge', 'default event bus', err, e.bucket);
  }
}
