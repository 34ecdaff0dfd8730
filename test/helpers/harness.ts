/**
 * One started nimbus per test file: the before/after hooks registered with node:test, and
 * handles usable from the file's top level. `cloud` stands for the server once the before
 * hook has started it; clients take their endpoint from it on each request, so they can be
 * built at load time like any other constant.
 */
import { before, after } from 'node:test';
import { S3Client, CreateBucketCommand, type S3ClientConfig } from '@aws-sdk/client-s3';
import { DynamoDBClient, CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { Nimbus, StartOptions } from '../../src/nimbus.js';
import { startTestNimbus, clientConfig } from './nimbus.js';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export interface Harness {
  /** The started nimbus (its members answer from the before hook on). */
  readonly cloud: Nimbus;
  /** SDK v3 client settings (region us-east-1, test/test, one attempt) pointing at `cloud`. */
  config(credentials?: Credentials): Omit<ReturnType<typeof clientConfig>, 'endpoint'> & { endpoint: () => Promise<{ url: URL }> };
}

/** Starts an ephemeral nimbus before the file's tests (then runs `setup`) and stops it after them. */
export function nimbusHarness(options: StartOptions = {}, setup?: () => Promise<void>): Harness {
  let started: Nimbus | undefined;
  const current = (): Nimbus => {
    if (!started) throw new Error('nimbus is not started yet: use it from a test or a hook');
    return started;
  };
  const cloud: Nimbus = {
    get endpoint() { return current().endpoint; },
    get port() { return current().port; },
    get config() { return current().config; },
    reset: () => current().reset(),
    stop: () => current().stop(),
  };
  before(async () => {
    started = await startTestNimbus(options);
    await setup?.();
  });
  after(() => started?.stop());
  return {
    cloud,
    config: (credentials) => ({ ...clientConfig('', credentials), endpoint: async () => ({ url: new URL(cloud.endpoint) }) }),
  };
}

export interface S3Harness extends Harness {
  /** A path-style S3 client of account 000000000000. */
  readonly s3: S3Client;
  /** Another S3 client: path style unless overridden; `credentials` for another account. */
  client(overrides?: Partial<S3ClientConfig> & { credentials?: Credentials }): S3Client;
}

/**
 * nimbusHarness with an S3 client, `buckets` created before the tests, then `setup` run.
 * (Set-up goes here rather than in a before hook of the file: Node 20 starts a file's
 * top-level before hooks together, not one after the other.)
 */
export function s3Harness(options: { buckets?: string[]; nimbus?: StartOptions; setup?: () => Promise<void> } = {}): S3Harness {
  const h = nimbusHarness(options.nimbus, async () => {
    for (const Bucket of options.buckets ?? []) await s3.send(new CreateBucketCommand({ Bucket }));
    await options.setup?.();
  });
  const client = ({ credentials, ...overrides }: Partial<S3ClientConfig> & { credentials?: Credentials } = {}): S3Client =>
    new S3Client({ ...h.config(credentials), forcePathStyle: true, ...overrides });
  const s3 = client();
  after(() => s3.destroy());
  return { ...h, s3, client };
}

export interface DynamoDBHarness extends Harness {
  readonly ddb: DynamoDBClient;
}

/** nimbusHarness with a DynamoDB client, `tables` created before the tests, then `setup` run (see s3Harness). */
export function dynamodbHarness(options: { tables?: CreateTableCommandInput[]; nimbus?: StartOptions; setup?: () => Promise<void> } = {}): DynamoDBHarness {
  const h = nimbusHarness(options.nimbus, async () => {
    for (const table of options.tables ?? []) await ddb.send(new CreateTableCommand(table));
    await options.setup?.();
  });
  const ddb = new DynamoDBClient(h.config());
  after(() => ddb.destroy());
  return { ...h, ddb };
}
