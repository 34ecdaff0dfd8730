/** The sns provider: operations are added as they are built; the others answer 501. */
import type { ServiceEnv } from '../../gateway/context.js';

/** The sns provider. */
export class SnsProvider {
  constructor(readonly env: ServiceEnv) {}
}
