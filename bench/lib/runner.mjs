// Runs one workload against all its targets side by side: startup (several spawns),
// idle RSS, then each phase for each target in turn, sampling the server's CPU time
// around exactly the measured window, then RSS after load.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSequential, sendOnce } from './http.mjs';
import { findWrk, runLoad } from './load.mjs';
import { clockTicksPerSecond, machineBusy, sampleProcess, startServer, stopServer } from './proc.mjs';
import { runSdkLoad } from './sdk.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const timed = async (fn) => {
  const t0 = performance.now();
  await fn();
  return Math.round(performance.now() - t0);
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** Default knobs; the CLI overrides them. Every loop below is bounded by these. */
export const DEFAULT_OPTIONS = {
  spawns: 5, // startup samples per target
  rounds: 2, // each phase runs this many times per target, alternating targets; the best round is kept
  settleMs: 500, // wait after ready before reading idle RSS
  connections: 64,
  threads: 2,
  durationS: 5, // measured load window
  warmupS: 1,
  c1Count: 5000, // sequential requests at concurrency 1
  c1Warmup: 500,
  c1MaxMs: 10000,
  sdkConcurrency: 16,
  sdkDurationS: 3,
  sdkWarmupS: 1, // the SDK's own code needs JIT warm-up, or the first target pays for it
  sdk: true,
  only: undefined, // target names to run, default all
};

/** The measured phases, in run order (`best`: which figure picks the best round); each returns {tool, requests, errors, durationS, opsPerSec, p50Ms, p99Ms}. */
function phases(workload, o) {
  const list = [
    {
      name: 'throughput',
      label: `c${o.connections} ${findWrk() ? 'wrk' : 'autocannon'} ${o.durationS}s`,
      run: (server, requests, hooks) =>
        runLoad(server.port, requests, { connections: o.connections, threads: o.threads, durationS: o.durationS, warmupS: o.warmupS, ...hooks }),
    },
    {
      name: 'latency',
      best: 'p50',
      label: `c1 node:http x${o.c1Count}`,
      run: (server, requests, hooks) =>
        runSequential(server.port, requests, { count: o.c1Count, warmup: o.c1Warmup, maxMs: o.c1MaxMs, ...hooks }),
    },
  ];
  if (o.sdk && workload.sdk) {
    list.push({
      name: 'sdk',
      label: `c${o.sdkConcurrency} SDK v3 ${o.sdkDurationS}s`,
      run: async (server, _requests, hooks) => {
        const client = workload.sdk(`http://${server.host}:${server.port}`);
        try {
          return await runSdkLoad(client.call, {
            concurrency: o.sdkConcurrency,
            durationS: o.sdkDurationS,
            warmupS: o.sdkWarmupS,
            ...hooks,
          });
        } finally {
          client.close();
        }
      },
    });
  }
  return list;
}

/** Runs one phase against one server, adding the server's CPU time over the measured window. */
async function measurePhase(phase, server) {
  let before;
  let after;
  const hooks = { onStart: () => (before = sampleProcess(server.pid)), onEnd: () => (after = sampleProcess(server.pid)) };
  const measured = await phase.run(server, server.requests, hooks);
  const cpuMicros = after.cpuMicros - before.cpuMicros;
  return {
    label: phase.label,
    ...measured,
    serverCpuMicrosPerRequest: measured.requests > 0 ? cpuMicros / measured.requests : NaN,
    serverCpuCores: cpuMicros / ((after.at - before.at) * 1000),
  };
}

/**
 * Keeps the best round of a phase (highest ops/s, or lowest p50 for the latency phase):
 * on a shared machine the best round is the one least disturbed by other work. Every
 * round's figure stays in `rounds` so the spread is visible.
 */
function keepBest(phasesByName, phase, measured) {
  const previous = phasesByName[phase.name];
  const figure = (m) => (phase.best === 'p50' ? m.p50Ms : m.opsPerSec);
  const rounds = [...(previous?.rounds ?? []), figure(measured)];
  const better = !previous || (phase.best === 'p50' ? figure(measured) < figure(previous) : figure(measured) > figure(previous));
  phasesByName[phase.name] = { ...(better ? measured : previous), rounds };
}

/** Spawns the target `spawns` times: spawn -> ready, then the cold first workload request. */
async function measureStartup(workload, target, spawns) {
  const startupMs = [];
  const firstRequestMs = [];
  for (let i = 0; i < spawns; i++) {
    const server = await startServer(target);
    try {
      startupMs.push(server.startupMs);
      const t0 = performance.now();
      await sendOnce(server.port, workload.requests(server)[0]);
      firstRequestMs.push(performance.now() - t0);
    } finally {
      await stopServer(server);
    }
  }
  return { medianMs: median(startupMs), samplesMs: startupMs, firstRequestMedianMs: median(firstRequestMs) };
}

