/**
 * The command line as a user runs it: `nimbus start` in its own process (banner,
 * flags, NIMBUS_* variables, SIGTERM), `status` and `reset` against it, usage
 * errors, request log lines in JSON, and persistence: an acknowledged write
 * survives kill -9.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand, DecodeAuthorizationMessageCommand } from '@aws-sdk/client-sts';
import { clientConfig, freePort } from '../../helpers/nimbus.js';
import { SERVICE_DEFINITIONS } from '../../../src/services/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = 'src/cli/main.ts';
// A generous bound so a wedged child fails the test instead of hanging the run; nothing is timed.
const TIMEOUT = { timeout: 120_000 };
/** Every implemented service, in the order nimbus lists them. */
const SERVICES = SERVICE_DEFINITIONS.map((d) => d.name);

/** The environment without any NIMBUS_* settings of the caller's. */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NIMBUS_')) env[k] = v;
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return { ...env, ...extra };
}

interface Exit { code: number | null; signal: NodeJS.Signals | null }

/** A `nimbus start` child process and what it has written so far. */
class Running {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (s: string) => this.update(() => (this.stdout += s)));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => this.update(() => (this.stderr += s)));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of this.waiters) w();
    }));
  }

  private update(append: () => void): void {
    append();
    for (const w of this.waiters) w();
  }

  /** Resolves once `ready` holds for the output; rejects if the process exits first. */
  until(ready: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (ready()) {
          this.waiters.delete(check);
          resolve();
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          this.waiters.delete(check);
          reject(new Error(`nimbus exited (${this.child.exitCode ?? this.child.signalCode}) first; stderr:\n${this.stderr}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The startup banner, once complete. */
  async banner(): Promise<string[]> {
    await this.until(() => /\n {2}iam {8}[^\n]*\n/.test(this.stderr));
    return this.stderr.split('\n').slice(0, 7);
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

const started: Running[] = [];
after(async () => {
  // Only the processes this file started, each by its own handle.
  for (const r of started) await r.stop('SIGKILL');
});

function start(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const r = new Running(child);
  started.push(r);
  return r;
}

/** Runs a short CLI command (status, reset, --help) to its end. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: baseEnv(env), encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

function sts(endpoint: string, credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): STSClient {
  return new STSClient(clientConfig(endpoint, credentials as { accessKeyId: string; secretAccessKey: string } | undefined));
}

test('start --port --ephemeral: banner, then status and reset through the CLI, then SIGTERM exits 0', TIMEOUT, async () => {
  const port = await freePort();
  const nimbus = start(['start', '--port', String(port), '--ephemeral']);
  const banner = await nimbus.banner();
  assert.match(banner[0], /^nimbus 0\.1\.0: local AWS cloud ready in \d+ ms$/);
  assert.deepEqual(banner.slice(1), [
    `  endpoint   http://127.0.0.1:${port}`,
    '  region     us-east-1',
    '  account    000000000000 (access key test, secret test)',
    '  data       ephemeral (in memory)',
    `  services   ${SERVICES.join(', ')}`,
    '  iam        not enforced',
  ]);

  const status = await cli(['status', '--port', String(port)]);
  assert.equal(status.code, 0, status.stderr);
  const health = JSON.parse(status.stdout) as Record<string, unknown>;
  assert.equal(typeof health.uptime, 'number');
  assert.deepEqual({ ...health, uptime: 0 }, {
    version: '0.1.0', edition: 'nimbus', uptime: 0, services: Object.fromEntries(SERVICES.map((s) => [s, 'running'])), unimplementedCalls: {}, persistence: 'ephemeral',
  });
  assert.equal(status.stdout, JSON.stringify(health, null, 2) + '\n', 'pretty-printed');

  const endpoint = `http://127.0.0.1:${port}`;
  const out = await sts(endpoint).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/Cli', RoleSessionName: 'before-reset' }));
  const c = out.Credentials!;
  const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  assert.equal((await sts(endpoint, creds).send(new GetCallerIdentityCommand({}))).Account, '123456789012');

  const reset = await cli(['reset', '--port', String(port)]);
  assert.equal(reset.code, 0, reset.stderr);
  assert.equal(reset.stdout, '{\n  "reset": true\n}\n');
  // The issued key is forgotten: unchecked unknown keys are the default account's root.
  assert.equal((await sts(endpoint, creds).send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');

  const exit = await nimbus.stop('SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(nimbus.stderr.endsWith('nimbus: SIGTERM, stopping\n'), nimbus.stderr);

  const gone = await cli(['status', '--port', String(port)]);
  assert.equal(gone.code, 1);
  assert.equal(gone.stdout, '');
  assert.equal(gone.stderr, `nimbus is not running at http://127.0.0.1:${port}\n`);
});

test('--help and -h print usage naming every command and variable, exit 0', TIMEOUT, async () => {
  for (const flag of ['--help', '-h']) {
    const r = await cli([flag]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.startsWith('nimbus 0.1.0: a local AWS cloud\n\nUsage:\n  nimbus start [--port 4566] [--host 127.0.0.1] [--data-dir .nimbus] [--ephemeral]\n'), r.stdout);
    for (const word of ['nimbus status', 'nimbus reset', '--enforce-iam', '--services', '--log-level', '--log-json',
      'NIMBUS_PORT', 'NIMBUS_HOST', 'NIMBUS_DATA_DIR', 'NIMBUS_EPHEMERAL', 'NIMBUS_ENFORCE_IAM', 'NIMBUS_SERVICES', 'NIMBUS_LOG_LEVEL', 'NIMBUS_LOG_JSON']) {
      assert.ok(r.stdout.includes(word), `usage names ${word}`);
    }
  }
  const version = await cli(['--version']);
  assert.deepEqual(version, { code: 0, stdout: '0.1.0\n', stderr: '' });
});

test('usage errors exit 2 with the reason and the usage on stderr', TIMEOUT, async () => {
  const usage = (await cli(['--help'])).stdout;
  const bogus = await cli(['start', '--bogus']);
  assert.equal(bogus.code, 2);
  assert.equal(bogus.stdout, '');
  // The rest of the sentence is node's parseArgs's own.
  assert.ok(bogus.stderr.startsWith("nimbus: Unknown option '--bogus'."), bogus.stderr);
  assert.ok(bogus.stderr.endsWith(`\n\n${usage}`));
  const cases: Array<[string[], string]> = [
    [['start', '--port', '70000'], 'nimbus: invalid port: 70000\n\n'],
    [['start', '--log-level', 'loud'], 'nimbus: invalid log level: loud (one of debug, info, warn, error, off)\n\n'],
    [['frobnicate'], 'nimbus: unknown command frobnicate\n\n'],
  ];
  for (const [args, reason] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, reason + usage);
  }
});

test('NIMBUS_* variables stand for the flags; flags win; a taken port exits 1', TIMEOUT, async () => {
  const port = await freePort();
  const nimbus = start(['start'], { NIMBUS_PORT: String(port), NIMBUS_EPHEMERAL: 'true', NIMBUS_ENFORCE_IAM: '1', NIMBUS_SERVICES: 'sts' });
  const banner = await nimbus.banner();
  assert.equal(banner[1], `  endpoint   http://127.0.0.1:${port}`);
  assert.equal(banner[4], '  data       ephemeral (in memory)');
  assert.equal(banner[5], '  services   sts');
  assert.equal(banner[6], '  iam        enforced');

  const status = await cli(['status'], { NIMBUS_PORT: String(port) });
  assert.equal(status.code, 0, status.stderr);
  const health = JSON.parse(status.stdout) as { persistence: string; services: Record<string, string> };
  assert.equal(health.persistence, 'ephemeral');
  assert.deepEqual(health.services, { sts: 'running' });
  // Enforced IAM: an unknown key is refused.
  await assert.rejects(sts(`http://127.0.0.1:${port}`, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });

  // A flag overrides its variable: --port names the running instance though NIMBUS_PORT points elsewhere.
  const other = await freePort();
  const byFlag = await cli(['status', '--port', String(port)], { NIMBUS_PORT: String(other) });
  assert.equal(byFlag.code, 0, byFlag.stderr);

  const taken = await cli(['start', '--port', String(port), '--ephemeral']);
  assert.equal(taken.code, 1);
  assert.equal(taken.stderr, `nimbus: cannot start: port ${port} is in use\n`);

  assert.deepEqual(await nimbus.stop('SIGINT'), { code: 0, signal: null });
  assert.ok(nimbus.stderr.endsWith('nimbus: SIGINT, stopping\n'));
});

test('--log-json writes one JSON line per request with service, operation, status and ms', TIMEOUT, async () => {
  const port = await freePort();
  const nimbus = start(['start', '--port', String(port), '--ephemeral', '--log-json']);
  await nimbus.banner();
  const endpoint = `http://127.0.0.1:${port}`;
  const lines = () => nimbus.stdout.split('\n').filter((l) => l !== '');

  await sts(endpoint).send(new GetCallerIdentityCommand({}));
  await assert.rejects(sts(endpoint).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'abc' })), { name: 'NotImplemented' });
  await fetch(`${endpoint}/_nimbus/health`).then((r) => r.arrayBuffer());
  // Lines are written in order, so the third line's arrival means the first two requests wrote one line each.
  await nimbus.until(() => lines().length >= 3);
  assert.equal(lines().length, 3);

  const [identity, unimplemented, health] = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const line of [identity, unimplemented, health]) {
    assert.match(String(line.time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(typeof line.ms, 'number');
    assert.ok((line.ms as number) >= 0);
  }
  const strip = (l: Record<string, unknown>) => ({ ...l, time: 'T', ms: 0 });
  assert.deepEqual(strip(identity), { time: 'T', level: 'info', msg: 'request', service: 'sts', operation: 'GetCallerIdentity', status: 200, ms: 0 });
  assert.match(String(unimplemented.requestId), /^[0-9a-f-]{36}$/);
  assert.deepEqual(strip(unimplemented), {
    time: 'T', level: 'info', msg: 'request', service: 'sts', operation: 'DecodeAuthorizationMessage', status: 501, ms: 0,
    error: 'NotImplemented', requestId: unimplemented.requestId,
  });
  assert.deepEqual(strip(health), { time: 'T', level: 'info', msg: 'request', service: 'nimbus', operation: '/_nimbus/health', status: 200, ms: 0 });

  assert.deepEqual(await nimbus.stop(), { code: 0, signal: null });
});

test('persistence: credentials issued before kill -9 still work after a restart on the same data dir', TIMEOUT, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-cli-'));
  try {
    const first = await freePort();
    let nimbus = start(['start', '--port', String(first), '--data-dir', dir]);
    const banner = await nimbus.banner();
    assert.equal(banner[4], `  data       ${dir}`);
    const out = await sts(`http://127.0.0.1:${first}`).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/Durable', RoleSessionName: 'survivor' }));
    const c = out.Credentials!;
    // The answer is the acknowledgement: kill at once, with no chance to flush or checkpoint.
    assert.deepEqual(await nimbus.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });

    const second = await freePort();
    nimbus = start(['start', '--port', String(second), '--data-dir', dir]);
    await nimbus.banner();
    const me = await sts(`http://127.0.0.1:${second}`, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! })
      .send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, 'arn:aws:sts::123456789012:assumed-role/Durable/survivor');
    assert.equal(me.Account, '123456789012');
    const status = await cli(['status', '--port', String(second)]);
    assert.equal(JSON.parse(status.stdout).persistence, dir);
    assert.deepEqual(await nimbus.stop(), { code: 0, signal: null });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
