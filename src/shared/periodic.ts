/** A background job on a timer: the shared loop of the services' sweepers. */
import type { Logger } from './logger.js';

/** A job that runs every so often once started. */
export interface Periodic {
  /** Starts the timer (unref'd: it never keeps the process alive); a second start does nothing. */
  start(): void;
  stop(): void;
}

export interface PeriodicOptions {
  /** Asked before each run; once it answers false (the store closed) the timer stops. */
  alive: () => boolean;
  logger: Logger;
  /** The log line when a run throws; the timer keeps going. */
  failure: string;
}

/** Runs `run` every `intervalMs` milliseconds while `alive()`, logging what it throws. */
export function periodic(intervalMs: number, run: () => void, options: PeriodicOptions): Periodic {
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const tick = (): void => {
    if (!options.alive()) {
      stop();
      return;
    }
    try {
      run();
    } catch (e) {
      options.logger.error(options.failure, { error: String(e) });
    }
  };
  return {
    start() {
      timer ??= setInterval(tick, intervalMs);
      timer.unref();
    },
    stop,
  };
}
