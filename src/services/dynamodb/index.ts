/** DynamoDb: the service definition. */
import type { ServiceDefinition } from '../../gateway/context.js';
import { DynamoDbProvider } from './provider.js';
import { TtlSweeper } from './ttl.js';

/** The TTL sweepers of the providers created in this process (one per nimbus instance). */
const sweepers = new Set<TtlSweeper>();

/** The dynamodb service definition. */
export const dynamodb: ServiceDefinition = {
  name: 'dynamodb',
  create: (env) => {
    const provider = new DynamoDbProvider(env);
    const sweeper = new TtlSweeper(provider.store, env.logger);
    sweeper.start();
    sweepers.add(sweeper);
    return provider;
  },
  stop: () => {
    for (const s of sweepers) s.stop();
    sweepers.clear();
  },
};
