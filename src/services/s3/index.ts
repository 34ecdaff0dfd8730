/** S3: the service definition. */
import type { ServiceDefinition } from '../../gateway/context.js';
import { S3Provider } from './provider.js';

/** The s3 service definition. */
export const s3: ServiceDefinition = {
  name: 's3',
  create: (env) => new S3Provider(env),
};
