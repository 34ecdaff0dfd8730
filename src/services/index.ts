/** The services nimbus implements, by endpoint prefix. */
import type { ServiceDefinition } from '../gateway/context.js';
import { sts } from './sts/index.js';

/** Every implemented service definition. */
export const SERVICE_DEFINITIONS: readonly ServiceDefinition[] = [sts];
