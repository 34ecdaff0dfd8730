/**
 * SQS: queues (attributes, tags, purge, dead-letter sources) and messages (send,
 * receive with long polling, delete, visibility), standard and FIFO. Queue URLs are
 * `<endpoint>/<account>/<name>` on the host the client addressed.
 */
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext, ServiceEnv } from '../../gateway/context.js';
import type {
  SqsOperations,
  CreateQueueRequest, CreateQueueResult, GetQueueUrlRequest, GetQueueUrlResult,
  GetQueueAttributesRequest, GetQueueAttributesResult, SetQueueAttributesRequest,
  ListQueuesRequest, ListQueuesResult, DeleteQueueRequest, PurgeQueueRequest,
  TagQueueRequest, UntagQueueRequest, ListQueueTagsRequest, ListQueueTagsResult,
  ListDeadLetterSourceQueuesRequest, ListDeadLetterSourceQueuesResult,
  SendMessageRequest, SendMessageResult, SendMessageBatchRequest, SendMessageBatchResult,
  ReceiveMessageRequest, ReceiveMessageResult, DeleteMessageRequest,
  DeleteMessageBatchRequest, DeleteMessageBatchResult,
  ChangeMessageVisibilityRequest, ChangeMessageVisibilityBatchRequest, ChangeMessageVisibilityBatchResult,
  BatchResultErrorEntry,
  StartMessageMoveTaskRequest, StartMessageMoveTaskResult, ListMessageMoveTasksRequest, ListMessageMoveTasksResult,
  CancelMessageMoveTaskRequest, CancelMessageMoveTaskResult, AddPermissionRequest, RemovePermissionRequest,
} from '../../models/generated/sqs.js';
import { addPermission, removePermission } from './permissions.js';
import { MoveTasks } from './move-tasks.js';
import { loadModel } from '../../models/model.js';
import { SqsStore, type QueueRecord } from './store.js';
import { Waiters } from './waiters.js';
import { MessageEngine, type PreparedSend, type SendOutcome } from './messages.js';
import { attributeFilter } from './message-attributes.js';
import { applyAttributes, defaultSettings, firstDifference, redriveAllowed, settingsAsAttributes, MAX_MESSAGE_SIZE } from './queue-attributes.js';
import { checkBatch, failure } from './batch.js';
import { GroupCommit } from '../../state/group-commit.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const ACCOUNT = /^\d{12}$/;
/** Only one PurgeQueue per queue every 60 seconds (PurgeQueue API reference). */
const PURGE_INTERVAL_MS = 60_000;
/** A deleted queue's name is free again after 60 seconds (CreateQueue API reference, QueueDeletedRecently). */
const REUSE_INTERVAL_MS = 60_000;
const MAX_TAGS = 50;
const LIST_MAX = 1000;

let queueAttributeNames: ReadonlySet<string> | undefined;

/** The attribute names GetQueueAttributes knows: the model's QueueAttributeName enum (read on first use). */
function knownAttributeName(name: string): boolean {
  queueAttributeNames ??= new Set(loadModel('sqs').shapes.get('QueueAttributeName')?.enum ?? []);
  return queueAttributeNames.has(name);
}

function queueDoesNotExist(): ServiceError {
  return new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.', { status: 400 });
}

function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameterValue', message, { status: 400 });
}

/** The SQS provider. */
export class SqsProvider implements SqsOperations {
  private readonly store: SqsStore;
  private readonly waiters = new Waiters();
  private readonly messages: MessageEngine;
  private readonly moves: MoveTasks;
  /** When queues were deleted, by account, region and name. */
  private readonly deleted = new Map<string, number>();
  /** Sends of one event-loop turn share a commit. */
  private readonly sends: GroupCommit;

  constructor(readonly env: ServiceEnv) {
    this.store = new SqsStore(env.storage);
    this.messages = new MessageEngine(this.store, this.waiters, env.clock);
    this.moves = new MoveTasks(this.store, this.waiters, env.clock, () => env.storage.db.open);
    this.sends = new GroupCommit((fn) => this.store.atomically(fn), () => env.storage.db.inTransaction);
    env.storage.onReset(() => {
      this.waiters.clear();
      this.moves.clear();
      this.deleted.clear();
    });
  }

