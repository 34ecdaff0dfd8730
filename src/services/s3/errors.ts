/** S3's errors, in S3's words (Amazon S3 API reference, "Error responses"). */
import { ServiceError } from '../../shared/errors.js';

/** 404 NoSuchBucket. */
export function noSuchBucket(bucket: string): ServiceError {
  return new ServiceError('NoSuchBucket', 'The specified bucket does not exist', { status: 404, fields: { BucketName: bucket } });
}

/** 404 NoSuchKey. */
export function noSuchKey(key: string): ServiceError {
  return new ServiceError('NoSuchKey', 'The specified key does not exist.', { status: 404, fields: { Key: key } });
}

/** 404 NoSuchUpload. */
export function noSuchUpload(uploadId: string): ServiceError {
  return new ServiceError('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { status: 404, fields: { UploadId: uploadId } });
}

/** 400 InvalidArgument naming the argument. */
export function invalidArgument(message: string, name: string, value: string | undefined): ServiceError {
  return new ServiceError('InvalidArgument', message, { status: 400, fields: { ArgumentName: name, ArgumentValue: value } });
}

/** 400 MalformedXML. */
export function malformedXml(): ServiceError {
  return new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', { status: 400 });
}

/** 412 PreconditionFailed naming the condition. */
export function preconditionFailed(condition: string): ServiceError {
  return new ServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { status: 412, fields: { Condition: condition } });
}

/** 403 AccessDenied (a bucket of another account; cross-account grants are not modelled yet). */
export function accessDenied(): ServiceError {
  return new ServiceError('AccessDenied', 'Access Denied', { status: 403 });
}

/** 400 BadDigest: a declared checksum did not match the bytes. */
export function badDigest(message: string): ServiceError {
  return new ServiceError('BadDigest', message, { status: 400 });
}
