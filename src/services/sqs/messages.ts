/**
 * The message path of SQS: send (with FIFO deduplication and sequence numbers),
 * receive (visibility, receive counts, redrive to a dead-letter queue, retention),
 * delete and visibility changes by receipt handle. SQLite holds every message state;
 * each call runs in one transaction (sends in a savepoint of the group commit their
 * turn of the event loop shares), so an acknowledged call has been committed.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ServiceError } from '../../shared/errors.js';
import { parseArn } from '../../shared/arn.js';
import type { Clock } from '../../shared/clock.js';
import type { Message, MessageAttributeValue, MessageSystemAttributeValue, SendMessageRequest } from '../../models/generated/sqs.js';
import { encodeAttributes, forbiddenCharacter, characterName, md5OfBody, selectAttributes, type AttributeFilter } from './message-attributes.js';
import { redriveAllowed } from './queue-attributes.js';
import type { MessageRow, QueueRecord, SqsStore } from './store.js';
import type { Waiters } from './waiters.js';

/** FIFO deduplication interval: 5 minutes (SQS Developer Guide, "Exactly-once processing"). */
const DEDUP_INTERVAL_MS = 5 * 60 * 1000;
const MAX_DELAY = 900;
const MAX_VISIBILITY = 43200;
/** Random bytes of a receipt token (16 base64url characters). */
const TOKEN_BYTES = 12;
/** Retention expiry runs at most this often per queue. */
const EXPIRY_INTERVAL_MS = 1000;
/** FIFO sequence numbers are 20-digit decimal strings that only grow. */
const SEQUENCE_BASE = 10n ** 19n;

/** What a send carries (SendMessage, or one SendMessageBatch entry): the model's members less the queue and the entry id. */
export type SendRequest = Omit<SendMessageRequest, 'QueueUrl'>;

/** A send that passed its checks, ready to commit. */
export interface PreparedSend {
  readonly body: string;
  readonly md5Body: string;
  readonly attributes: Buffer | null;
  readonly md5Attributes: string | undefined;
  readonly md5System: string | undefined;
  readonly traceHeader: string | null;
  readonly groupId: string | null;
  readonly dedupId: string | null;
  readonly delaySeconds: number;
  /** Body and attribute bytes, what counts toward the message and batch size limits. */
  readonly size: number;
}

/** What a committed send answers. */
export interface SendOutcome {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

/** What a receive asks for. */
export interface ReceiveOptions {
  max: number;
  /** FIFO: a retried receive with the same id answers the same messages (ReceiveMessage API reference). */
  attemptId?: string;
  visibilityTimeout: number;
  /** System attribute names wanted; `All` for all. */
  systemNames: ReadonlySet<string>;
  filter: AttributeFilter | undefined;
}

function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameterValue', message, { status: 400 });
}

/** Decoded receipt handle: queue id, message sequence and the receive's token. */
interface Receipt { queueId: number; seq: number; token: string }

const RECEIPT = /^(\d+) (\d+) ([A-Za-z0-9_-]+)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** MessageGroupId and MessageDeduplicationId: 1 to 128 alphanumeric or punctuation characters (SendMessage API reference). */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

function encodeReceipt(queueId: number, seq: number, token: string): string {
  return Buffer.from(`${queueId} ${seq} ${token}`, 'utf8').toString('base64');
}

function decodeReceipt(handle: string): Receipt | undefined {
  if (!BASE64.test(handle)) return undefined;
  const m = RECEIPT.exec(Buffer.from(handle, 'base64').toString('utf8'));
  return m ? { queueId: Number(m[1]), seq: Number(m[2]), token: m[3] } : undefined;
}

/** The receipt-handle error for a handle nimbus never issued (or issued for another queue). */
export function receiptHandleInvalid(handle: string): ServiceError {
  return new ServiceError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, { status: 404 });
}

function sequenceNumber(seq: number): string {
  return (SEQUENCE_BASE + BigInt(seq)).toString();
}

/** The message engine over the store. */
export class MessageEngine {
  private readonly lastExpiry = new Map<number, number>();
  /** FIFO receive attempts by queue id and ReceiveRequestAttemptId, kept for the deduplication interval. */
  private readonly attempts = new Map<string, { expires: number; taken: Array<{ seq: number; token: string }>; messages: Message[] }>();

  constructor(private readonly store: SqsStore, private readonly waiters: Waiters, private readonly clock: Clock) {}

