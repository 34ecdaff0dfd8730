// Shared command line for every workload script (bench/sts.mjs, later s3, dynamodb, sqs).
import { parseArgs } from 'node:util';
import { analyse, formatReport, saveResult } from './report.mjs';
import { DEFAULT_OPTIONS, runComparison } from './runner.mjs';

const USAGE = `options:
  --duration S      measured load window in seconds (default ${DEFAULT_OPTIONS.durationS})
  --warmup S        unmeasured load before it (default ${DEFAULT_OPTIONS.warmupS})
  --connections N   load connections (default ${DEFAULT_OPTIONS.connections})
  --threads N       wrk threads (default ${DEFAULT_OPTIONS.threads})
  --c1-count N      sequential requests at concurrency 1 (default ${DEFAULT_OPTIONS.c1Count})
  --rounds N        runs of each phase per target, best kept (default ${DEFAULT_OPTIONS.rounds})
  --spawns N        startup samples per target (default ${DEFAULT_OPTIONS.spawns})
  --sdk-duration S  SDK load window (default ${DEFAULT_OPTIONS.sdkDurationS}); --no-sdk skips it
  --only a,b        run only these targets
  --quick           short run for trying things out (implies --no-save)
  --no-save         print only; do not write bench/results/
  --strict          exit 1 when a goal fails (problems always exit 1)`;

/** Parses argv, runs `workload`, prints the table, saves JSON; sets the exit code. */
export async function benchMain(workload, argv = process.argv.slice(2)) {
  // The SDK warns on Node 20 on every run; it says nothing about the benchmark.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      threads: { type: 'string' },
      'c1-count': { type: 'string' },
      spawns: { type: 'string' },
      rounds: { type: 'string' },
      'sdk-duration': { type: 'string' },
      'no-sdk': { type: 'boolean' },
      only: { type: 'string' },
      quick: { type: 'boolean' },
      'no-save': { type: 'boolean' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(`usage: node bench/${workload.name}.mjs [options]\n${USAGE}`);
    return;
  }
  // Bounded in count and time whatever the flags say.
  const bounded = (value, fallback, min, max) => (value === undefined ? fallback : Math.min(max, Math.max(min, Number(value) || fallback)));
  const quick = values.quick ? { durationS: 2, warmupS: 1, c1Count: 1000, c1Warmup: 200, spawns: 3, rounds: 1, sdkDurationS: 1 } : {};
  const options = {
    ...quick,
    durationS: Math.round(bounded(values.duration, quick.durationS ?? DEFAULT_OPTIONS.durationS, 1, 60)),
    warmupS: Math.round(bounded(values.warmup, quick.warmupS ?? DEFAULT_OPTIONS.warmupS, 0, 30)),
    connections: Math.round(bounded(values.connections, DEFAULT_OPTIONS.connections, 1, 1024)),
    threads: Math.round(bounded(values.threads, DEFAULT_OPTIONS.threads, 1, 16)),
    c1Count: Math.round(bounded(values['c1-count'], quick.c1Count ?? DEFAULT_OPTIONS.c1Count, 10, 100_000)),
    spawns: Math.round(bounded(values.spawns, quick.spawns ?? DEFAULT_OPTIONS.spawns, 1, 20)),
    rounds: Math.round(bounded(values.rounds, quick.rounds ?? DEFAULT_OPTIONS.rounds, 1, 5)),
    sdkDurationS: bounded(values['sdk-duration'], quick.sdkDurationS ?? DEFAULT_OPTIONS.sdkDurationS, 0.5, 60),
    sdk: !values['no-sdk'],
    only: values.only?.split(',').map((s) => s.trim()),
  };

  const started = performance.now();
  const result = analyse(await runComparison(workload, options, (line) => console.error(`[bench] ${line}`)));
  result.elapsedS = (performance.now() - started) / 1000;
  console.log(`\n${formatReport(result)}\n`);
  if (!values.quick && !values['no-save']) console.log(`saved ${saveResult(result)}`);
  const goalFailed = Object.values(result.goals).flat().some((g) => g.pass === false);
  if (result.problems.length > 0 || (values.strict && goalFailed)) process.exitCode = 1;
}
