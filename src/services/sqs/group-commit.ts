/**
 * Group commit: writes that arrive in the same turn of the event loop (the sends of
 * many connections under load) run in one SQLite transaction, each in a savepoint of
 * its own, and their callers are answered once that transaction has committed. An
 * acknowledged write is still committed before its answer; the commit's cost (the WAL
 * write) is paid once per group instead of once per request.
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
   */
  constructor(private readonly transaction: <T>(fn: () => T) => T) {}

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
    const outcomes: Array<{ ok: boolean; value: unknown }> = [];
    try {
      this.transaction(() => {
        for (const p of group) {
          try {
            // A savepoint per write: one that throws is rolled back alone.
            outcomes.push({ ok: true, value: this.transaction(p.work) });
          } catch (e) {
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
