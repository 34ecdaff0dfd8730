/** GetObjectAttributes: the attributes asked for by x-amz-object-attributes, of the current or a named version. */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type * as m from '../../../models/generated/s3.js';
import type { S3Store } from '../store.js';
import { requireBucket } from '../buckets.js';
import { readVersion, reportsVersion } from '../versions.js';
import { CHECKSUM_MEMBER, isAlgorithm } from '../checksums.js';
import { recordedParts } from '../attributes.js';

const ATTRIBUTES: ReadonlySet<string> = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);
const MAX_PARTS = 1000;

/** GetObjectAttributes. */
export async function getObjectAttributes(store: S3Store, ctx: RequestContext, input: m.GetObjectAttributesRequest): Promise<m.GetObjectAttributesOutput> {
  const bucket = requireBucket(store, ctx, input.Bucket);
  const wanted = new Set<string>();
  for (const raw of input.ObjectAttributes) {
    for (const a of raw.split(',')) {
      const name = a.trim();
      if (!ATTRIBUTES.has(name)) {
        throw new ServiceError('InvalidArgument', 'Invalid attribute name specified.', { status: 400, fields: { ArgumentName: 'x-amz-object-attributes', ArgumentValue: name } });
      }
      wanted.add(name);
    }
  }
  if (wanted.size === 0) throw new ServiceError('InvalidArgument', 'Invalid attribute name specified.', { status: 400, fields: { ArgumentName: 'x-amz-object-attributes', ArgumentValue: '' } });
  const row = readVersion(store, input.Bucket, input.Key, input.VersionId, 'GET');
  const out: m.GetObjectAttributesOutput = { LastModified: new Date(row.modified) };
  if (reportsVersion(bucket, row)) out.VersionId = row.version_id;
  // S3 gives the ETag here without its quotes.
  if (wanted.has('ETag')) out.ETag = row.etag;
  if (wanted.has('Checksum') && isAlgorithm(row.checksum_algorithm ?? undefined) && row.checksum_value !== null) {
    const checksum: Record<string, string> = { [CHECKSUM_MEMBER[row.checksum_algorithm as keyof typeof CHECKSUM_MEMBER]]: row.checksum_value.replace(/-\d+$/, '') };
    checksum.ChecksumType = row.checksum_type ?? 'FULL_OBJECT';
    out.Checksum = checksum as m.Checksum;
  }
  if (wanted.has('ObjectParts') && row.parts_count !== null) out.ObjectParts = objectParts(store, input, row.bucket, row.seq, row.parts_count, row.checksum_algorithm);
  if (wanted.has('StorageClass')) out.StorageClass = (row.storage_class ?? 'STANDARD') as m.StorageClass;
  if (wanted.has('ObjectSize')) out.ObjectSize = row.size;
  return out;
}

function objectParts(store: S3Store, input: m.GetObjectAttributesRequest, bucket: string, seq: number, total: number, algorithm: string | null): m.GetObjectAttributesParts {
  const max = Math.min(input.MaxParts ?? MAX_PARTS, MAX_PARTS);
  const marker = input.PartNumberMarker ?? 0;
  const out: m.GetObjectAttributesParts = { TotalPartsCount: total };
  const parts = recordedParts(store, bucket, seq);
  // Parts are listed only for uploads made with additional checksums.
  if (!parts) return out;
  const after = parts.filter((p) => p.number > marker);
  const page = after.slice(0, max);
  out.PartNumberMarker = marker;
  out.NextPartNumberMarker = page.length > 0 ? page[page.length - 1]!.number : marker;
  out.MaxParts = max;
  out.IsTruncated = after.length > page.length;
  const member = isAlgorithm(algorithm ?? undefined) ? CHECKSUM_MEMBER[algorithm as keyof typeof CHECKSUM_MEMBER] : undefined;
  out.Parts = page.map((p) => {
    const part: Record<string, unknown> = { PartNumber: p.number, Size: p.size };
    if (member && p.checksum !== null) part[member] = p.checksum;
    return part as m.ObjectPart;
  });
  return out;
}
