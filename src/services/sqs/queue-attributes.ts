/**
 * Queue attributes: names, defaults, ranges and the checks CreateQueue and
 * SetQueueAttributes apply (SQS API reference, CreateQueue "Attributes"). Pure: no
 * storage; the provider checks what needs other queues (a redrive target's existence).
 */
import { ServiceError } from '../../shared/errors.js';

/** The settable attributes of a queue as SQS reports them (strings on the wire). */
export interface QueueSettings {
  DelaySeconds: number;
  MaximumMessageSize: number;
  MessageRetentionPeriod: number;
  ReceiveMessageWaitTimeSeconds: number;
  VisibilityTimeout: number;
  Policy?: string;
  RedrivePolicy?: RedrivePolicy;
  RedriveAllowPolicy?: string;
  KmsMasterKeyId?: string;
  KmsDataKeyReusePeriodSeconds?: number;
  SqsManagedSseEnabled: boolean;
  // FIFO only.
  FifoQueue?: boolean;
  ContentBasedDeduplication?: boolean;
  DeduplicationScope?: string;
  FifoThroughputLimit?: string;
}

/** A parsed RedrivePolicy. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** Integer attributes and their ranges (CreateQueue API reference). */
const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  // 1 KiB to 1 MiB since the 2025 quota increase.
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const COMMON = new Set(['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout', 'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled']);
const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const READ_ONLY = new Set(['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn']);
const INTEGER = /^-?\d+$/;

/** The maximum message size, also the cap of a whole batch (SQS quotas). */
export const MAX_MESSAGE_SIZE = 1048576;

/** A new queue's settings before its attributes apply. */
export function defaultSettings(fifo: boolean): QueueSettings {
  const s: QueueSettings = {
    DelaySeconds: 0,
    MaximumMessageSize: MAX_MESSAGE_SIZE,
    MessageRetentionPeriod: 345600,
    ReceiveMessageWaitTimeSeconds: 0,
    VisibilityTimeout: 30,
    // SSE-SQS is on by default for queues created since 2022 (SQS Developer Guide, "Encryption at rest").
    SqsManagedSseEnabled: true,
  };
  if (fifo) {
    s.FifoQueue = true;
    s.ContentBasedDeduplication = false;
    s.DeduplicationScope = 'messageQueue';
    s.FifoThroughputLimit = 'perQueue';
  }
  return s;
}

function invalidValue(name: string): ServiceError {
  return new ServiceError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`, { status: 400 });
}

function unknownName(name: string): ServiceError {
  return new ServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`, { status: 400 });
}

function redriveInvalid(value: string, reason: string): ServiceError {
  return new ServiceError('InvalidParameterValue', `Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`, { status: 400 });
}

function parseBoolean(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidValue(name);
}

function parseJson(name: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw invalidValue(name);
  }
}

