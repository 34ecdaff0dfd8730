/**
 * S3 requests outside the API model, taken by the gateway's intercept hook: website
 * endpoint GET/HEAD, and browser POST uploads (multipart/form-data to a bucket).
 */
import type { InterceptHandler, InterceptIO } from '../../gateway/context.js';
import type { WireRequest } from '../../protocol/types.js';
import { postUploadResponse } from '../../protocol/quirks/s3-post-object.js';
import { s3HostId } from '../../protocol/quirks/rest-services.js';
import { rootPrincipal } from '../../shared/principal.js';
import { ServiceError } from '../../shared/errors.js';
import type { S3Provider } from './provider.js';
import { isWebsiteHost, serveWebsite } from './website-serve.js';
import { postRegion, postSigner } from './post-policy.js';
import { noSuchBucket } from './errors.js';

const BUCKET_PATH = /^\/([^/]+)\/?$/;

/** The handler for a request S3 answers outside its operations, or undefined. */
export function s3Intercept(provider: S3Provider, req: WireRequest): InterceptHandler | undefined {
  if (isWebsiteHost(req.host)) return async (io) => serveWebsite(provider.store, req, io.requestId);
  if (req.method !== 'POST') return undefined;
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !/^multipart\/form-data/i.test(type)) return undefined;
  const m = BUCKET_PATH.exec(req.path);
  if (!m) return undefined;
  return (io) => postUpload(provider, req, io, decodeURIComponent(m[1]!), type);
}

async function postUpload(provider: S3Provider, req: WireRequest, io: InterceptIO, bucket: string, contentType: string) {
  const row = provider.store.bucket(bucket);
  if (!row) throw noSuchBucket(bucket);
  const result = await provider.postObject(bucket, contentType, io.body, (fields) => {
    const signer = postSigner(fields, io.credential);
    if (!signer) {
      // An unsigned form writes only where the bucket grants anonymous writes.
      if (!provider.anonymousWriteAllowed(bucket)) throw new ServiceError('AccessDenied', 'Access Denied', { status: 403 });
      return io.context('PostObject', rootPrincipal(row.account), row.region);
    }
    if (signer.principal.account !== row.account) throw new ServiceError('AccessDenied', 'Access Denied', { status: 403 });
    return io.context('PostObject', signer.principal, postRegion(fields) ?? row.region);
  });
  const response = postUploadResponse(result, `http://${req.host}`);
  Object.assign(response.headers, { 'x-amz-request-id': io.requestId, 'x-amz-id-2': s3HostId(io.requestId) });
  return response;
}
