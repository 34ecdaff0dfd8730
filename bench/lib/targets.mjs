// Servers a workload can compare. A target is {name, command(port), ready, available(),
// checkGoals?}: `command` says how to spawn it on a port of 127.0.0.1, `ready` is the raw
// request whose first 2xx answer ends "startup". Peers (s3rver, dynalite, fauxqs) are
// added here the same way when their workloads arrive.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/**
 * fauxqs 1.9.2 (npm, devDependency): an in-memory SQS/SNS/S3 emulator on Fastify, the
 * SQS peer. Started through its API with request logging off, as nimbus runs in the
 * bench (its CLI always logs each request). Queue URLs are
 * `http://sqs.<region>.<Host header>/<account>/<name>`.
 */
export function fauxqsTarget() {
  const app = join(REPO_DIR, 'node_modules', 'fauxqs', 'dist', 'app.js');
  const start = `const { startFauxqs } = await import(${JSON.stringify(pathToFileURL(app).href)}); await startFauxqs({ logger: false, port: Number(process.env.FAUXQS_PORT) });`;
  return {
    name: 'fauxqs',
    available: () => (existsSync(app) ? true : 'fauxqs is not installed (npm install)'),
    command: (port) => ({
      cmd: process.execPath,
      args: ['--input-type=module', '-e', start],
      env: { FAUXQS_PORT: String(port) },
    }),
    ready: { method: 'GET', path: '/health', headers: {} },
  };
}

/**
 * dynalite 4 (npm, devDependency): DynamoDB on LevelDB's API, in memory by default
 * (memory-level), the DynamoDB peer. Its CLI with table creation and deletion made
 * instant (`--createTableMs 0 --deleteTableMs 0`, default 500 ms each) so the bench's
 * setup does not wait; it logs nothing per request.
 */
export function dynaliteTarget() {
  const cli = join(REPO_DIR, 'node_modules', 'dynalite', 'cli.js');
  return {
    name: 'dynalite',
    available: () => (existsSync(cli) ? true : 'dynalite is not installed (npm install)'),
    command: (port) => ({
      cmd: process.execPath,
      args: [cli, '--port', String(port), '--host', '127.0.0.1', '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'],
    }),
    // ListTables; dynalite wants an Authorization header and X-Amz-Date but checks no signature.
    ready: {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'x-amz-date': '20260101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    },
  };
}

/**
 * s3rver 3.7.1 (npm, devDependency): S3 on Koa storing objects as files, the S3 peer.
 * Its data directory is a fresh directory on /dev/shm (tmpfs) when there is one, as
 * close to nimbus's --ephemeral as it goes; `-s` turns its request log off. It checks
 * SigV4 signatures against its one account, S3RVER / S3RVER.
 */
export function s3rverTarget() {
  const cli = join(REPO_DIR, 'node_modules', 's3rver', 'bin', 's3rver.js');
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return {
    name: 's3rver',
    available: () => (existsSync(cli) ? true : 's3rver is not installed (npm install)'),
    command: (port) => ({
      cmd: process.execPath,
      args: [cli, '-d', mkdtempSync(join(base, 'nimbus-bench-s3rver-')), '-a', '127.0.0.1', '-p', String(port), '-s'],
    }),
    // ListBuckets; s3rver answers anonymous requests.
    ready: { method: 'GET', path: '/', headers: {} },
  };
}

/**
 * Nimbus persisting to a new temporary data directory per spawn (removed when the
 * bench exits): the issues' figures are "while persisting". `logLevel` lowers the
 * request log (a peer that logs nothing should be met on equal terms).
 */
export function persistentNimbus({ logLevel } = {}) {
  const base = nimbusTarget();
  const dirs = [];
  process.once('exit', () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return {
    ...base,
    notes: () => [...(base.notes?.() ?? []), 'persisting to a temporary --data-dir (not --ephemeral)', ...(logLevel ? [`--log-level ${logLevel}`] : [])],
    command: (port) => {
      const c = base.command(port);
      const dir = mkdtempSync(join(tmpdir(), 'nimbus-bench-'));
      dirs.push(dir);
      return { ...c, args: [...c.args.filter((a) => a !== '--ephemeral'), '--data-dir', dir, ...(logLevel ? ['--log-level', logLevel] : [])] };
    },
  };
}
