/**
 * The command line: `nimbus start | status | reset`, flags over NIMBUS_* variables
 * over the defaults.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startNimbus } from '../nimbus.js';
import { DEFAULT_CONFIG, configFromEnv, checkConfig, parsePort, type NimbusConfig } from '../config.js';
import { VERSION } from '../version.js';
import type { LogLevel } from '../shared/logger.js';

const HELP = `nimbus ${VERSION}: a local AWS cloud

Usage:
  nimbus start [--port 4566] [--host 127.0.0.1] [--data-dir .nimbus] [--ephemeral]
               [--enforce-iam] [--services sts,s3,...] [--log-level info] [--log-json]
  nimbus status [--port 4566] [--host 127.0.0.1]
  nimbus reset  [--port 4566] [--host 127.0.0.1]

Environment: NIMBUS_PORT, NIMBUS_HOST, NIMBUS_DATA_DIR, NIMBUS_EPHEMERAL, NIMBUS_ENFORCE_IAM,
NIMBUS_SERVICES, NIMBUS_LOG_LEVEL, NIMBUS_LOG_JSON. Flags win over the environment.
NIMBUS_DYNAMODB_ITEM_COLLECTION_LIMIT: DynamoDB's item collection size limit in bytes
(default 10 GB, AWS's; lower it to test ItemCollectionSizeLimitExceededException).
`;

function parse(argv: string[]): { command: string; config: NimbusConfig } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      ephemeral: { type: 'boolean' },
      'enforce-iam': { type: 'boolean' },
      services: { type: 'string' },
      'log-level': { type: 'string' },
      'log-json': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) return { command: 'help', config: DEFAULT_CONFIG };
  if (values.version) return { command: 'version', config: DEFAULT_CONFIG };
  const flags: Partial<NimbusConfig> = {};
  if (values.port !== undefined) flags.port = parsePort(values.port);
  if (values.host !== undefined) flags.host = values.host;
  if (values['data-dir'] !== undefined) flags.dataDir = values['data-dir'];
  if (values.ephemeral) flags.ephemeral = true;
  if (values['enforce-iam']) flags.enforceIam = true;
  if (values.services !== undefined) flags.services = values.services.split(',').map((s) => s.trim()).filter(Boolean);
  if (values['log-level'] !== undefined) flags.logLevel = values['log-level'] as LogLevel;
  if (values['log-json']) flags.logJson = true;
  const config = checkConfig({ ...DEFAULT_CONFIG, ...configFromEnv(), ...flags });
  return { command: positionals[0] ?? 'start', config };
}

async function start(config: NimbusConfig): Promise<void> {
  const t0 = performance.now();
  const nimbus = await startNimbus(config);
  const services = nimbus.config.services ?? (await import('../services/index.js')).SERVICE_DEFINITIONS.map((d) => d.name);
  const lines = [
    `nimbus ${VERSION}: local AWS cloud ready in ${Math.round(performance.now() - t0)} ms`,
    `  endpoint   ${nimbus.endpoint}`,
    `  region     ${config.defaultRegion}`,
    `  account    ${config.defaultAccount} (access key test, secret test)`,
    `  data       ${config.ephemeral ? 'ephemeral (in memory)' : resolve(config.dataDir)}`,
    `  services   ${services.join(', ')}`,
    `  iam        ${config.enforceIam ? 'enforced' : 'not enforced'}`,
  ];
  process.stderr.write(lines.join('\n') + '\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`nimbus: ${signal}, stopping\n`);
    nimbus.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // One bad request must never take the cloud down: log and go on.
  process.on('uncaughtException', (e) => process.stderr.write(`nimbus: uncaught exception: ${e.stack ?? e}\n`));
  process.on('unhandledRejection', (e) => process.stderr.write(`nimbus: unhandled rejection: ${e instanceof Error ? e.stack : String(e)}\n`));
}

async function call(config: NimbusConfig, method: string, path: string): Promise<number> {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host.includes(':') ? `[${config.host}]` : config.host;
  try {
    const res = await fetch(`http://${host}:${config.port}${path}`, { method });
    process.stdout.write(JSON.stringify(await res.json(), null, 2) + '\n');
    return res.ok ? 0 : 1;
  } catch {
    process.stderr.write(`nimbus is not running at http://${host}:${config.port}\n`);
    return 1;
  }
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`nimbus: ${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  const { command, config } = parsed;
  switch (command) {
    case 'start':
      try {
        await start(config);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        process.stderr.write(`nimbus: cannot start: ${err.code === 'EADDRINUSE' ? `port ${config.port} is in use` : err.message}\n`);
        process.exit(1);
      }
      return;
    case 'status':
      process.exit(await call(config, 'GET', '/_nimbus/health'));
    case 'reset':
      process.exit(await call(config, 'POST', '/_nimbus/reset'));
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return;
    case 'help':
      process.stdout.write(HELP);
      return;
    default:
      process.stderr.write(`nimbus: unknown command ${command}\n\n${HELP}`);
      process.exit(2);
  }
}

void main();
