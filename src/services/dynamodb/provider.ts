/** The dynamodb provider: operations are added as they are built; the others answer 501. */
import type { ServiceEnv } from '../../gateway/context.js';

/** The dynamodb provider. */
export class DynamoDbProvider {
  constructor(readonly env: ServiceEnv) {}
}
