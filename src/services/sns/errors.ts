/** SNS's error forms: `InvalidParameter` with "Invalid parameter: ..." and `NotFound`. */
import { ServiceError } from '../../shared/errors.js';

/** InvalidParameter (400) with SNS's "Invalid parameter: " prefix. */
export function invalidParameter(reason: string): ServiceError {
  return new ServiceError('InvalidParameter', `Invalid parameter: ${reason}`);
}

/** NotFound (404), e.g. "Topic does not exist". */
export function notFound(message: string): ServiceError {
  return new ServiceError('NotFound', message);
}

/** The topic error for an ARN that names no topic. */
export function topicNotFound(): ServiceError {
  return notFound('Topic does not exist');
}

/** Page tokens: the last ARN of a page, opaque to the caller. */
export function encodeToken(lastArn: string): string {
  return Buffer.from(lastArn, 'utf8').toString('base64');
}

/** The ARN a page token resumes after, or SNS's error for a token it did not issue. */
export function decodeToken(token: string | undefined): string {
  if (token === undefined || token === '') return '';
  const arn = Buffer.from(token, 'base64').toString('utf8');
  if (!arn.startsWith('arn:aws:sns:')) throw invalidParameter('NextToken');
  return arn;
}
