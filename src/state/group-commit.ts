/**
 * Group commit: writes that arrive in the same turn of the event loop (the requests of
 * many connections under load) run in one SQLite transaction, each in a savepoint of
 * its own, and their callers are answered once that transaction has committed. An
 * acknowledged write is still committed before its answer; the commit's cost (the WAL
 * write) is paid once per group instead of once per request. A write that arrives
 * alone commits alone. Used by SQS sends, S3 object versions and DynamoDB's
 * single-item writes.
 */

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Runs queued writes together at the end of the current event-loop turn. */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;

  /**
   * @param transaction runs a function in a transaction (a savepoint when nested)
   * @param inTransaction whether the outer transaction is still open (SQLite ends it
   *   itself on some errors, which then fail the whole group)
   */
  constructor(
    private readonly transaction: <T>(fn: () => T) => T,
    private readonly inTransaction: () => boolean = () => true,
  ) {}

  /** Queues `work`; resolves with its result once the group it ran in has committed, or rejects with what it threw. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const group = this.queue;
    this.queue = [];
    this.scheduled = false;
    if (group.length === 1) {
      const only = group[0];
      let value: unknown;
      try {
        value = this.transaction(only.work);
      } catch (e) {
        return only.reject(e);
      }
      return only.resolve(value);
    }
    const outcomes: Array<{ ok: boolean; value: unknown }> = [];
    try {
      this.transaction(() => {
        for (const p of group) {
          try {
            // A savepoint per write: one that throws is rolled back alone.
            outcomes.push({ ok: true, value: this.transaction(p.work) });
          } catch (e) {
            if (!this.inTransaction()) throw e;
            outcomes.push({ ok: false, value: e });
          }
        }
      });
    } catch (e) {
      // The commit itself failed: nothing of the group was written.
      for (const p of group) p.reject(e);
      return;
    }
    group.forEach((p, i) => (outcomes[i].ok ? p.resolve(outcomes[i].value) : p.reject(outcomes[i].value)));
  }
}