  /** Checks one send against the queue; throws the error SQS answers for it. */
  prepare(q: QueueRecord, r: SendRequest): PreparedSend {
    const body = r.MessageBody;
    if (body === undefined || body === '') throw new ServiceError('MissingParameter', 'The request must contain the parameter MessageBody.', { status: 400 });
    const bad = forbiddenCharacter(body);
    if (bad >= 0) {
      throw new ServiceError('InvalidMessageContents', `Invalid binary character '${characterName(body, bad)}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`, { status: 400 });
    }
    if (r.DelaySeconds !== undefined && (r.DelaySeconds < 0 || r.DelaySeconds > MAX_DELAY)) {
      throw invalidParameter(`Value ${r.DelaySeconds} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= ${MAX_DELAY}.`);
    }
    const attrs = encodeAttributes(r.MessageAttributes);
    const system = encodeSystemAttributes(r.MessageSystemAttributes);
    const size = Buffer.byteLength(body, 'utf8') + (attrs?.size ?? 0);
    if (size > q.settings.MaximumMessageSize) {
      throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${q.settings.MaximumMessageSize} bytes.`);
    }
    const groupId: string | null = r.MessageGroupId ?? null;
    let dedupId: string | null = r.MessageDeduplicationId ?? null;
    if (groupId !== null && !FIFO_ID.test(groupId)) {
      throw invalidParameter(`Value ${groupId} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
    }
    if (dedupId !== null && !FIFO_ID.test(dedupId)) {
      throw invalidParameter(`Value ${dedupId} for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
    }
    let delay = r.DelaySeconds ?? q.settings.DelaySeconds;
    if (q.fifo) {
      if (r.DelaySeconds !== undefined && r.DelaySeconds !== 0) {
        throw invalidParameter(`Value ${r.DelaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
      }
      delay = q.settings.DelaySeconds;
      if (groupId === null) throw new ServiceError('MissingParameter', 'The request must contain the parameter MessageGroupId.', { status: 400 });
      if (dedupId === null) {
        if (!q.settings.ContentBasedDeduplication) {
          throw invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
        }
        // Content-based deduplication: the SHA-256 of the body (attributes do not count).
        dedupId = createHash('sha256').update(body, 'utf8').digest('hex');
      }
    } else if (dedupId !== null) {
      throw invalidParameter(`Value ${dedupId} for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.`);
    }
    return {
      body, md5Body: md5OfBody(body),
      attributes: attrs?.bytes ?? null, md5Attributes: attrs?.md5,
      md5System: system?.md5, traceHeader: system?.traceHeader ?? null,
      groupId, dedupId, delaySeconds: delay, size,
    };
  }

  /** Commits prepared sends in one transaction, then wakes as many long-polling receivers. */
  commit(q: QueueRecord, sends: readonly PreparedSend[], senderId: string): SendOutcome[] {
    const now = this.clock.now();
    const out: SendOutcome[] = [];
    let added = 0;
    this.store.atomically(() => {
      if (q.fifo) this.store.expireDuplicates(q.id, now);
      for (const s of sends) {
        const result: SendOutcome = { MessageId: '', MD5OfMessageBody: s.md5Body };
        if (s.md5Attributes) result.MD5OfMessageAttributes = s.md5Attributes;
        if (s.md5System) result.MD5OfMessageSystemAttributes = s.md5System;
        const scope = q.settings.DeduplicationScope === 'messageGroup' ? s.groupId ?? '' : '';
        const dup = q.fifo && s.dedupId !== null ? this.store.findDuplicate(q.id, scope, s.dedupId, now) : undefined;
        if (dup) {
          // A duplicate within the interval is accepted and answered as the original, but not enqueued.
          result.MessageId = dup.message_id;
          result.SequenceNumber = sequenceNumber(dup.seq);
          out.push(result);
          continue;
        }
        const messageId = randomUUID();
        const seq = this.store.insert(q.id, {
          message_id: messageId, body: s.body, md5_body: s.md5Body,
          attributes: s.attributes, md5_attributes: s.md5Attributes ?? null,
          sender_id: senderId, trace_header: s.traceHeader, group_id: s.groupId, dedup_id: s.dedupId,
          source_arn: null, sent: now, visible_at: now + s.delaySeconds * 1000, receive_count: 0, first_receive: null,
        });
        if (q.fifo && s.dedupId !== null) this.store.recordDuplicate(q.id, scope, s.dedupId, messageId, seq, now + DEDUP_INTERVAL_MS);
        result.MessageId = messageId;
        if (q.fifo) result.SequenceNumber = sequenceNumber(seq);
        out.push(result);
        added++;
      }
    });
    if (added) this.waiters.notify(q.id, added);
    return out;
  }

  /** Takes up to `opts.max` messages, hiding them for the visibility timeout. */
  receive(q: QueueRecord, opts: ReceiveOptions): Message[] {
    const now = this.clock.now();
    this.expire(q, now);
    const attemptKey = q.fifo && opts.attemptId !== undefined ? `${q.id}\n${opts.attemptId}` : undefined;
    if (attemptKey !== undefined) {
      const repeated = this.repeatAttempt(q, attemptKey, opts, now);
      if (repeated) return repeated;
    }
    const taken: Array<{ row: MessageRow; token: string }> = [];
    const redrive = q.settings.RedrivePolicy;
    const dlq = redrive ? this.deadLetterQueue(q, redrive.deadLetterTargetArn) : undefined;
    const hiddenUntil = now + opts.visibilityTimeout * 1000;
    let moved = 0;
    this.store.atomically(() => {
      // Messages moved to the dead-letter queue leave room for others; a few rounds at most.
      for (let round = 0; round < 3 && taken.length < opts.max; round++) {
        const rows = this.store.receivable(q, now, opts.max - taken.length);
        if (rows.length === 0) break;
        let movedThisRound = 0;
        // One draw of randomness for the receipt tokens of the whole round.
        const entropy = randomBytes(TOKEN_BYTES * rows.length);
        let at = 0;
        for (const row of rows) {
          if (dlq && redrive && row.receive_count >= redrive.maxReceiveCount) {
            this.moveToDeadLetterQueue(q, dlq, row, now);
            movedThisRound++;
            continue;
          }
          const token = entropy.toString('base64url', at, at + TOKEN_BYTES);
          at += TOKEN_BYTES;
          this.store.markReceived(row.seq, hiddenUntil, now, token);
          row.receive_count++;
          row.first_receive ??= now;
          taken.push({ row, token });
        }
        moved += movedThisRound;
        if (movedThisRound === 0) break;
      }
    });
    if (moved && dlq) this.waiters.notify(dlq.id, moved);
    const messages = taken.map(({ row, token }) => this.toMessage(q, row, token, opts));
    if (attemptKey !== undefined && messages.length) this.rememberAttempt(attemptKey, taken.map(({ row, token }) => ({ seq: row.seq, token })), messages, now);
    return messages;
  }

  /**
   * A retried FIFO receive: the same messages and receipt handles while all of them are
   * still in flight from that receive, their visibility timeout started anew.
   */
  private repeatAttempt(q: QueueRecord, key: string, opts: ReceiveOptions, now: number): Message[] | undefined {
    const prior = this.attempts.get(key);
    if (!prior) return undefined;
    this.attempts.delete(key);
    if (prior.expires <= now) return undefined;
    for (const t of prior.taken) {
      const row = this.store.message(q.id, t.seq);
      if (!row || row.receipt !== t.token || row.visible_at <= now) return undefined;
    }
    this.store.atomically(() => {
      for (const t of prior.taken) this.store.setVisibility(t.seq, now + opts.visibilityTimeout * 1000);
    });
    this.attempts.set(key, prior);
    return prior.messages;
  }

  private rememberAttempt(key: string, taken: Array<{ seq: number; token: string }>, messages: Message[], now: number): void {
    if (this.attempts.size >= 1024) {
      for (const [k, a] of this.attempts) if (a.expires <= now) this.attempts.delete(k);
    }
    this.attempts.set(key, { expires: now + DEDUP_INTERVAL_MS, taken, messages });
  }

  private toMessage(q: QueueRecord, row: MessageRow, token: string, opts: ReceiveOptions): Message {
    const m: Message = {
      MessageId: row.message_id,
      ReceiptHandle: encodeReceipt(q.id, row.seq, token),
      MD5OfBody: row.md5_body,
      Body: row.body,
    };
    if (opts.systemNames.size) {
      const all = opts.systemNames.has('All');
      const want = (n: string) => all || opts.systemNames.has(n);
      const a: Record<string, string> = {};
      if (want('SenderId')) a.SenderId = row.sender_id;
      if (want('SentTimestamp')) a.SentTimestamp = String(row.sent);
      if (want('ApproximateReceiveCount')) a.ApproximateReceiveCount = String(row.receive_count);
      if (want('ApproximateFirstReceiveTimestamp')) a.ApproximateFirstReceiveTimestamp = String(row.first_receive);
      if (row.trace_header !== null && want('AWSTraceHeader')) a.AWSTraceHeader = row.trace_header;
      if (row.source_arn !== null && want('DeadLetterQueueSourceArn')) a.DeadLetterQueueSourceArn = row.source_arn;
      if (q.fifo) {
        if (want('SequenceNumber')) a.SequenceNumber = sequenceNumber(row.seq);
        if (row.dedup_id !== null && want('MessageDeduplicationId')) a.MessageDeduplicationId = row.dedup_id;
      }
      if (row.group_id !== null && want('MessageGroupId')) a.MessageGroupId = row.group_id;
      if (Object.keys(a).length) m.Attributes = a;
    }
    if (opts.filter && row.attributes) {
      const selected = selectAttributes(row.attributes, opts.filter, row.md5_attributes);
      if (selected) {
        m.MD5OfMessageAttributes = selected.md5;
        m.MessageAttributes = selected.attributes;
      }
    }
    return m;
  }

  /** The existing queue a dead-letter ARN names. */
  /**
   * The dead-letter queue of `source`, if it exists and its RedriveAllowPolicy still allows
   * the source (it may have changed after the RedrivePolicy was set): otherwise messages
   * past maxReceiveCount stay in the source queue, as with no dead-letter queue.
   */
  private deadLetterQueue(source: QueueRecord, arn: string): QueueRecord | undefined {
    const a = parseArn(arn);
    const dlq = a ? this.store.get(a.account, a.region, a.resource) : undefined;
    return dlq && redriveAllowed(dlq.settings.RedriveAllowPolicy, source.arn) ? dlq : undefined;
  }

  private moveToDeadLetterQueue(source: QueueRecord, dlq: QueueRecord, row: MessageRow, now: number): void {
    this.store.deleteMessage(row.seq);
    this.store.insert(dlq.id, {
      message_id: row.message_id, body: row.body, md5_body: row.md5_body,
      attributes: row.attributes, md5_attributes: row.md5_attributes,
      sender_id: row.sender_id, trace_header: row.trace_header, group_id: row.group_id, dedup_id: row.dedup_id,
      source_arn: source.arn,
      // Retention keeps counting from the original enqueue (SQS Developer Guide, dead-letter queues).
      sent: row.sent, visible_at: now, receive_count: row.receive_count, first_receive: row.first_receive,
    });
  }

  /** Deletes messages past the queue's retention period (at most once a second per queue). */
  private expire(q: QueueRecord, now: number): void {
    const last = this.lastExpiry.get(q.id) ?? 0;
    if (now - last < EXPIRY_INTERVAL_MS && now >= last) return;
    this.lastExpiry.set(q.id, now);
    this.store.expire(q.id, now - q.settings.MessageRetentionPeriod * 1000);
  }

  /** How long a receiver should wait before re-checking: until the next message becomes visible, within `remainingMs`. */
  nextWake(q: QueueRecord, remainingMs: number): number {
    const now = this.clock.now();
    const next = this.store.nextVisible(q.id, now);
    return next === undefined ? remainingMs : Math.min(remainingMs, next - now);
  }

  /** Resolves a receipt handle to its message, or throws SQS's error; undefined when the message is gone. */
  private byReceipt(q: QueueRecord, handle: string): { row: MessageRow | undefined; receipt: Receipt } {
    const receipt = decodeReceipt(handle);
    if (!receipt || receipt.queueId !== q.id) throw receiptHandleInvalid(handle);
    return { row: this.store.message(q.id, receipt.seq), receipt };
  }

  /** DeleteMessage: deleting an already deleted message succeeds. */
  delete(q: QueueRecord, handle: string): void {
    if (!q.fifo) {
      // A standard queue's handle deletes its message whatever receipt it came from: no read needed.
      const receipt = decodeReceipt(handle);
      if (!receipt || receipt.queueId !== q.id) throw receiptHandleInvalid(handle);
      this.store.deleteOf(q.id, receipt.seq);
      return;
    }
    const { row, receipt } = this.byReceipt(q, handle);
    if (!row) return;
    if (q.fifo && (row.receipt !== receipt.token || row.visible_at <= this.clock.now())) {
      // A FIFO receipt handle stops working once its visibility timeout has passed.
      throw invalidParameter(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
    }
    this.store.deleteMessage(row.seq);
  }

  /** ChangeMessageVisibility: the message must be in flight. */
  changeVisibility(q: QueueRecord, handle: string, timeout: number): void {
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_VISIBILITY) {
      throw invalidParameter(`Value ${timeout} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and ${MAX_VISIBILITY}, if provided.`);
    }
    const { row } = this.byReceipt(q, handle);
    if (!row) throw invalidParameter(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
    const now = this.clock.now();
    if (row.receive_count === 0 || row.visible_at <= now) {
      throw new ServiceError('MessageNotInflight', 'The specified message isn\'t in flight.', { status: 400 });
    }
    this.store.setVisibility(row.seq, now + timeout * 1000);
    if (timeout === 0) this.waiters.notify(q.id, 1);
  }
}

/** Checks the system attributes of a send (only AWSTraceHeader exists) and digests them. */
function encodeSystemAttributes(attrs: Record<string, MessageSystemAttributeValue> | undefined): { md5: string; traceHeader: string } | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  for (const [name, value] of Object.entries(attrs)) {
    if (name !== 'AWSTraceHeader') throw invalidParameter(`Message system attribute name '${name}' is invalid.`);
    if (value.DataType !== 'String') throw invalidParameter(`Message system attribute '${name}' must be of type String.`);
  }
  const encoded = encodeAttributes(attrs as Record<string, MessageAttributeValue>, true);
  if (!encoded) return undefined;
  return { md5: encoded.md5, traceHeader: attrs.AWSTraceHeader.StringValue ?? '' };
}