/** Facts about the machine and tools, saved with results so runs can be compared fairly. */
export function environment() {
  const tryRun = (cmd, args) => {
    try {
      // In the bench's own folder, so git describes this repository wherever the run started.
      return execFileSync(cmd, args, { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0];
    } catch (err) {
      // `wrk --version` prints its banner and exits 1.
      return err.stdout?.toString().trim().split('\n')[0] || undefined;
    }
  };
  const wrk = findWrk();
  const commit = tryRun('git', ['rev-parse', '--short', 'HEAD']);
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    clockTicksPerSecond: clockTicksPerSecond(),
    loadTool: wrk ? tryRun(wrk, ['--version'])?.replace(/ \[.*$/, '') : 'autocannon (no wrk)',
    // "+dirty" when the working tree has uncommitted changes: the figures are not for that commit alone.
    gitCommit: commit && `${commit}${tryRun('git', ['status', '--porcelain']) ? '+dirty' : ''}`,
  };
}

/**
 * Runs `workload` ({name, title, baseline, targets, requests(server), check(res), sdk?, setup?(server, target)})
 * with `options` (see DEFAULT_OPTIONS); `log` gets progress lines. Returns the result
 * object that report.mjs prints and saves; `problems` lists anything that went wrong.
 */
export async function runComparison(workload, options = {}, log = () => {}) {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const result = {
    workload: workload.name,
    title: workload.title,
    baseline: workload.baseline,
    date: new Date().toISOString(),
    environment: environment(),
    options: o,
    skipped: {},
    notes: [],
    problems: [],
    targets: {},
  };
  // Other work on the machine skews every figure: say how busy it was before we began.
  result.environment.busyBeforeStart = await machineBusy(1000);
  if (result.environment.busyBeforeStart.busy > 0.15) {
    const pct = (result.environment.busyBeforeStart.busy * 100).toFixed(0);
    result.notes.push(`the machine was ${pct}% busy before the run began: figures are noisy, compare ratios and re-run`);
  }
  const wanted = workload.targets.filter((t) => !o.only || o.only.includes(t.name));
  const live = [];
  for (const target of wanted) {
    const available = target.available();
    if (available === true) {
      live.push(target);
      result.notes.push(...(target.notes?.() ?? []).map((note) => `${target.name}: ${note}`));
    } else {
      result.skipped[target.name] = available;
      log(`skip ${target.name}: ${available}`);
    }
  }

  for (const target of live) {
    log(`startup ${target.name} (${o.spawns} spawns)`);
    try {
      result.targets[target.name] = { checkGoals: Boolean(target.checkGoals), startup: await measureStartup(workload, target, o.spawns), phases: {} };
    } catch (err) {
      result.problems.push(`${target.name}: startup failed: ${err.message}`);
    }
  }

  const running = [];
  try {
    for (const target of live) {
      const entry = result.targets[target.name];
      if (!entry) continue;
      let server;
      const failures = [];
      try {
        server = await startServer(target);
        running.push(server);
        await sleep(o.settleMs);
        entry.idleRssKb = sampleProcess(server.pid).rssKb;
        // Data the requests need (tables, items), created before any measured phase.
        if (workload.setup) entry.setupMs = await timed(() => workload.setup(server, target));
        server.requests = workload.requests(server);
        for (const request of server.requests) {
          const why = workload.check(await sendOnce(server.port, request));
          if (why) failures.push(why);
        }
      } catch (err) {
        failures.push(err.message);
      }
      if (failures.length > 0) {
        result.problems.push(`${target.name}: not measured: ${failures[0]}`);
        entry.wrongResponse = failures[0];
        continue;
      }
      server.entry = entry;
    }

    const measurable = running.filter((s) => s.entry);
    for (let round = 1; round <= o.rounds; round++) {
      for (const phase of phases(workload, o)) {
        for (const server of measurable) {
          log(`round ${round}/${o.rounds}: ${phase.name} ${server.name} (${phase.label})`);
          try {
            const measured = await measurePhase(phase, server);
            keepBest(server.entry.phases, phase, measured);
            if (measured.errors > 0) {
              result.problems.push(`${server.name} ${phase.name}: ${measured.errors} errors${measured.firstError ? ` (${measured.firstError})` : ''}`);
            }
          } catch (err) {
            result.problems.push(`${server.name} ${phase.name}: ${err.message}`);
          }
        }
      }
    }

    for (const server of running) {
      if (!server.entry) continue;
      server.entry.loadedRssKb = sampleProcess(server.pid).rssKb;
      // What the server printed while under load: per-request logging would show here.
      server.entry.outputBytes = server.outputBytes;
    }
  } catch (err) {
    result.problems.push(err.message);
  } finally {
    for (const server of running) await stopServer(server);
  }
  return result;
}
