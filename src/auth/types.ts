/**
 * Plain data shared by the SigV4 parser, verifier, presigned-URL checks and the
 * aws-chunked decoder. No behaviour lives here.
 */

/** Header values as node delivers them (lower-cased names); arrays keep repeated headers apart. */
export type AuthHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Decoded query parameters (the gateway's `WireRequest.query`); a bare string is accepted too. */
export type AuthQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Which signing scheme the request used. */
export type SignatureVersion = 'v4' | 'v4a' | 'v2';

/** The facts an AWS signature carries, read without verifying anything. */
export interface ParsedAuth {
  readonly version: SignatureVersion;
  /** Where the signature travelled: the Authorization header or presigned query parameters. */
  readonly location: 'header' | 'query';
  /** AWS4-HMAC-SHA256, AWS4-ECDSA-P256-SHA256, or AWS (SigV2). */
  readonly algorithm: string;
  readonly accessKeyId: string;
  /** YYYYMMDD from the credential scope ('' for SigV2). */
  readonly scopeDate: string;
  /** Region from the scope; for SigV4a the first entry of X-Amz-Region-Set ('*' when absent); '' for SigV2. */
  readonly region: string;
  /** Signing name from the scope (sts, s3, dynamodb, ...); '' for SigV2. */
  readonly service: string;
  /** Everything after the access key in Credential, e.g. 20261127/us-east-1/sts/aws4_request. */
  readonly credentialScope: string;
  /** The request time in ISO 8601 basic format (YYYYMMDDTHHMMSSZ); '' when the request has none (SigV2). */
  readonly amzDate: string;
  /** Lower-cased signed header names in the order given. */
  readonly signedHeaders: readonly string[];
  /** The signature as sent (hex for SigV4, DER hex for SigV4a, base64 for SigV2). */
  readonly signature: string;
  /** X-Amz-Security-Token (header or query), when sent. */
  readonly securityToken?: string;
  /** X-Amz-Expires of a presigned request, in seconds, when it is a whole number. */
  readonly expires?: number;
  /** X-Amz-Expires exactly as sent (S3 quotes it back in errors). */
  readonly expiresRaw?: string;
  /** When a presigned request stops being valid (epoch ms): X-Amz-Date + X-Amz-Expires, or SigV2's Expires. */
  readonly expiresAt?: number;
  /** SigV4a X-Amz-Region-Set entries. */
  readonly regionSet?: readonly string[];
  /** Set when the signature is garbled: the request must be refused with `authProblemError(problem, dialect)`. */
  readonly problem?: AuthProblem;
}

/** What a garbled signature lacks or gets wrong; `authProblemError` turns it into each protocol's error. */
export type AuthProblem =
  /** Both an Authorization header and X-Amz-Algorithm (or a SigV2 Signature) in the query. */
  | { readonly kind: 'both-header-and-query' }
  /** Authorization header without some of Credential, SignedHeaders, Signature, or without a date header. */
  | { readonly kind: 'header-incomplete'; readonly algorithm: string; readonly missing: readonly string[]; readonly missingDate: boolean; readonly header: string }
  /** A header component without '=' (AWS quotes it back). */
  | { readonly kind: 'header-pair-without-equals'; readonly algorithm: string; readonly pair: string; readonly header: string }
  /** An Authorization scheme nimbus (and AWS) does not know. */
  | { readonly kind: 'unsupported-algorithm'; readonly algorithm: string; readonly header: string; readonly location: 'header' | 'query' }
  /** Credential is not key/date/region/service/terminator. */
  | { readonly kind: 'credential-malformed'; readonly credential: string; readonly location: 'header' | 'query' }
  /** Credential's last element is not aws4_request. */
  | { readonly kind: 'bad-terminator'; readonly terminator: string; readonly location: 'header' | 'query' }
  /** Presigned request without some of the X-Amz-* parameters. */
  | { readonly kind: 'query-incomplete'; readonly missing: readonly string[] }
  /** X-Amz-Date / Date that is not a timestamp. */
  | { readonly kind: 'bad-date'; readonly date: string; readonly location: 'header' | 'query' }
  /** The scope date differs from the day of X-Amz-Date. */
  | { readonly kind: 'scope-date-mismatch'; readonly scopeDate: string; readonly amzDate: string; readonly location: 'header' | 'query' }
  /** X-Amz-Expires not a number, negative, or over a week. */
  | { readonly kind: 'bad-expires'; readonly expires: string; readonly reason: 'not-a-number' | 'negative' | 'too-large' };

/** The derived key and chain seed an aws-chunked body needs to verify its chunk signatures. */
export interface SigningContext {
  readonly signingKey: Buffer;
  /** YYYYMMDDTHHMMSSZ of the request. */
  readonly amzDate: string;
  /** date/region/service/aws4_request. */
  readonly credentialScope: string;
  /** The request's own signature: the seed of the chunk-signature chain. */
  readonly seedSignature: string;
}