  private url(ctx: RequestContext, q: QueueRecord): string {
    return `${ctx.endpoint}/${q.account}/${q.name}`;
  }

  /** The queue a QueueUrl names: `<scheme>://<host>/<account>/<name>` (any host: the path decides). */
  private queue(ctx: RequestContext, queueUrl: string): QueueRecord {
    let path: string;
    if (queueUrl.startsWith('http://') || queueUrl.startsWith('https://')) {
      const slash = queueUrl.indexOf('/', queueUrl.indexOf('//') + 2);
      path = slash < 0 ? '' : queueUrl.slice(slash + 1);
    } else {
      path = queueUrl.startsWith('/') ? queueUrl.slice(1) : queueUrl;
    }
    if (path.endsWith('/')) path = path.slice(0, -1);
    const parts = path.split('/');
    if (parts.length !== 2 || !ACCOUNT.test(parts[0]) || !parts[1]) {
      throw new ServiceError('InvalidAddress', `The address ${queueUrl} is not valid for this endpoint.`, { status: 404 });
    }
    const q = this.store.get(parts[0], ctx.region, parts[1]);
    if (!q) throw queueDoesNotExist();
    return q;
  }

  // ---- queues ----

  async createQueue(ctx: RequestContext, input: CreateQueueRequest): Promise<CreateQueueResult> {
    const name = input.QueueName;
    const attributes = input.Attributes ?? {};
    const fifo = attributes.FifoQueue?.toLowerCase() === 'true';
    if (fifo ? !FIFO_NAME.test(name) : !QUEUE_NAME.test(name)) {
      throw invalidParameter(fifo
        ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
        : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
    const tags = input.tags ?? {};
    checkTags(tags, 0);
    const existing = this.store.get(ctx.account, ctx.region, name);
    if (existing) {
      // Only the attributes given are compared with the queue's (CreateQueue is idempotent for equal ones).
      const requested = applyAttributes(existing.settings, attributes, existing.fifo, true);
      const differs = existing.fifo !== fifo ? 'FifoQueue' : firstDifference(existing.settings, requested);
      if (differs) throw new ServiceError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${differs}`, { status: 400 });
      return { QueueUrl: this.url(ctx, existing) };
    }
    const deletedAt = this.deleted.get(`${ctx.account}/${ctx.region}/${name}`);
    if (deletedAt !== undefined && ctx.clock.now() - deletedAt < REUSE_INTERVAL_MS) {
      throw new ServiceError('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.', { status: 400 });
    }
    const settings = applyAttributes(defaultSettings(fifo), attributes, fifo, true);
    if (settings.RedrivePolicy) this.checkRedriveTarget(settings.RedrivePolicy.deadLetterTargetArn, fifo, attributes.RedrivePolicy, `arn:aws:sqs:${ctx.region}:${ctx.account}:${name}`);
    const q = this.store.create(ctx.account, ctx.region, name, settings, tags, ctx.clock.now());
    return { QueueUrl: this.url(ctx, q) };
  }

  /**
   * A RedrivePolicy's dead-letter queue must exist, be of the source's type, and allow the
   * source by its RedriveAllowPolicy (denyAll: no source; byQueue: only its sourceQueueArns).
   */
  private checkRedriveTarget(arn: string, fifo: boolean, raw: string, sourceArn: string): void {
    const parts = arn.split(':');
    const target = parts.length === 6 && parts[0] === 'arn' && parts[2] === 'sqs' ? this.store.get(parts[4], parts[3], parts[5]) : undefined;
    if (!target) throw invalidParameter(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`);
    if (target.fifo !== fifo) throw invalidParameter(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`);
    if (!redriveAllowed(target.settings.RedriveAllowPolicy, sourceArn)) {
      throw invalidParameter(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue's RedriveAllowPolicy does not allow this queue as a source queue.`);
    }
  }

  async getQueueUrl(ctx: RequestContext, input: GetQueueUrlRequest): Promise<GetQueueUrlResult> {
    const q = this.store.get(input.QueueOwnerAWSAccountId ?? ctx.account, ctx.region, input.QueueName);
    if (!q) throw queueDoesNotExist();
    return { QueueUrl: this.url(ctx, q) };
  }

  async getQueueAttributes(ctx: RequestContext, input: GetQueueAttributesRequest): Promise<GetQueueAttributesResult> {
    const q = this.queue(ctx, input.QueueUrl);
    const names = input.AttributeNames ?? [];
    for (const n of names) if (!knownAttributeName(n)) throw new ServiceError('InvalidAttributeName', `Unknown Attribute ${n}.`, { status: 400 });
    if (names.length === 0) return {};
    const all = names.includes('All');
    const now = ctx.clock.now();
    const counts = this.store.counts(q.id, now);
    const full: Record<string, string> = {
      QueueArn: q.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(q.created / 1000)),
      LastModifiedTimestamp: String(Math.floor(q.modified / 1000)),
      ...settingsAsAttributes(q.settings),
    };
    if (all) return { Attributes: full };
    const out: Record<string, string> = {};
    for (const n of names) if (full[n] !== undefined) out[n] = full[n];
    return Object.keys(out).length ? { Attributes: out } : {};
  }

