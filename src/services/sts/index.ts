/** STS: caller identity and temporary credentials. */
import type { ServiceDefinition } from '../../gateway/context.js';
import { StsProvider } from './provider.js';

/** The STS service definition. */
export const sts: ServiceDefinition = {
  name: 'sts',
  create: (env) => new StsProvider(env),
};
