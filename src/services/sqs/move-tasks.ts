/**
 * Dead-letter queue redrive (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask): a task moves the messages a dead-letter queue held when it
 * started, in the background, to a destination queue or back to each message's
 * source queue, at most MaxNumberOfMessagesPerSecond when given. Tasks are stored,
 * and a task running when nimbus stopped resumes on the next start.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../shared/errors.js';
import { parseArn } from '../../shared/arn.js';
import type { Clock } from '../../shared/clock.js';
import type { ListMessageMoveTasksResultEntry } from '../../models/generated/sqs.js';
import type { MoveTaskRow, QueueRecord, SqsStore } from './store.js';
import type { Waiters } from './waiters.js';

/** Messages moved per step when no rate is given (then steps follow each other at once). */
const CHUNK = 100;
const MAX_RATE = 500;
const MAX_LIST = 10;

function notFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', message, { status: 404 });
}

/** The message move tasks of one nimbus instance. */
export class MoveTasks {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly store: SqsStore, private readonly waiters: Waiters, private readonly clock: Clock, private readonly isOpen: () => boolean) {
    for (const t of store.runningTasks()) this.schedule(t, 0);
  }

  /** Forgets scheduled steps (storage was reset). */
  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private queueByArn(arn: string): QueueRecord | undefined {
    const a = parseArn(arn);
    return a && a.service === 'sqs' ? this.store.get(a.account, a.region, a.resource) : undefined;
  }

  /** StartMessageMoveTask: checks the source (a dead-letter queue) and destination, records and schedules the task. */
  start(sourceArn: string, destinationArn: string | undefined, rate: number | undefined): string {
    const source = this.queueByArn(sourceArn);
    if (!source) throw notFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
    if (this.store.deadLetterSources(source.account, source.region, source.arn).length === 0) {
      throw new ServiceError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.', { status: 400 });
    }
    if (destinationArn !== undefined && !this.queueByArn(destinationArn)) {
      throw notFound('The resource that you specified for the DestinationArn parameter doesn\'t exist.');
    }
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE)) {
      throw new ServiceError('InvalidParameterValue', `Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and ${MAX_RATE}.`, { status: 400 });
    }
    if (this.store.tasksOf(sourceArn, 1).some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
      throw new ServiceError('InvalidParameterValue', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.', { status: 400 });
    }
    const extent = this.store.extent(source.id);
    const handle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn }), 'utf8').toString('base64');
    const task: MoveTaskRow = {
      handle, account: source.account, region: source.region, source_arn: sourceArn, destination_arn: destinationArn ?? null,
      rate: rate ?? null, status: 'RUNNING', moved: 0, to_move: extent.count, max_seq: extent.maxSeq, started: this.clock.now(), failure: null,
    };
    this.store.insertTask(task);
    this.schedule(task, 0);
    return handle;
  }

  /** ListMessageMoveTasks: the most recent tasks of a source queue, newest first. */
  list(sourceArn: string, max: number | undefined): ListMessageMoveTasksResultEntry[] {
    if (!this.queueByArn(sourceArn)) throw notFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
    const limit = max ?? 1;
    if (limit < 1 || limit > MAX_LIST) {
      throw new ServiceError('InvalidParameterValue', `Value ${limit} for parameter MaxResults is invalid. Reason: Must be between 1 and ${MAX_LIST}.`, { status: 400 });
    }
    return this.store.tasksOf(sourceArn, limit).map((t) => {
      const e: ListMessageMoveTasksResultEntry = { Status: t.status, SourceArn: t.source_arn };
      // Only a running task has a handle to cancel it with.
      if (t.status === 'RUNNING') e.TaskHandle = t.handle;
      if (t.destination_arn !== null) e.DestinationArn = t.destination_arn;
      if (t.rate !== null) e.MaxNumberOfMessagesPerSecond = t.rate;
      e.ApproximateNumberOfMessagesMoved = t.moved;
      e.ApproximateNumberOfMessagesToMove = t.to_move;
      if (t.failure !== null) e.FailureReason = t.failure;
      e.StartedTimestamp = t.started;
      return e;
    });
  }

  /** CancelMessageMoveTask: stops a running task; answers how many messages it moved. */
  cancel(handle: string): number {
    const task = this.store.task(handle);
    // A finished task's handle names nothing that can be cancelled any more.
    if (!task || task.status !== 'RUNNING') throw notFound('Task does not exist.');
    const timer = this.timers.get(handle);
    if (timer) clearTimeout(timer);
    this.timers.delete(handle);
    // Steps run to completion between requests, so the cancellation takes effect at once.
    task.status = 'CANCELLED';
    this.store.updateTask(task);
    return task.moved;
  }

  private schedule(task: MoveTaskRow, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(task.handle);
      if (this.isOpen()) this.step(task.handle);
    }, delayMs);
    timer.unref();
    this.timers.set(task.handle, timer);
  }

  /** Moves one chunk (a second's worth at a set rate), then schedules the next or finishes. */
  private step(handle: string): void {
    const task = this.store.task(handle);
    if (!task || task.status !== 'RUNNING') return;
    const source = this.queueByArn(task.source_arn);
    if (!source) return this.finish(task, 'FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
    const now = this.clock.now();
    const rows = this.store.movable(source.id, task.max_seq, now, task.rate ?? CHUNK);
    if (rows.length === 0) return this.finish(task, 'COMPLETED', null);
    const woken = new Map<number, number>();
    let failure: string | null = null;
    this.store.atomically(() => {
      for (const row of rows) {
        const target = task.destination_arn !== null ? this.queueByArn(task.destination_arn) : row.source_arn !== null ? this.queueByArn(row.source_arn) : undefined;
        if (!target) {
          failure = 'AWS.SimpleQueueService.NonExistentQueue';
          return;
        }
        this.store.deleteMessage(row.seq);
        this.store.insert(target.id, {
          message_id: row.message_id, body: row.body, md5_body: row.md5_body,
          attributes: row.attributes, md5_attributes: row.md5_attributes,
          sender_id: row.sender_id, trace_header: row.trace_header, group_id: row.group_id, dedup_id: row.dedup_id,
          source_arn: null, sent: row.sent, visible_at: now, receive_count: 0, first_receive: null,
        });
        task.moved++;
        woken.set(target.id, (woken.get(target.id) ?? 0) + 1);
      }
      this.store.updateTask(task);
    });
    for (const [id, n] of woken) this.waiters.notify(id, n);
    if (failure) return this.finish(task, 'FAILED', failure);
    this.schedule(task, task.rate !== null ? 1000 : 0);
  }

  private finish(task: MoveTaskRow, status: string, failure: string | null): void {
    task.status = status;
    task.failure = failure;
    this.store.updateTask(task);
  }
}