  async setQueueAttributes(ctx: RequestContext, input: SetQueueAttributesRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    const attributes = input.Attributes ?? {};
    const settings = applyAttributes(q.settings, attributes, q.fifo, false);
    if (attributes.RedrivePolicy && settings.RedrivePolicy) this.checkRedriveTarget(settings.RedrivePolicy.deadLetterTargetArn, q.fifo, attributes.RedrivePolicy, q.arn);
    q.settings = settings;
    q.modified = ctx.clock.now();
    this.store.save(q);
  }

  async listQueues(ctx: RequestContext, input: ListQueuesRequest): Promise<ListQueuesResult> {
    const max = input.MaxResults;
    if (max !== undefined && (max < 1 || max > LIST_MAX)) {
      throw invalidParameter(`Value ${max} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and ${LIST_MAX}.`);
    }
    const prefix = input.QueueNamePrefix ?? '';
    let queues = this.store.list(ctx.account, ctx.region).filter((q) => q.name.startsWith(prefix));
    if (input.NextToken !== undefined) {
      const after = decodeToken(input.NextToken);
      queues = queues.filter((q) => q.name > after);
    }
    const page = queues.slice(0, max ?? LIST_MAX);
    const out: ListQueuesResult = {};
    if (page.length) out.QueueUrls = page.map((q) => this.url(ctx, q));
    if (max !== undefined && queues.length > page.length) out.NextToken = encodeToken(page[page.length - 1].name);
    return out;
  }

  async deleteQueue(ctx: RequestContext, input: DeleteQueueRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    this.store.delete(q);
    this.deleted.set(`${q.account}/${q.region}/${q.name}`, ctx.clock.now());
    this.waiters.notifyAll(q.id);
  }