/** Parses a RedrivePolicy value (maxReceiveCount may be a number or a numeric string). */
export function parseRedrivePolicy(value: string): RedrivePolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw redriveInvalid(value, 'Redrive policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw redriveInvalid(value, 'Redrive policy is not a valid JSON map.');
  const p = parsed as Record<string, unknown>;
  if (typeof p.deadLetterTargetArn !== 'string') throw redriveInvalid(value, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (p.maxReceiveCount === undefined) throw redriveInvalid(value, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  const count = typeof p.maxReceiveCount === 'number' ? p.maxReceiveCount : typeof p.maxReceiveCount === 'string' && INTEGER.test(p.maxReceiveCount) ? Number(p.maxReceiveCount) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw redriveInvalid(value, `Invalid value for maxReceiveCount: ${String(p.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
}

/**
 * Applies `attributes` to `settings` (a copy is returned), with SQS's checks. `creating`
 * allows FifoQueue (it can only be given at creation).
 */
export function applyAttributes(settings: QueueSettings, attributes: Record<string, string>, fifo: boolean, creating: boolean): QueueSettings {
  const out: QueueSettings = { ...settings };
  for (const [name, value] of Object.entries(attributes)) {
    if (FIFO_ONLY.has(name)) {
      if (!fifo) {
        // A standard queue may say FifoQueue=false at creation; anything else is unknown to it.
        if (name === 'FifoQueue' && creating && value.toLowerCase() === 'false') continue;
        throw unknownName(name);
      }
    } else if (!COMMON.has(name)) {
      if (READ_ONLY.has(name)) throw new ServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`, { status: 400 });
      throw unknownName(name);
    }
    const range = RANGES[name];
    if (range) {
      if (!INTEGER.test(value.trim())) throw invalidValue(name);
      const n = Number(value);
      if (n < range[0] || n > range[1]) throw invalidValue(name);
      (out as unknown as Record<string, number>)[name] = n;
      continue;
    }
    switch (name) {
      case 'FifoQueue':
        if (!creating) throw new ServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`, { status: 400 });
        if (!parseBoolean(name, value)) throw invalidValue(name);
        break;
      case 'ContentBasedDeduplication':
        out.ContentBasedDeduplication = parseBoolean(name, value);
        break;
      case 'SqsManagedSseEnabled':
        out.SqsManagedSseEnabled = parseBoolean(name, value);
        break;
      case 'DeduplicationScope':
        if (value !== 'messageQueue' && value !== 'messageGroup') throw invalidValue(name);
        out.DeduplicationScope = value;
        break;
      case 'FifoThroughputLimit':
        if (value !== 'perQueue' && value !== 'perMessageGroupId') throw invalidValue(name);
        out.FifoThroughputLimit = value;
        break;
      case 'Policy':
        if (value === '') delete out.Policy;
        else {
          const p = parseJson(name, value);
          if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalidValue(name);
          out.Policy = value;
        }
        break;
      case 'RedrivePolicy':
        if (value === '') delete out.RedrivePolicy;
        else out.RedrivePolicy = parseRedrivePolicy(value);
        break;
      case 'RedriveAllowPolicy':
        if (value === '') delete out.RedriveAllowPolicy;
        else out.RedriveAllowPolicy = checkRedriveAllowPolicy(value);
        break;
      case 'KmsMasterKeyId':
        if (value === '') {
          delete out.KmsMasterKeyId;
          delete out.KmsDataKeyReusePeriodSeconds;
        } else {
          out.KmsMasterKeyId = value;
          out.KmsDataKeyReusePeriodSeconds ??= 300;
          // One kind of server-side encryption at a time: a KMS key replaces SSE-SQS.
          if (attributes.SqsManagedSseEnabled === undefined) out.SqsManagedSseEnabled = false;
        }
        break;
    }
  }
  if (out.KmsMasterKeyId && out.SqsManagedSseEnabled) {
    throw new ServiceError('InvalidAttributeName', 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.', { status: 400 });
  }
  return out;
}

function checkRedriveAllowPolicy(value: string): string {
  const reason = (r: string) => new ServiceError('InvalidParameterValue', `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: ${r}`, { status: 400 });
  let p: unknown;
  try {
    p = JSON.parse(value);
  } catch {
    throw reason('Amazon SQS can\'t parse the RedriveAllowPolicy.');
  }
  const o = (typeof p === 'object' && p !== null && !Array.isArray(p) ? p : {}) as Record<string, unknown>;
  const perm = o.redrivePermission;
  if (perm !== 'allowAll' && perm !== 'denyAll' && perm !== 'byQueue') throw reason('Invalid value for redrivePermission.');
  const arns = o.sourceQueueArns;
  if (perm === 'byQueue') {
    if (!Array.isArray(arns) || arns.length < 1 || arns.length > 10) throw reason('sourceQueueArns must be specified with 1 to 10 queue ARNs when redrivePermission is byQueue.');
  } else if (arns !== undefined) {
    throw reason('sourceQueueArns can only be specified when redrivePermission is byQueue.');
  }
  return value;
}

/** A parsed RedriveAllowPolicy: `undefined` sources for allowAll and denyAll. */
interface RedriveAllow {
  permission: 'allowAll' | 'denyAll' | 'byQueue';
  sources: ReadonlySet<string> | undefined;
}

/** Parsed RedriveAllowPolicy values by text, so a receive that dead-letters parses none. */
const allowPolicies = new Map<string, RedriveAllow>();
const ALLOW_POLICY_CACHE = 1000;

/**
 * Whether a dead-letter queue's RedriveAllowPolicy lets the queue `sourceArn` name it in
 * a RedrivePolicy (allowAll when absent): denyAll lets none, byQueue only the queues of
 * sourceQueueArns (SetQueueAttributes API reference, RedriveAllowPolicy).
 */
export function redriveAllowed(policy: string | undefined, sourceArn: string): boolean {
  if (policy === undefined) return true;
  let p = allowPolicies.get(policy);
  if (!p) {
    // Stored values passed checkRedriveAllowPolicy: valid JSON with a known permission.
    const o = JSON.parse(policy) as { redrivePermission: RedriveAllow['permission']; sourceQueueArns?: unknown[] };
    p = { permission: o.redrivePermission, sources: o.redrivePermission === 'byQueue' ? new Set((o.sourceQueueArns ?? []).map(String)) : undefined };
    if (allowPolicies.size >= ALLOW_POLICY_CACHE) allowPolicies.clear();
    allowPolicies.set(policy, p);
  }
  return p.permission === 'allowAll' || (p.permission === 'byQueue' && p.sources!.has(sourceArn));
}

/** The settable attributes as SQS returns them. */
export function settingsAsAttributes(s: QueueSettings): Record<string, string> {
  const out: Record<string, string> = {
    VisibilityTimeout: String(s.VisibilityTimeout),
    MaximumMessageSize: String(s.MaximumMessageSize),
    MessageRetentionPeriod: String(s.MessageRetentionPeriod),
    DelaySeconds: String(s.DelaySeconds),
    ReceiveMessageWaitTimeSeconds: String(s.ReceiveMessageWaitTimeSeconds),
  };
  if (s.Policy !== undefined) out.Policy = s.Policy;
  if (s.RedrivePolicy) out.RedrivePolicy = JSON.stringify(s.RedrivePolicy);
  if (s.RedriveAllowPolicy !== undefined) out.RedriveAllowPolicy = s.RedriveAllowPolicy;
  if (s.KmsMasterKeyId !== undefined) {
    out.KmsMasterKeyId = s.KmsMasterKeyId;
    out.KmsDataKeyReusePeriodSeconds = String(s.KmsDataKeyReusePeriodSeconds ?? 300);
  }
  out.SqsManagedSseEnabled = String(s.SqsManagedSseEnabled);
  if (s.FifoQueue) {
    out.FifoQueue = 'true';
    out.ContentBasedDeduplication = String(s.ContentBasedDeduplication ?? false);
    out.DeduplicationScope = s.DeduplicationScope ?? 'messageQueue';
    out.FifoThroughputLimit = s.FifoThroughputLimit ?? 'perQueue';
  }
  return out;
}

/** The attribute a CreateQueue of an existing queue disagrees on, or undefined when it matches. */
export function firstDifference(existing: QueueSettings, requested: QueueSettings): string | undefined {
  const a = settingsAsAttributes(existing);
  const b = settingsAsAttributes(requested);
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[name] !== b[name]) return name;
  return undefined;
}
