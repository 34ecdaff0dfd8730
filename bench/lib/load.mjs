// Throughput load: replays prepared raw requests over many keep-alive connections.
// wrk (C, epoll) is the generator so the client costs little next to the server;
// autocannon (in-process JS, client-bound sooner) is the fallback when wrk is missing.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WRK_CANDIDATES = ['/usr/bin/wrk', '/usr/local/bin/wrk'];

/** Path of the wrk binary, or undefined when none is installed (or NIMBUS_BENCH_LOAD=autocannon). */
export function findWrk() {
  if (process.env.NIMBUS_BENCH_LOAD === 'autocannon') return undefined;
  for (const path of WRK_CANDIDATES) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** A Lua string literal holding these exact bytes (non-printables as 3-digit escapes). */
function luaString(value) {
  let out = '"';
  for (const byte of Buffer.from(value ?? '')) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c;
    out += printable ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** Lua table of headers for wrk.format: wrk adds Host unless `Host` is set, and Content-Length itself. */
function luaHeaders(headers) {
  const entries = Object.entries(headers)
    .filter(([name]) => name.toLowerCase() !== 'content-length')
    .map(([name, value]) => `[${luaString(name.toLowerCase() === 'host' ? 'Host' : name)}] = ${luaString(String(value))}`);
  return `{ ${entries.join(', ')} }`;
}

/** The wrk script: one request is set statically (wrk pre-builds it); several rotate per connection thread. */
export function wrkScript(requests) {
  const lines = [];
  if (requests.length === 1) {
    const [r] = requests;
    lines.push(`wrk.method = ${luaString(r.method)}`, `wrk.path = ${luaString(r.path)}`);
    lines.push(`wrk.headers = ${luaHeaders(r.headers)}`);
    if (r.body !== undefined && r.body.length > 0) lines.push(`wrk.body = ${luaString(r.body)}`);
  } else {
    lines.push('local specs = {');
    for (const r of requests) {
      const body = r.body !== undefined && r.body.length > 0 ? luaString(r.body) : 'nil';
      lines.push(`  { ${luaString(r.method)}, ${luaString(r.path)}, ${luaHeaders(r.headers)}, ${body} },`);
    }
    lines.push(
      '}',
      'local prepared = {}',
      'local idx = 0',
      'init = function(args)',
      '  for i, s in ipairs(specs) do prepared[i] = wrk.format(s[1], s[2], s[3], s[4]) end',
      'end',
      'request = function()',
      '  idx = idx % #prepared + 1',
      '  return prepared[idx]',
      'end',
    );
  }
  // done() prints one machine-readable line; latencies are in µs.
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("NIMBUS_BENCH {\\"requests\\":%d,\\"durationUs\\":%d,\\"connectErrors\\":%d,' +
      '\\"readErrors\\":%d,\\"writeErrors\\":%d,\\"timeouts\\":%d,\\"statusErrors\\":%d,' +
      '\\"p50Us\\":%d,\\"p99Us\\":%d,\\"meanUs\\":%.1f}\\n",',
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,',
    '    latency:percentile(50), latency:percentile(99), latency.mean))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

/** Runs wrk once against 127.0.0.1:port; resolves the parsed done() summary. */
async function runWrk(wrk, port, requests, { connections, threads, durationS }) {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-bench-'));
  try {
    const script = join(dir, 'load.lua');
    writeFileSync(script, wrkScript(requests));
    const args = [`-t${threads}`, `-c${connections}`, `-d${durationS}s`, '--timeout', '5s', '-s', script];
    const { stdout } = await run(wrk, [...args, `http://127.0.0.1:${port}${requests[0].path}`], {
      timeout: (durationS + 30) * 1000,
    });
    const line = stdout.split('\n').find((l) => l.startsWith('NIMBUS_BENCH '));
    if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
    const s = JSON.parse(line.slice('NIMBUS_BENCH '.length));
    const errors = s.connectErrors + s.readErrors + s.writeErrors + s.timeouts + s.statusErrors;
    return {
      tool: 'wrk',
      requests: s.requests,
      errors,
      durationS: s.durationUs / 1e6,
      opsPerSec: s.requests / (s.durationUs / 1e6),
      p50Ms: s.p50Us / 1000,
      p99Ms: s.p99Us / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs autocannon in this process (the fallback); same result shape as wrk's. */
async function runAutocannon(port, requests, { connections, durationS }) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: durationS,
    // autocannon sets Host from the url; a second one would make a malformed request.
    requests: requests.map(({ method, path, headers, body }) => ({
      method,
      path,
      body,
      headers: Object.fromEntries(Object.entries(headers).filter(([n]) => !['host', 'content-length'].includes(n.toLowerCase()))),
    })),
  });
  return {
    tool: 'autocannon',
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    durationS: result.duration,
    opsPerSec: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/**
 * Drives 127.0.0.1:port with the prepared requests for `durationS` seconds over
 * `connections` keep-alive connections; `onStart`/`onEnd` bracket the measured run so
 * the caller can sample server CPU around exactly that window.
 */
export async function runLoad(port, requests, { connections = 64, threads = 2, durationS = 5, warmupS = 1, onStart, onEnd } = {}) {
  const wrk = findWrk();
  const once = (seconds) =>
    wrk
      ? runWrk(wrk, port, requests, { connections, threads: Math.min(threads, connections), durationS: seconds })
      : runAutocannon(port, requests, { connections, durationS: seconds });
  if (warmupS > 0) await once(warmupS);
  onStart?.();
  const result = await once(durationS);
  onEnd?.();
  return result;
}
