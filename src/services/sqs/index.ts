/** SQS: the service definition. */
import type { ServiceDefinition } from '../../gateway/context.js';
import { SqsProvider } from './provider.js';

/** The sqs service definition. */
export const sqs: ServiceDefinition = {
  name: 'sqs',
  create: (env) => new SqsProvider(env),
};
