/**
 * Long polling without polling loops: a ReceiveMessage that finds nothing parks here
 * until a send to its queue wakes it (one waiter per message sent), its wait time runs
 * out, or the next delayed or hidden message of the queue becomes visible.
 */

interface Waiter {
  wake(): void;
}

/** Receivers parked per queue id. */
export class Waiters {
  private readonly byQueue = new Map<number, Set<Waiter>>();

  /** Resolves when a send wakes this receiver or after `delayMs`, whichever comes first. */
  wait(queueId: number, delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.byQueue.get(queueId);
      if (!set) this.byQueue.set(queueId, (set = new Set()));
      const waiters = set;
      const waiter: Waiter = {
        wake: () => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (waiters.size === 0 && this.byQueue.get(queueId) === waiters) this.byQueue.delete(queueId);
          resolve();
        },
      };
      // Unref'd: a parked receiver never keeps a stopping process alive.
      const timer = setTimeout(waiter.wake, Math.max(0, delayMs));
      timer.unref();
      waiters.add(waiter);
    });
  }

  /** Wakes up to `n` receivers of a queue, oldest first. */
  notify(queueId: number, n: number): void {
    const set = this.byQueue.get(queueId);
    if (!set) return;
    for (const w of [...set].slice(0, n)) w.wake();
  }

  /** Wakes every receiver of a queue (the queue was deleted or purged). */
  notifyAll(queueId: number): void {
    const set = this.byQueue.get(queueId);
    if (set) for (const w of [...set]) w.wake();
  }

  /** Wakes everyone (nimbus is stopping or was reset). */
  clear(): void {
    for (const id of [...this.byQueue.keys()]) this.notifyAll(id);
  }
}
