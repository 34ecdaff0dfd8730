/**
 * The authentication errors each family of AWS front ends answers. S3 has its
 * own codes and XML fields; the query services (STS, SQS, SNS, CloudWatch) use
 * the bare coral codes; JSON services append "Exception"; EC2 says AuthFailure.
 * Wording is AWS's, as quoted in real responses (dynalite's transcripts, SDK issue reports).
 */
import { ServiceError } from '../shared/errors.js';
import { formatAmzDate, formatIsoSeconds } from './canonical.js';
import type { AuthProblem } from './types.js';

/** Which family's error codes, statuses and fields an authentication failure uses. */
export type AuthDialect = 's3' | 'query' | 'json' | 'rest-json' | 'ec2';

/** The dialect of a service (by name) speaking a protocol (the codec's name). */
export function authDialect(serviceName: string | undefined, protocol: string | undefined): AuthDialect {
  if (serviceName === 's3' || serviceName === 's3-control') return 's3';
  switch (protocol) {
    case 'query': return 'query';
    case 'ec2': return 'ec2';
    case 'rest-json': return 'rest-json';
    // Route 53 and CloudFront answer auth failures with the query services' codes.
    case 'rest-xml': return 'query';
    case 'json': case 'smithy-rpc-v2-cbor': return 'json';
    default: return 'query';
  }
}