  async purgeQueue(ctx: RequestContext, input: PurgeQueueRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    const now = ctx.clock.now();
    if (q.purged !== undefined && now - q.purged < PURGE_INTERVAL_MS) {
      throw new ServiceError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`, { status: 403 });
    }
    this.store.purge(q, now);
  }

  async tagQueue(ctx: RequestContext, input: TagQueueRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    const tags = { ...q.tags, ...input.Tags };
    checkTags(input.Tags, 0);
    if (Object.keys(tags).length > MAX_TAGS) throw invalidParameter(`Too many tags added for queue ${q.name}.`);
    q.tags = tags;
    this.store.save(q);
  }

  async untagQueue(ctx: RequestContext, input: UntagQueueRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    const tags = { ...q.tags };
    for (const k of input.TagKeys) delete tags[k];
    q.tags = tags;
    this.store.save(q);
  }

  async listQueueTags(ctx: RequestContext, input: ListQueueTagsRequest): Promise<ListQueueTagsResult> {
    const q = this.queue(ctx, input.QueueUrl);
    return Object.keys(q.tags).length ? { Tags: { ...q.tags } } : {};
  }

  async listDeadLetterSourceQueues(ctx: RequestContext, input: ListDeadLetterSourceQueuesRequest): Promise<ListDeadLetterSourceQueuesResult> {
    const q = this.queue(ctx, input.QueueUrl);
    const max = input.MaxResults;
    if (max !== undefined && (max < 1 || max > LIST_MAX)) {
      throw invalidParameter(`Value ${max} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and ${LIST_MAX}.`);
    }
    let sources = this.store.deadLetterSources(q.account, q.region, q.arn);
    if (input.NextToken !== undefined) {
      const after = decodeToken(input.NextToken);
      sources = sources.filter((s) => s.name > after);
    }
    const page = sources.slice(0, max ?? LIST_MAX);
    const out: ListDeadLetterSourceQueuesResult = { queueUrls: page.map((s) => this.url(ctx, s)) };
    if (max !== undefined && sources.length > page.length) out.NextToken = encodeToken(page[page.length - 1].name);
    return out;
  }

  async addPermission(ctx: RequestContext, input: AddPermissionRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    const policy = addPermission(q.settings.Policy, q.arn, input.Label, input.AWSAccountIds, input.Actions);
    q.settings = { ...q.settings, Policy: policy };
    q.modified = ctx.clock.now();
    this.store.save(q);
  }

  async removePermission(ctx: RequestContext, input: RemovePermissionRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    const policy = removePermission(q.settings.Policy, q.arn, input.Label);
    const settings = { ...q.settings };
    if (policy === undefined) delete settings.Policy;
    else settings.Policy = policy;
    q.settings = settings;
    q.modified = ctx.clock.now();
    this.store.save(q);
  }

  // ---- dead-letter queue redrive ----

  async startMessageMoveTask(_ctx: RequestContext, input: StartMessageMoveTaskRequest): Promise<StartMessageMoveTaskResult> {
    return { TaskHandle: this.moves.start(input.SourceArn, input.DestinationArn, input.MaxNumberOfMessagesPerSecond) };
  }

  async listMessageMoveTasks(_ctx: RequestContext, input: ListMessageMoveTasksRequest): Promise<ListMessageMoveTasksResult> {
    return { Results: this.moves.list(input.SourceArn, input.MaxResults) };
  }

  async cancelMessageMoveTask(_ctx: RequestContext, input: CancelMessageMoveTaskRequest): Promise<CancelMessageMoveTaskResult> {
    return { ApproximateNumberOfMessagesMoved: this.moves.cancel(input.TaskHandle) };
  }

  // ---- messages ----

  async sendMessage(ctx: RequestContext, input: SendMessageRequest): Promise<SendMessageResult> {
    const q = this.queue(ctx, input.QueueUrl);
    const prepared = this.messages.prepare(q, input);
    return (await this.commitSends(q, [prepared], ctx.principal.userId))[0];
  }

  async sendMessageBatch(ctx: RequestContext, input: SendMessageBatchRequest): Promise<SendMessageBatchResult> {
    const q = this.queue(ctx, input.QueueUrl);
    const entries = input.Entries ?? [];
    checkBatch(entries, 'SendMessageBatchRequestEntry');
    const failed: BatchResultErrorEntry[] = [];
    const ok: Array<{ id: string; prepared: PreparedSend }> = [];
    let total = 0;
    for (const e of entries) {
      total += Buffer.byteLength(e.MessageBody ?? '', 'utf8');
      for (const [n, v] of Object.entries(e.MessageAttributes ?? {})) {
        total += Buffer.byteLength(n, 'utf8') + Buffer.byteLength(v.DataType ?? '', 'utf8') + (v.BinaryValue?.length ?? Buffer.byteLength(v.StringValue ?? '', 'utf8'));
      }
    }
    if (total > MAX_MESSAGE_SIZE) {
      throw new ServiceError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_SIZE} bytes. You have sent ${total} bytes.`, { status: 400 });
    }
    for (const e of entries) {
      try {
        ok.push({ id: e.Id, prepared: this.messages.prepare(q, e) });
      } catch (err) {
        failed.push(failure(e.Id, err));
      }
    }
    const results = ok.length ? await this.commitSends(q, ok.map((o) => o.prepared), ctx.principal.userId) : [];
    return {
      Successful: results.map((r, i) => ({ Id: ok[i].id, ...r })),
      Failed: failed,
    };
  }

  /** Commits checked sends with the others of this event-loop turn; answers once committed. */
  private commitSends(q: QueueRecord, sends: readonly PreparedSend[], senderId: string): Promise<SendOutcome[]> {
    return this.sends.run(() => {
      // The queue was deleted (or nimbus reset) between the check of the request and the commit.
      if (this.store.getById(q.id) !== q) throw queueDoesNotExist();
      return this.messages.commit(q, sends, senderId);
    });
  }

  async receiveMessage(ctx: RequestContext, input: ReceiveMessageRequest): Promise<ReceiveMessageResult> {
    const q = this.queue(ctx, input.QueueUrl);
    const max = input.MaxNumberOfMessages ?? 1;
    if (max < 1 || max > 10) throw invalidParameter(`Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    const wait = input.WaitTimeSeconds ?? q.settings.ReceiveMessageWaitTimeSeconds;
    if (wait < 0 || wait > 20) throw invalidParameter(`Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`);
    const visibility = input.VisibilityTimeout ?? q.settings.VisibilityTimeout;
    if (visibility < 0 || visibility > 43200) throw invalidParameter(`Value ${visibility} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`);
    const systemNames = new Set<string>([...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])]);
    const opts = { max, visibilityTimeout: visibility, systemNames, filter: attributeFilter(input.MessageAttributeNames), attemptId: input.ReceiveRequestAttemptId };
    let messages = this.messages.receive(q, opts);
    if (messages.length || wait === 0) return messages.length ? { Messages: messages } : {};
    // Long polling: wait for a send (or the next message to become visible) until the wait time ends.
    const deadline = ctx.clock.now() + wait * 1000;
    for (;;) {
      const remaining = deadline - ctx.clock.now();
      if (remaining <= 0) break;
      await this.waiters.wait(q.id, this.messages.nextWake(q, remaining));
      // The queue was deleted, or nimbus stopped while this receiver waited.
      if (this.store.getById(q.id) !== q || !this.env.storage.db.open) break;
      messages = this.messages.receive(q, opts);
      if (messages.length) return { Messages: messages };
    }
    return {};
  }

  async deleteMessage(ctx: RequestContext, input: DeleteMessageRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    this.messages.delete(q, input.ReceiptHandle);
  }

  async deleteMessageBatch(ctx: RequestContext, input: DeleteMessageBatchRequest): Promise<DeleteMessageBatchResult> {
    const q = this.queue(ctx, input.QueueUrl);
    const entries = input.Entries ?? [];
    checkBatch(entries, 'DeleteMessageBatchRequestEntry');
    const out: DeleteMessageBatchResult = { Successful: [], Failed: [] };
    this.store.atomically(() => {
      for (const e of entries) {
        try {
          this.messages.delete(q, e.ReceiptHandle);
          out.Successful!.push({ Id: e.Id });
        } catch (err) {
          out.Failed!.push(failure(e.Id, err));
        }
      }
    });
    return out;
  }

  async changeMessageVisibility(ctx: RequestContext, input: ChangeMessageVisibilityRequest): Promise<void> {
    const q = this.queue(ctx, input.QueueUrl);
    this.messages.changeVisibility(q, input.ReceiptHandle, input.VisibilityTimeout);
  }

  async changeMessageVisibilityBatch(ctx: RequestContext, input: ChangeMessageVisibilityBatchRequest): Promise<ChangeMessageVisibilityBatchResult> {
    const q = this.queue(ctx, input.QueueUrl);
    const entries = input.Entries ?? [];
    checkBatch(entries, 'ChangeMessageVisibilityBatchRequestEntry');
    const out: ChangeMessageVisibilityBatchResult = { Successful: [], Failed: [] };
    this.store.atomically(() => {
      for (const e of entries) {
        try {
          this.messages.changeVisibility(q, e.ReceiptHandle, e.VisibilityTimeout ?? 0);
          out.Successful!.push({ Id: e.Id });
        } catch (err) {
          out.Failed!.push(failure(e.Id, err));
        }
      }
    });
    return out;
  }
}

function checkTags(tags: Record<string, string>, existing: number): void {
  if (Object.keys(tags).length + existing > MAX_TAGS) throw invalidParameter('Too many tags added for queue.');
}

function encodeToken(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName }), 'utf8').toString('base64');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw invalidParameter('Invalid NextToken value.');
}
