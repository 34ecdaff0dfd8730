// Turns a runComparison() result into ratios against the baseline, goal checks, a
// plain-text table and a JSON file under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = join(dirname(dirname(fileURLToPath(import.meta.url))), 'results');
const METRICS = ['opsPerSec', 'p50Ms', 'p99Ms', 'serverCpuMicrosPerRequest'];

/** The project's performance goals, checked for targets marked `checkGoals` (nimbus). */
export const GOALS = [
  {
    text: 'startup ≤ 300 ms (median of spawns)',
    check: (t) => t.startup && { value: `${t.startup.medianMs.toFixed(0)} ms`, pass: t.startup.medianMs <= 300 },
  },
  {
    text: 'idle RSS ≤ 100 MB',
    check: (t) => t.idleRssKb !== undefined && { value: `${(t.idleRssKb / 1024).toFixed(1)} MB`, pass: t.idleRssKb / 1024 <= 100 },
  },
  {
    text: 'server CPU/request ≤ 3x baseline (throughput)',
    check: (t, base) => {
      const mine = t.phases?.throughput?.serverCpuMicrosPerRequest;
      const theirs = base?.phases?.throughput?.serverCpuMicrosPerRequest;
      if (!(mine > 0 && theirs > 0)) return undefined;
      return { value: `${(mine / theirs).toFixed(2)}x (${mine.toFixed(1)} vs ${theirs.toFixed(1)} µs)`, pass: mine / theirs <= 3 };
    },
  },
  {
    text: 'p50 at concurrency 1 ≤ baseline + 0.3 ms',
    check: (t, base) => {
      const mine = t.phases?.latency?.p50Ms;
      const theirs = base?.phases?.latency?.p50Ms;
      if (!(mine > 0 && theirs > 0)) return undefined;
      return { value: `${mine >= theirs ? '+' : ''}${(mine - theirs).toFixed(3)} ms (${mine.toFixed(3)} vs ${theirs.toFixed(3)} ms)`, pass: mine - theirs <= 0.3 };
    },
  },
];

/** Adds `ratios` (target/baseline per phase and metric) and `goals` to the result, in place. */
export function analyse(result) {
  const base = result.targets[result.baseline];
  result.ratios = {};
  result.goals = {};
  for (const [name, target] of Object.entries(result.targets)) {
    if (name === result.baseline) continue;
    if (base) {
      result.ratios[name] = {};
      for (const [phase, measured] of Object.entries(target.phases)) {
        const reference = base.phases[phase];
        if (!reference) continue;
        result.ratios[name][phase] = Object.fromEntries(METRICS.map((m) => [m, measured[m] / reference[m]]));
      }
    }
    if (target.checkGoals) {
      result.goals[name] = GOALS.map((goal) => {
        const outcome = goal.check(target, base);
        return outcome ? { goal: goal.text, ...outcome } : { goal: goal.text, value: 'not measured', pass: null };
      });
    }
  }
  return result;
}

const pad = (value, width, left = false) => (left ? String(value).padEnd(width) : String(value).padStart(width));
const num = (value, digits) => (Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-');
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : '-');

/** The plain-text report of an analysed result. */
export function formatReport(result) {
  const env = result.environment;
  const lines = [
    `${result.title}: ${result.date}`,
    `node ${env.node}, ${env.cpus} x ${env.cpuModel}, load ${env.loadAverage.join(' ')}, busy before start ${(env.busyBeforeStart.busy * 100).toFixed(0)}% (steal ${(env.busyBeforeStart.steal * 100).toFixed(0)}%), ${env.loadTool}, git ${env.gitCommit ?? '-'}`,
    '',
    [pad('phase', 11, true), pad('load', 22, true), pad('target', 8, true), pad('ops/s', 10), pad('p50 ms', 9), pad('p99 ms', 9), pad('cpu µs/req', 11), pad('cpu cores', 10), pad('client cores', 13), pad('errors', 7)].join(' '),
  ];
  const phaseNames = [...new Set(Object.values(result.targets).flatMap((t) => Object.keys(t.phases)))];
  for (const phase of phaseNames) {
    let first = true;
    for (const [name, target] of Object.entries(result.targets)) {
      const m = target.phases[phase];
      if (!m) continue;
      lines.push(
        [
          pad(first ? phase : '', 11, true),
          pad(first ? m.label : '', 22, true),
          pad(name, 8, true),
          pad(num(m.opsPerSec, 0), 10),
          pad(num(m.p50Ms, 3), 9),
          pad(num(m.p99Ms, 3), 9),
          pad(num(m.serverCpuMicrosPerRequest, 1), 11),
          pad(num(m.serverCpuCores, 2), 10),
          pad(num(m.clientCpuCores, 2), 13),
          pad(m.errors, 7),
        ].join(' '),
      );
      first = false;
    }
    for (const [name, ratios] of Object.entries(result.ratios)) {
      const r = ratios[phase];
      if (!r) continue;
      const label = `${name}/${result.baseline}`;
      lines.push([pad('', 11), pad('', 22), pad(label, 8, true), pad(ratio(r.opsPerSec), 10), pad(ratio(r.p50Ms), 9), pad(ratio(r.p99Ms), 9), pad(ratio(r.serverCpuMicrosPerRequest), 11)].join(' '));
    }
  }

  lines.push('', [pad('target', 8, true), pad('startup ms', 11), pad('first req ms', 13), pad('idle RSS MB', 12), pad('loaded RSS MB', 14), pad('output KB', 10), '  startup samples ms'].join(' '));
  for (const [name, t] of Object.entries(result.targets)) {
    lines.push(
      [
        pad(name, 8, true),
        pad(num(t.startup?.medianMs, 0), 11),
        pad(num(t.startup?.firstRequestMedianMs, 1), 13),
        pad(num(t.idleRssKb / 1024, 1), 12),
        pad(num(t.loadedRssKb / 1024, 1), 14),
        pad(num(t.outputBytes / 1024, 1), 10),
        `  ${(t.startup?.samplesMs ?? []).map((ms) => ms.toFixed(0)).join(' ')}`,
      ].join(' '),
    );
  }

  for (const [name, goals] of Object.entries(result.goals)) {
    lines.push('', `goals (${name})`);
    for (const g of goals) lines.push(`  ${g.pass === null ? 'n/a ' : g.pass ? 'PASS' : 'FAIL'}  ${pad(g.goal, 46, true)} ${g.value}`);
  }
  for (const [name, why] of Object.entries(result.skipped)) lines.push('', `skipped ${name}: ${why}`);
  if (result.notes.length > 0) lines.push('', 'notes:', ...result.notes.map((n) => `  - ${n}`));
  if (result.problems.length > 0) lines.push('', 'problems:', ...result.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}

/** Writes the result as bench/results/<workload>-<YYYY-MM-DD>.json; returns the path. */
export function saveResult(result, dir = RESULTS_DIR) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${result.workload}-${result.date.slice(0, 10)}.json`);
  writeFileSync(path, `${JSON.stringify(result, (key, value) => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(4)) : value), 2)}\n`);
  return path;
}
