/**
 * S3's virtual-hosted addressing: the bucket named in the Host header
 * (`<bucket>.localhost:4566`, `<bucket>.s3.localhost`, `<bucket>.s3.<region>.amazonaws.com`,
 * `<bucket>.s3.<region>.localhost.localstack.cloud`) becomes the first path segment,
 * so that routing sees the path-style request the model's URI templates describe.
 */

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The bucket a virtual-hosted Host names, or undefined for a path-style request. */
export function virtualHostedBucket(host: string): string | undefined {
  if (host === '' || host.startsWith('[')) return undefined;
  const colon = host.lastIndexOf(':');
  const name = colon < 0 ? host : host.slice(0, colon);
  if (IPV4.test(name)) return undefined;
  const labels = name.split('.');
  if (labels.length < 2) return undefined;
  // The last `s3` / `s3-<something>` label ends the bucket: bucket names may themselves contain dots.
  for (let i = labels.length - 1; i > 0; i--) {
    const l = labels[i]!;
    if (l === 's3' || l.startsWith('s3-')) return labels.slice(0, i).join('.');
  }
  // `s3.localhost` is the path-style endpoint itself.
  if (labels[labels.length - 1] === 'localhost' && labels[0] !== 's3') return labels.slice(0, -1).join('.');
  return undefined;
}

/** The path-style path of a virtual-hosted request, or undefined when the Host names no bucket. */
export function s3PathStyle(host: string, path: string): string | undefined {
  const bucket = virtualHostedBucket(host);
  if (bucket === undefined || bucket === '') return undefined;
  return path === '/' || path === '' ? `/${bucket}` : `/${bucket}${path}`;
}
