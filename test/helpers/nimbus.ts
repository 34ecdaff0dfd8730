/** Test helpers: a started nimbus, client settings, and the external clients on this machine. */
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { spawnSync, execFile } from 'node:child_process';
import { startNimbus, type Nimbus, type StartOptions } from '../../src/nimbus.js';

/** Starts an ephemeral nimbus on a free port with logging off. */
export function startTestNimbus(options: StartOptions = {}): Promise<Nimbus> {
  return startNimbus({ ephemeral: true, port: 0, logLevel: 'off', ...options });
}

/** A TCP port free on 127.0.0.1 right now (for a nimbus started as a child process). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** SDK v3 client settings for a nimbus endpoint. */
export function clientConfig(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = { accessKeyId: 'test', secretAccessKey: 'test' }) {
  return { endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
}

/** An external AWS client program on this machine (CLI or Python with boto3). */
export interface ExternalClient {
  /** Human name for test titles. */
  name: string;
  /** The executable. */
  bin: string;
  kind: 'cli' | 'boto3';
}

function which(bin: string): string | undefined {
  if (bin.startsWith('/')) return existsSync(bin) ? bin : undefined;
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function hasBoto3(python: string): boolean {
  return spawnSync(python, ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0;
}

/**
 * The four client generations the project supports: the AWS CLI v1 and boto3 1.43 on PATH
 * (current protocols) and Debian's AWS CLI v2.9 and boto3 1.26 (query for SQS and CloudWatch).
 * Missing ones are reported so that tests can skip them visibly.
 */
export function externalClients(): { present: ExternalClient[]; missing: string[] } {
  const candidates: ExternalClient[] = [
    { name: 'aws (PATH)', bin: 'aws', kind: 'cli' },
    { name: 'aws v2 (Debian)', bin: '/usr/bin/aws', kind: 'cli' },
    { name: 'boto3 (PATH python3)', bin: 'python3', kind: 'boto3' },
    { name: 'boto3 (Debian python3)', bin: '/usr/bin/python3', kind: 'boto3' },
  ];
  const present: ExternalClient[] = [];
  const missing: string[] = [];
  for (const c of candidates) {
    const path = which(c.bin);
    const pathCli = c.bin === 'aws' && path === '/usr/bin/aws';
    if (path && !pathCli && (c.kind === 'cli' || hasBoto3(path))) present.push({ ...c, bin: path });
    else missing.push(c.name);
  }
  return { present, missing };
}

/** The external clients present, after a skipped test for each missing one (so the run shows what it could not check). */
export function installedClients(): ExternalClient[] {
  const { present, missing } = externalClients();
  for (const name of missing) test(`${name}: not installed on this machine`, { skip: `${name} missing` }, () => {});
  return present;
}

/** Environment for a CLI or boto3 run: fixed credentials and region, no user config. */
export function clientEnv(creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = { accessKeyId: 'test', secretAccessKey: 'test' }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken;
  return env;
}

/** The outcome of an external client run. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program without blocking the event loop (the nimbus under test runs in this process). */
function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { encoding: 'utf8', env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the AWS CLI against an endpoint; resolves with exit status, stdout and stderr. */
export function runCli(bin: string, endpoint: string, args: string[], env = clientEnv()): Promise<RunResult> {
  return run(bin, ['--endpoint-url', endpoint, '--output', 'json', ...args], env);
}

/** Runs a Python snippet with boto3; `ENDPOINT` is defined for it. */
export function runBoto3(python: string, endpoint: string, code: string, env = clientEnv()): Promise<RunResult> {
  const prelude = `import boto3, botocore, json, sys\nENDPOINT = ${JSON.stringify(endpoint)}\n`;
  return run(python, ['-c', prelude + code], env);
}
