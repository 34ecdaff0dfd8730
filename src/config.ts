/**
 * Nimbus's configuration: flags with NIMBUS_* environment equivalents, defaults that
 * match what local AWS tooling assumes (port 4566, account 000000000000, test/test).
 */
import type { LogLevel } from './shared/logger.js';

/** Everything a nimbus instance is configured with. */
export interface NimbusConfig {
  port: number;
  host: string;
  dataDir: string;
  ephemeral: boolean;
  enforceIam: boolean;
  /** Endpoint prefixes to serve; undefined serves all implemented services. */
  services: string[] | undefined;
  logLevel: LogLevel;
  logJson: boolean;
  /** The region used when a request names none (unsigned requests). */
  defaultRegion: string;
  /** The account of the conventional `test` credentials and of unknown keys. */
  defaultAccount: string;
  /**
   * DynamoDB's item collection size limit in bytes (tables with local secondary
   * indexes): AWS's 10 GB unless lowered, for tests, by NIMBUS_DYNAMODB_ITEM_COLLECTION_LIMIT.
   */
  dynamodbItemCollectionLimit: number;
}

/** AWS's item collection size limit: 10 GB, counted in binary units as DynamoDB counts sizes. */
export const DYNAMODB_ITEM_COLLECTION_LIMIT = 10 * 1024 ** 3;

/** The defaults: persistent in ./.nimbus, 127.0.0.1:4566. */
export const DEFAULT_CONFIG: NimbusConfig = {
  port: 4566,
  host: '127.0.0.1',
  dataDir: '.nimbus',
  ephemeral: false,
  enforceIam: false,
  services: undefined,
  logLevel: 'info',
  logJson: false,
  defaultRegion: 'us-east-1',
  defaultAccount: '000000000000',
  dynamodbItemCollectionLimit: DYNAMODB_ITEM_COLLECTION_LIMIT,
};

const LEVELS = ['debug', 'info', 'warn', 'error', 'off'];

function bool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/** Reads NIMBUS_* variables over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<NimbusConfig> {
  const c: Partial<NimbusConfig> = {};
  if (env.NIMBUS_PORT) c.port = parsePort(env.NIMBUS_PORT);
  if (env.NIMBUS_HOST) c.host = env.NIMBUS_HOST;
  if (env.NIMBUS_DATA_DIR) c.dataDir = env.NIMBUS_DATA_DIR;
  const eph = bool(env.NIMBUS_EPHEMERAL);
  if (eph !== undefined) c.ephemeral = eph;
  const iam = bool(env.NIMBUS_ENFORCE_IAM);
  if (iam !== undefined) c.enforceIam = iam;
  if (env.NIMBUS_SERVICES) c.services = env.NIMBUS_SERVICES.split(',').map((s) => s.trim()).filter(Boolean);
  if (env.NIMBUS_LOG_LEVEL && LEVELS.includes(env.NIMBUS_LOG_LEVEL)) c.logLevel = env.NIMBUS_LOG_LEVEL as LogLevel;
  const json = bool(env.NIMBUS_LOG_JSON);
  if (json !== undefined) c.logJson = json;
  if (env.NIMBUS_REGION) c.defaultRegion = env.NIMBUS_REGION;
  if (env.NIMBUS_DYNAMODB_ITEM_COLLECTION_LIMIT) c.dynamodbItemCollectionLimit = Number(env.NIMBUS_DYNAMODB_ITEM_COLLECTION_LIMIT);
  return c;
}

/** A port number from text; anything but 0..65535 is refused with the text as given. */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new Error(`invalid port: ${text}`);
  return port;
}

/** Checks a merged configuration, throwing a message fit for the command line. */
export function checkConfig(c: NimbusConfig): NimbusConfig {
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) throw new Error(`invalid port: ${c.port}`);
  if (!LEVELS.includes(c.logLevel)) throw new Error(`invalid log level: ${c.logLevel} (one of ${LEVELS.join(', ')})`);
  if (!Number.isSafeInteger(c.dynamodbItemCollectionLimit) || c.dynamodbItemCollectionLimit < 1) {
    throw new Error(`invalid DynamoDB item collection limit: ${c.dynamodbItemCollectionLimit} (a whole number of bytes)`);
  }
  return c;
}
