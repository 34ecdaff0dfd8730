/** The s3 provider: operations are added as they are built; the others answer 501. */
import type { ServiceEnv } from '../../gateway/context.js';

/** The s3 provider. */
export class S3Provider {
  constructor(readonly env: ServiceEnv) {}
}
