/** S3: the service definition. */
import type { ServiceDefinition } from '../../gateway/context.js';
import type { WireRequest } from '../../protocol/types.js';
import { S3Provider } from './provider.js';
import { startLifecycleSweeper, stopLifecycleSweepers, sweepRoute } from './lifecycle-sweeper.js';
import { s3Intercept } from './intercept.js';

/** The bucket a (path-style) request names, or undefined for the service root. */
function bucketOf(req: WireRequest): string | undefined {
  const segment = req.path.split('/')[1];
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The s3 service definition; buckets answer browser CORS from their own CORS configuration. */
export const s3: ServiceDefinition = {
  name: 's3',
  create: (env) => {
    const provider = new S3Provider(env);
    startLifecycleSweeper(provider.store, env);
    return provider;
  },
  stop: () => stopLifecycleSweepers(),
  routes: [
    { path: '/_nimbus/s3/lifecycle/sweep', answer: (provider, query) => sweepRoute((provider as S3Provider).store, query) },
  ],
  intercept: (provider, req) => s3Intercept(provider as S3Provider, req),
  cors: {
    preflight(provider, req) {
      const bucket = bucketOf(req);
      if (bucket === undefined) return undefined;
      const origin = req.headers.origin as string;
      const method = req.headers['access-control-request-method'] as string;
      return (provider as S3Provider).preflight(bucket, origin, method, req.headers['access-control-request-headers'] as string | undefined);
    },
    actual(provider, req) {
      const bucket = bucketOf(req);
      if (bucket === undefined) return undefined;
      return (provider as S3Provider).corsHeaders(bucket, req.headers.origin as string, req.method);
    },
  },
};
