/** DynamoDb: the service definition. */
import type { ServiceDefinition } from '../../gateway/context.js';
import { DynamoDbProvider } from './provider.js';

/** The dynamodb service definition. */
export const dynamodb: ServiceDefinition = {
  name: 'dynamodb',
  create: (env) => new DynamoDbProvider(env),
};
