/**
 * Per-service wire quirks of the REST protocols that the botocore models do not
 * carry: which request-id headers a service sends, S3's bare <Error> body, the
 * root element names of S3's XML outputs, Lambda's error `Type` field.
 */
import type { ServiceModel } from '../../models/model.js';

/** The REST wire quirks of one service. */
export interface RestServiceQuirks {
  /** 's3': `x-amz-request-id` + `x-amz-id-2`; 'amzn': `x-amzn-RequestId` (every other REST service). */
  readonly requestIdStyle: 's3' | 'amzn';
  /** 's3': `<Error><Code/><Message/>…<RequestId/><HostId/></Error>`; 'error-response': `<ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>`. */
  readonly xmlErrorStyle: 's3' | 'error-response';
  /** Root element of an output document by output shape name, where it is not the shape name. */
  readonly outputRoots: ReadonlyMap<string, string>;
  /** Output shapes whose root element holds the text of their single member (S3 GetBucketLocation: `<LocationConstraint>eu-west-1</LocationConstraint>`). */
  readonly textRootOutputs: ReadonlySet<string>;
  /** Lambda answers errors with `Type: User | Service` beside the message. */
  readonly errorTypeField: boolean;
  /** S3 takes streaming uploads framed as aws-chunked (Content-Encoding token, x-amz-decoded-content-length). */
  readonly awsChunkedUploads: boolean;
  /** Operations answering 206 Partial Content when the named output member is set (S3 GetObject with a Range). */
  readonly partialContent: ReadonlyMap<string, string>;
}

// The @xmlName traits of S3's output structures in the Smithy model (botocore drops them;
// clients ignore the root name, but S3 sends these and tools that read raw XML expect them).
const S3_OUTPUT_ROOTS: ReadonlyMap<string, string> = new Map([
  ['CompleteMultipartUploadOutput', 'CompleteMultipartUploadResult'],
  ['CreateMultipartUploadOutput', 'InitiateMultipartUploadResult'],
  ['CreateSessionOutput', 'CreateSessionResult'],
  ['DeleteObjectsOutput', 'DeleteResult'],
  ['GetBucketAccelerateConfigurationOutput', 'AccelerateConfiguration'],
  ['GetBucketAclOutput', 'AccessControlPolicy'],
  ['GetBucketCorsOutput', 'CORSConfiguration'],
  ['GetBucketLifecycleOutput', 'LifecycleConfiguration'],
  ['GetBucketLifecycleConfigurationOutput', 'LifecycleConfiguration'],
  ['GetBucketLocationOutput', 'LocationConstraint'],
  ['GetBucketLoggingOutput', 'BucketLoggingStatus'],
  ['GetBucketRequestPaymentOutput', 'RequestPaymentConfiguration'],
  ['GetBucketTaggingOutput', 'Tagging'],
  ['GetBucketVersioningOutput', 'VersioningConfiguration'],
  ['GetBucketWebsiteOutput', 'WebsiteConfiguration'],
  ['GetObjectAclOutput', 'AccessControlPolicy'],
  ['GetObjectAttributesOutput', 'GetObjectAttributesResponse'],
  ['GetObjectTaggingOutput', 'Tagging'],
  ['ListBucketAnalyticsConfigurationsOutput', 'ListBucketAnalyticsConfigurationResult'],
  ['ListBucketInventoryConfigurationsOutput', 'ListInventoryConfigurationsResult'],
  ['ListBucketMetricsConfigurationsOutput', 'ListMetricsConfigurationsResult'],
  ['ListBucketsOutput', 'ListAllMyBucketsResult'],
  ['ListDirectoryBucketsOutput', 'ListAllMyDirectoryBucketsResult'],
  ['ListMultipartUploadsOutput', 'ListMultipartUploadsResult'],
  ['ListObjectVersionsOutput', 'ListVersionsResult'],
  ['ListObjectsOutput', 'ListBucketResult'],
  ['ListObjectsV2Output', 'ListBucketResult'],
  ['ListPartsOutput', 'ListPartsResult'],
  ['NotificationConfigurationDeprecated', 'NotificationConfiguration'],
]);

const S3: RestServiceQuirks = {
  requestIdStyle: 's3',
  xmlErrorStyle: 's3',
  outputRoots: S3_OUTPUT_ROOTS,
  textRootOutputs: new Set(['GetBucketLocationOutput']),
  errorTypeField: false,
  awsChunkedUploads: true,
  partialContent: new Map([['GetObject', 'ContentRange']]),
};

const DEFAULT: RestServiceQuirks = {
  requestIdStyle: 'amzn',
  xmlErrorStyle: 'error-response',
  outputRoots: new Map(),
  textRootOutputs: new Set(),
  errorTypeField: false,
  awsChunkedUploads: false,
  partialContent: new Map(),
};

const BY_ENDPOINT_PREFIX: ReadonlyMap<string, RestServiceQuirks> = new Map([
  ['s3', S3],
  // S3 Control shares S3's request-id headers but wraps its errors in <ErrorResponse>.
  ['s3-control', { ...DEFAULT, requestIdStyle: 's3' }],
  ['lambda', { ...DEFAULT, errorTypeField: true }],
]);

/** The REST quirks of a model's service (by endpoint prefix), the plain AWS behaviour when it has none. */
export function restQuirks(model: ServiceModel): RestServiceQuirks {
  return BY_ENDPOINT_PREFIX.get(model.metadata.endpointPrefix) ?? DEFAULT;
}

/** The request-id headers a REST response of this service carries. */
export function requestIdHeaders(quirks: RestServiceQuirks, requestId: string, hostId: string | undefined): Record<string, string> {
  if (quirks.requestIdStyle === 'amzn') return { 'x-amzn-RequestId': requestId };
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId ?? s3HostId(requestId) };
}

/** S3 always sends a host id (x-amz-id-2, the error's HostId); when the gateway gives none, one is derived from the request id. */
export function s3HostId(requestId: string): string {
  return Buffer.from(requestId).toString('base64');
}
