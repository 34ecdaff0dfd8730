// Server processes under test: spawn on a free 127.0.0.1 port, time spawn -> first
// answered request, read CPU time and RSS from /proc, stop.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { sendOnce } from './http.mjs';

/** The only host benchmarks talk to. */
export const HOST = '127.0.0.1';

let ticksPerSecond;
/** Clock ticks per second of /proc/<pid>/stat CPU times (`getconf CLK_TCK`). */
export function clockTicksPerSecond() {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Reads `/proc/<pid>/stat`: parent pid and utime+stime in clock ticks; undefined if gone. */
function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is parenthesised and may contain spaces: split after it.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); ppid is field 4, utime 14, stime 15.
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** Reads VmRSS of one process in kB (0 if gone). */
function readRssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The pid and its live descendants (a launcher such as tsx may run the server as a child). */
function processTree(rootPid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(name);
    if (!stat) continue;
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push(Number(name));
  }
  const tree = [];
  const queue = [rootPid];
  while (queue.length > 0 && tree.length < 1000) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU time (user+system, in µs) and RSS (in kB) summed over a process and its descendants. */
export function sampleProcess(rootPid) {
  let ticks = 0;
  let rssKb = 0;
  for (const pid of processTree(rootPid)) {
    ticks += readStat(pid)?.ticks ?? 0;
    rssKb += readRssKb(pid);
  }
  return { cpuMicros: (ticks * 1e6) / clockTicksPerSecond(), rssKb, at: performance.now() };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The aggregate `cpu` line of /proc/stat: total and idle (idle+iowait) and steal jiffies. */
function readCpuTotals() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

/** Fractions of all CPUs busy and stolen (by the hypervisor) over the next `ms`. */
export async function machineBusy(ms) {
  const a = readCpuTotals();
  await sleep(ms);
  const b = readCpuTotals();
  const total = b.total - a.total || 1;
  return { busy: 1 - (b.idle - a.idle) / total, steal: (b.steal - a.steal) / total };
}

// Servers still running, killed if the bench itself exits or is interrupted. Each runs
// in its own process group (detached) so a launcher's children go with it.
const live = new Set();
const killGroup = (pid, signal) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
};
process.on('exit', () => {
  for (const pid of live) killGroup(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(130));
}

/**
 * Spawns `target.command(port)` ({cmd, args, env?, cwd?}) on a free port and polls
 * `target.ready` (a raw request) until it answers 2xx. Returns the running server with
 * `startupMs` = spawn -> first successful response.
 */
export async function startServer(target, { timeoutMs = 15000, pollMs = 2 } = {}) {
  const port = await freePort();
  const { cmd, args, env, cwd } = target.command(port);
  const output = [];
  const started = performance.now();
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child.pid);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    live.delete(child.pid);
  });
  const tail = () => output.join('').slice(-1500);
  const server = { name: target.name, port, host: HOST, pid: child.pid, child, output, outputBytes: 0 };
  // Keep the start of the output for error messages; count the rest (per-request logging shows here).
  const keep = (chunk) => {
    server.outputBytes += chunk.length;
    if (output.length < 200) output.push(chunk.toString());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const ready = { ...target.ready, headers: { host: `${HOST}:${port}`, ...target.ready.headers } };
  const deadline = started + timeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(`${target.name} exited (${JSON.stringify(exited)}) before answering:\n${tail()}`);
    }
    if (performance.now() > deadline) {
      await stopServer(server);
      throw new Error(`${target.name} did not answer within ${timeoutMs} ms:\n${tail()}`);
    }
    try {
      const res = await sendOnce(port, ready, { timeoutMs: 1000 });
      if (res.status >= 200 && res.status < 300) break;
    } catch {
      // Not listening yet.
    }
    await sleep(pollMs);
  }
  server.startupMs = performance.now() - started;
  return server;
}

/** Stops a server's process group (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
export async function stopServer(server, { graceMs = 3000 } = {}) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
