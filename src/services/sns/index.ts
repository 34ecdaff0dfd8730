/** Sns: the service definition. */
import type { ServiceDefinition } from '../../gateway/context.js';
import { SnsProvider } from './provider.js';

/** The sns service definition. */
export const sns: ServiceDefinition = {
  name: 'sns',
  create: (env) => new SnsProvider(env),
};
