/**
 * Services that sign every answer's body with its CRC32 in `x-amz-crc32`, success or
 * error (the models do not say so): DynamoDB. botocore and the SDKs check the header
 * when it is present.
 */
import type { ServiceModel } from '../../models/model.js';

/** Whether answers of this service carry x-amz-crc32. */
export function sendsResponseCrc32(model: ServiceModel): boolean {
  return model.metadata.endpointPrefix === 'dynamodb';
}
