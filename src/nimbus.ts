/**
 * A nimbus instance: storage, credentials, services and the gateway on one port.
 * `startNimbus({ ephemeral: true, port: 0 })` is the programmatic API for tests.
 */
import { createDualServer, type DualServer } from './gateway/server.js';
import { Gateway } from './gateway/gateway.js';
import { Storage } from './state/storage.js';
import { CredentialStore } from './state/credentials.js';
import { SERVICE_DEFINITIONS } from './services/index.js';
import { DEFAULT_CONFIG, checkConfig, type NimbusConfig } from './config.js';
import { createLogger, type Logger } from './shared/logger.js';
import { systemClock, type Clock } from './shared/clock.js';

/** Options of startNimbus: any configuration field, plus a clock and logger for tests. */
export interface StartOptions extends Partial<NimbusConfig> {
  clock?: Clock;
  logger?: Logger;
}

/** A running nimbus. */
export interface Nimbus {
  /** http://host:port */
  readonly endpoint: string;
  readonly port: number;
  readonly config: NimbusConfig;
  /** Deletes every resource (as POST /_nimbus/reset). */
  reset(): void;
  stop(): Promise<void>;
}

/** Starts nimbus; resolves once it is listening. Tests default to a silent logger. */
export async function startNimbus(options: StartOptions = {}): Promise<Nimbus> {
  const { clock = systemClock, logger: givenLogger, ...overrides } = options;
  const config = checkConfig({ ...DEFAULT_CONFIG, ...stripUndefined(overrides) });
  const logger = givenLogger ?? createLogger({ level: config.logLevel, json: config.logJson });
  const storage = new Storage({ dataDir: config.dataDir, ephemeral: config.ephemeral });
  let server: DualServer | undefined;
  let gateway: Gateway | undefined;
  try {
    const credentials = new CredentialStore(storage);
    const definitions = SERVICE_DEFINITIONS.filter((d) => !config.services || config.services.includes(d.name));
    gateway = new Gateway(config, storage, credentials, logger, clock, definitions);
    await gateway.start();
    server = createDualServer(gateway.listener);
    const port = await server.listen(config.port, config.host);
    const hostForUrl = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
    const endpoint = `http://${hostForUrl}:${port}`;
    gateway.endpoint = endpoint;
    const g = gateway;
    const s = server;
    let stopped: Promise<void> | undefined;
    return {
      endpoint,
      port,
      config,
      reset: () => storage.reset(),
      stop: () => {
        stopped ??= (async () => {
          await s.close();
          await g.services.stop();
          logger.flush();
          storage.close();
        })();
        return stopped;
      },
    };
  } catch (e) {
    await server?.close();
    await gateway?.services.stop();
    storage.close();
    throw e;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
