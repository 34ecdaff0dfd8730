/**
 * A small logger: text or JSON lines to stderr/stdout, written in batches so that
 * a request log line costs one array push on the hot path.
 */

/** Levels in increasing severity; 'off' silences everything. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };
const LABEL: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR', off: 'OFF  ' };

/** The logging interface services and the gateway use. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** The one line per request: service, operation, status, milliseconds (info level). */
  request(service: string, operation: string, status: number, ms: number, extra?: Record<string, unknown>): void;
  /** Whether messages at this level are written. */
  enabled(level: LogLevel): boolean;
  /** Writes what is buffered now. */
  flush(): void;
}

/** Options for createLogger. */
export interface LoggerOptions {
  level?: LogLevel;
  json?: boolean;
  /** Where lines go; default process.stdout. */
  write?: (text: string) => void;
  /** Milliseconds a line may wait to be written with others (default FLUSH_MS); 0 writes after the current tick. */
  flushMs?: number;
}

/** How long a log line may wait for company before it is written (default). */
export const FLUSH_MS = 50;

let stampMs = 0;
let stampText = '';
/** The ISO time of now, formatted once a millisecond (many log lines share one under load). */
function timestamp(): string {
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    stampText = new Date(now).toISOString();
  }
  return stampText;
}

/** Creates a batching logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const json = options.json ?? false;
  const flushMs = options.flushMs ?? FLUSH_MS;
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  let buffer: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (buffer.length === 0) return;
    const text = buffer.join('');
    buffer = [];
    write(text);
  };
  // Lines go out every flushMs (and every 512 lines): under load one write carries
  // hundreds of lines instead of one write per event-loop turn, which cost ~25 µs a
  // request in a pipe-to-parent setup (bench/dynamodb.mjs, info vs warn). The timer is
  // unref'd: stop() flushes what is left.
  const push = (line: string) => {
    buffer.push(line);
    if (buffer.length > 512) flush();
    else if (!scheduled) {
      scheduled = true;
      if (flushMs === 0) setImmediate(flush);
      else setTimeout(flush, flushMs).unref();
    }
  };
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    let line: string;
    if (json) {
      line = JSON.stringify({ time: timestamp(), level, msg: message, ...fields }) + '\n';
    } else {
      let rest = '';
      if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) rest += ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`;
      line = `${timestamp()} ${LABEL[level]} ${message}${rest}\n`;
    }
    push(line);
  };
  const request = (service: string, operation: string, status: number, ms: number, extra?: Record<string, unknown>) => {
    if (RANK.info < min) return;
    if (json) {
      push(JSON.stringify({ time: timestamp(), level: 'info', msg: 'request', service, operation, status, ms: Math.round(ms * 1000) / 1000, ...extra }) + '\n');
    } else {
      log('info', `${service} ${operation} ${status} ${ms.toFixed(1)}ms`, extra);
    }
  };
  return {
    request,
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    enabled: (level) => RANK[level] >= min,
    flush,
  };
}
