// Servers a workload can compare. A target is {name, command(port), ready, available(),
// checkGoals?}: `command` says how to spawn it on a port of 127.0.0.1, `ready` is the raw
// request whose first 2xx answer ends "startup". Peers (s3rver, dynalite, fauxqs) are
// added here the same way when their workloads arrive.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const REPO_DIR = dirname(BENCH_DIR);
const NIMBUS_BIN = join(REPO_DIR, 'bin', 'nimbus.js');
const FLOOR = join(BENCH_DIR, 'floor.mjs');

/** Newest mtime (ms) of files under `dir` ending with `suffix` (tests aside, they are not built); 0 when none. */
function newestMtime(dir, suffix) {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true })) {
    if (entry.endsWith(suffix) && !entry.endsWith(`.test${suffix}`)) newest = Math.max(newest, statSync(join(dir, entry)).mtimeMs);
  }
  return newest;
}

/**
 * Nimbus itself, in memory; the project's goals are checked against it. It runs as
 * users run it, `bin/nimbus.js` over dist/. NIMBUS_BENCH_ENTRY names another entry
 * point (relative to the repo): a .js file runs under node, a .ts file through tsx
 * (`src/cli/main.ts` needs no build, but its startup then includes transpiling).
 */
export function nimbusTarget() {
  const entry = process.env.NIMBUS_BENCH_ENTRY ? resolve(REPO_DIR, process.env.NIMBUS_BENCH_ENTRY) : NIMBUS_BIN;
  const viaTsx = entry.endsWith('.ts');
  return {
    name: 'nimbus',
    checkGoals: true,
    available: () => (existsSync(entry) ? true : `${entry} does not exist yet`),
    notes: () => {
      if (viaTsx) return [`ran ${entry} through tsx: startup and RSS include transpiling`];
      if (entry !== NIMBUS_BIN) return [`ran ${entry}`];
      // bin/nimbus.js runs dist/: measuring an old build would mislead quietly.
      const dist = join(REPO_DIR, 'dist');
      if (!existsSync(dist)) return ['dist/ is missing: run `npm run build` first'];
      const stale = newestMtime(join(REPO_DIR, 'src'), '.ts') > newestMtime(dist, '.js');
      return stale ? ['src/ is newer than dist/: the figures are for an old build (run `npm run build`)'] : [];
    },
    command: (port) => ({
      cmd: process.execPath,
      cwd: REPO_DIR, // where `--import tsx` resolves
      args: [...(viaTsx ? ['--import', 'tsx'] : []), entry, 'start', '--port', String(port), '--host', '127.0.0.1', '--ephemeral'],
    }),
    ready: { method: 'GET', path: '/_nimbus/health', headers: {} },
  };
}

/** The bare node:http floor answering every request with the canned response `canned`. */
export function floorTarget(canned) {
  return {
    name: 'floor',
    available: () => true,
    command: (port) => ({
      cmd: process.execPath,
      args: [FLOOR, '--port', String(port), '--host', '127.0.0.1', '--canned', canned],
    }),
    ready: { method: 'GET', path: '/', headers: {} },
  };
}