/** The allowed clock skew, as AWS: 15 minutes. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const S3_SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const EC2_AUTH_FAILURE = 'AWS was not able to validate the provided access credentials';
const S3_CREDENTIAL_SHAPE = 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';
const S3_QUERY_PARAMS = 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';

function coral(dialect: AuthDialect, code: 'IncompleteSignature' | 'InvalidSignature' | 'MissingAuthenticationToken' | 'UnrecognizedClient', message: string): ServiceError {
  if (dialect === 'ec2') return new ServiceError('AuthFailure', EC2_AUTH_FAILURE, { status: 401 });
  if (dialect === 'query') {
    const queryCode = code === 'InvalidSignature' ? 'SignatureDoesNotMatch' : code === 'UnrecognizedClient' ? 'InvalidClientTokenId' : code;
    return new ServiceError(queryCode, message, { status: code === 'IncompleteSignature' ? 400 : 403 });
  }
  // DynamoDB-style JSON services answer 400 for all of these; rest-json front ends (Lambda) 403.
  return new ServiceError(`${code}Exception`, message, { status: dialect === 'rest-json' ? 403 : 400 });
}

function s3(code: string, message: string, status: number, fields?: Record<string, unknown>): ServiceError {
  return new ServiceError(code, message, { status, fields });
}

/** The error for a request that carries no credentials at all (S3 treats it as anonymous instead). */
export function missingAuthenticationError(dialect: AuthDialect): ServiceError {
  if (dialect === 's3') return s3('AccessDenied', 'Access Denied', 403);
  return coral(dialect, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
}

/** The error for an access key nimbus does not know (when keys are checked). */
export function unknownAccessKeyError(dialect: AuthDialect, accessKeyId: string): ServiceError {
  if (dialect === 's3') return s3('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: accessKeyId });
  return coral(dialect, 'UnrecognizedClient', 'The security token included in the request is invalid.');
}

/** The error for a session token that does not belong to the access key. */
export function invalidSecurityTokenError(dialect: AuthDialect): ServiceError {
  if (dialect === 's3') return s3('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
  return coral(dialect, 'UnrecognizedClient', 'The security token included in the request is invalid.');
}

/** The error for temporary credentials past their expiration. */
export function expiredTokenError(dialect: AuthDialect): ServiceError {
  if (dialect === 's3') return s3('ExpiredToken', 'The provided token has expired.', 400);
  if (dialect === 'ec2') return new ServiceError('AuthFailure', EC2_AUTH_FAILURE, { status: 401 });
  if (dialect === 'query') return new ServiceError('ExpiredToken', 'The security token included in the request is expired', { status: 403 });
  return new ServiceError('ExpiredTokenException', 'The security token included in the request is expired', { status: dialect === 'rest-json' ? 403 : 400 });
}

/** The error for a garbled signature, in the dialect of the service it reached. */
export function authProblemError(problem: AuthProblem, dialect: AuthDialect): ServiceError {
  return dialect === 's3' ? s3ProblemError(problem) : coralProblemError(problem, dialect);
}

function coralProblemError(p: AuthProblem, dialect: AuthDialect): ServiceError {
  switch (p.kind) {
    case 'both-header-and-query':
      return coral(dialect, 'InvalidSignature', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
    case 'header-incomplete': {
      let msg = '';
      for (const name of p.missing) msg += `Authorization header requires '${name}' parameter. `;
      if (p.missingDate) msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
      return coral(dialect, 'IncompleteSignature', `${msg}Authorization=${p.header}`);
    }
    case 'header-pair-without-equals':
      return coral(dialect, 'IncompleteSignature', `'${p.pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${p.header}'.`);
    case 'unsupported-algorithm':
      return coral(dialect, 'IncompleteSignature', `Unsupported AWS 'algorithm': '${p.algorithm}' (only AWS4-HMAC-SHA256 for now). `);
    case 'credential-malformed':
      return coral(dialect, 'IncompleteSignature', `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${p.credential}'`);
    case 'bad-terminator':
      return coral(dialect, 'InvalidSignature', `Credential should be scoped with a valid terminator: 'aws4_request', not '${p.terminator}'. `);
    case 'query-incomplete': {
      let msg = '';
      for (const name of p.missing) msg += `AWS query-string parameters must include '${name}'. `;
      return coral(dialect, 'IncompleteSignature', `${msg}Re-examine the query-string parameters.`);
    }
    case 'bad-date':
      return coral(dialect, 'IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${p.date}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    case 'scope-date-mismatch':
      return coral(dialect, 'InvalidSignature', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${p.scopeDate}' != '${p.amzDate.slice(0, 8)}', from '${p.amzDate}'.`);
    case 'bad-expires':
      // Front ends other than S3 ignore X-Amz-Expires; only a non-number is refused.
      return coral(dialect, 'IncompleteSignature', `X-Amz-Expires must be a number. Got '${p.expires}'.`);
  }
}

function s3ProblemError(p: AuthProblem): ServiceError {
  switch (p.kind) {
    case 'both-header-and-query':
      return s3('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', 400, { ArgumentName: 'Authorization', ArgumentValue: '' });
    case 'header-incomplete':
      if (!isV4Algorithm(p.algorithm)) return unsupportedAuthorizationType(p.header);
      if (p.missing.length === 0) return s3('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 400);
      return s3('AuthorizationHeaderMalformed', 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.', 400);
    case 'header-pair-without-equals':
      if (!isV4Algorithm(p.algorithm)) return unsupportedAuthorizationType(p.header);
      return s3('AuthorizationHeaderMalformed', 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.', 400);
    case 'unsupported-algorithm':
      if (p.location === 'query') return s3('AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', 400);
      return unsupportedAuthorizationType(p.header);
    case 'credential-malformed':
      if (p.location === 'query') return s3('AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; ${S3_CREDENTIAL_SHAPE}`, 400);
      return s3('AuthorizationHeaderMalformed', `The authorization header is malformed; ${S3_CREDENTIAL_SHAPE}`, 400);
    case 'bad-terminator':
      if (p.location === 'query') return s3('AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; incorrect terminal "${p.terminator}". This endpoint uses "aws4_request".`, 400);
      return s3('AuthorizationHeaderMalformed', `The authorization header is malformed; incorrect terminal "${p.terminator}". This endpoint uses "aws4_request".`, 400);
    case 'query-incomplete':
      return s3('AuthorizationQueryParametersError', S3_QUERY_PARAMS, 400);
    case 'bad-date':
      if (p.location === 'query') return s3('AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"', 400);
      return s3('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 400);
    case 'scope-date-mismatch':
      if (p.location === 'query') return s3('AuthorizationQueryParametersError', `Invalid credential date "${p.scopeDate}". This date is not the same as X-Amz-Date: "${p.amzDate.slice(0, 8)}".`, 400);
      return s3('AuthorizationHeaderMalformed', 'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.', 400);
    case 'bad-expires':
      if (p.reason === 'negative') return s3('AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative', 400);
      if (p.reason === 'too-large') return s3('AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds', 400);
      return s3('AuthorizationQueryParametersError', 'X-Amz-Expires should be a number', 400);
  }
}

function isV4Algorithm(algorithm: string): boolean {
  return algorithm === 'AWS4-HMAC-SHA256' || algorithm === 'AWS4-ECDSA-P256-SHA256';
}

function unsupportedAuthorizationType(header: string): ServiceError {
  return s3('InvalidArgument', 'Unsupported Authorization Type', 400, { ArgumentName: 'Authorization', ArgumentValue: header });
}

/** What a failed comparison knew, for the error body. */
export interface MismatchDetail {
  readonly accessKeyId: string;
  readonly signatureProvided: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

/** SignatureDoesNotMatch (S3, query), InvalidSignatureException (JSON), AuthFailure (EC2). */
export function signatureMismatchError(dialect: AuthDialect, d: MismatchDetail): ServiceError {
  if (dialect === 's3') {
    return s3('SignatureDoesNotMatch', S3_SIGNATURE_MISMATCH, 403, {
      AWSAccessKeyId: d.accessKeyId,
      StringToSign: d.stringToSign,
      SignatureProvided: d.signatureProvided,
      StringToSignBytes: hexBytes(d.stringToSign),
      CanonicalRequest: d.canonicalRequest,
      CanonicalRequestBytes: hexBytes(d.canonicalRequest),
    });
  }
  const message = `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${d.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${d.stringToSign}'\n`;
  return coral(dialect, 'InvalidSignature', message);
}

/** S3's message for a chunk or trailer signature that does not match (no canonical request to show). */
export function chunkSignatureMismatchError(): ServiceError {
  return s3('SignatureDoesNotMatch', S3_SIGNATURE_MISMATCH, 403);
}

// S3 lists the bytes it signed as space-separated lower-case hex pairs.
function hexBytes(text: string): string {
  const hex = Buffer.from(text, 'utf8').toString('hex');
  let out = '';
  for (let i = 0; i < hex.length; i += 2) out += (i === 0 ? '' : ' ') + hex.slice(i, i + 2);
  return out;
}

/** A request timestamp more than 15 minutes from now, in each dialect. */
export function requestTimeSkewError(dialect: AuthDialect, amzDate: string, requestMs: number, nowMs: number): ServiceError {
  if (dialect === 's3') {
    return s3('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
      RequestTime: amzDate,
      ServerTime: formatIsoSeconds(nowMs),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
  if (dialect === 'ec2') return new ServiceError('RequestExpired', 'Request has expired.', { status: 400 });
  const message = requestMs < nowMs
    ? `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(nowMs - MAX_SKEW_MS)} (${formatAmzDate(nowMs)} - 15 min.)`
    : `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(nowMs + MAX_SKEW_MS)} (${formatAmzDate(nowMs)} + 15 min.)`;
  return coral(dialect, 'InvalidSignature', message);
}

/** A scope naming another service than the endpoint's signing name. */
export function wrongServiceError(dialect: AuthDialect, scopeService: string, expected: string): ServiceError {
  if (dialect === 's3') return s3('AuthorizationHeaderMalformed', `The authorization header is malformed; incorrect service "${scopeService}". This endpoint belongs to "${expected}".`, 400);
  return coral(dialect, 'InvalidSignature', `Credential should be scoped to correct service: '${expected}'. `);
}

/** S3's answer to a scope region other than the bucket's (the SDKs retry in the region it names). */
export function wrongRegionError(scopeRegion: string, expected: string): ServiceError {
  return s3('AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${expected}'`, 400, { Region: expected });
}

/** A signature whose SignedHeaders leave out Host. */
export function hostNotSignedError(dialect: AuthDialect): ServiceError {
  if (dialect === 's3') return s3('AccessDenied', 'There were headers present in the request which were not signed', 400, { HeadersNotSigned: 'host' });
  return coral(dialect, 'InvalidSignature', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
}

/** S3 needs x-amz-content-sha256 on every header-signed SigV4 request, with a value it knows. */
export function contentSha256Error(value: string | undefined): ServiceError {
  if (value === undefined) return s3('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
  return s3('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.', 400, {
    ArgumentName: 'x-amz-content-sha256',
    ArgumentValue: value,
  });
}

/** S3's answer when the body's sha256 differs from the x-amz-content-sha256 it was signed with. */
export function contentSha256MismatchError(declared: string, computed: string): ServiceError {
  return s3('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
    ClientComputedContentSHA256: declared,
    S3ComputedContentSHA256: computed,
  });
}
