/** The sqs provider: operations are added as they are built; the others answer 501. */
import type { ServiceEnv } from '../../gateway/context.js';

/** The sqs provider. */
export class SqsProvider {
  constructor(readonly env: ServiceEnv) {}
}
