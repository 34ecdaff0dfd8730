/**
 * Who signed the request. Keys nimbus issued must sign correctly; the conventional
 * `test` key and 12-digit keys (one account each, for multi-account tests) are root
 * principals; unknown keys are the default account's root unless IAM is enforced,
 * which also makes every signature count. A garbled signature is always refused,
 * as AWS refuses it.
 */
import { rootPrincipal, type Principal } from '../shared/principal.js';
import { verifySignature, authShapeError } from '../auth/sigv4.js';
import { presignedTimeError } from '../auth/presign.js';
import { authDialect, missingAuthenticationError, unknownAccessKeyError, invalidSecurityTokenError, expiredTokenError } from '../auth/errors.js';
import type { CredentialStore } from '../state/credentials.js';
import type { NimbusConfig } from '../config.js';
import type { Exchange } from './exchange.js';

/** The secret of the conventional local credentials. */
export const LOCAL_SECRET = 'test';
const ACCOUNT_KEY = /^\d{12}$/;

/** Who signed, and the secret the signature was made with when nimbus knows it (to verify streamed chunk signatures). */
export interface Authenticated {
  principal: Principal;
  secret?: string;
}

/** Resolves (and where required verifies) the principal of a request; throws the AWS error otherwise. */
export function authenticate(x: Exchange, credentials: CredentialStore, config: NimbusConfig, now: number): Authenticated {
  const auth = x.auth;
  const dialect = authDialect(x.service?.name, x.codec?.name);
  if (!auth) {
    // S3 serves anonymous requests (public buckets, presigned POST forms); bucket policies decide.
    if (config.enforceIam && dialect !== 's3') throw missingAuthenticationError(dialect);
    return { principal: rootPrincipal(config.defaultAccount) };
  }
  const shape = authShapeError(x, auth);
  if (shape) throw shape;
  const key = auth.accessKeyId;
  const known = resolveKey(key, credentials, config, now);
  if (known.kind === 'issued') {
    const verdict = verifySignature(x, auth, known.secret, now);
    if (verdict) throw verdict;
    if (known.sessionToken !== undefined && auth.securityToken !== known.sessionToken) throw invalidSecurityTokenError(dialect);
    if (known.expired) throw expiredTokenError(dialect);
    if (!known.active) throw unknownAccessKeyError(dialect, key);
    return { principal: known.principal, secret: known.secret };
  }
  if (config.enforceIam) {
    if (known.kind === 'unknown') throw unknownAccessKeyError(dialect, key);
    const verdict = verifySignature(x, auth, LOCAL_SECRET, now);
    if (verdict) throw verdict;
  } else if (auth.location === 'query') {
    // Signatures of unknown keys are not checked, but an expired presigned URL is refused all the same.
    const expired = presignedTimeError(auth, dialect, now);
    if (expired) throw expired;
  }
  return { principal: known.principal, secret: known.kind === 'local' ? LOCAL_SECRET : undefined };
}

/**
 * What nimbus knows of an access key: one it issued (with its secret, session token
 * and state), or the conventional `test` and 12-digit keys ('local'), or any other
 * ('unknown'), both root principals of their account.
 */
export type KnownKey =
  | { kind: 'issued'; principal: Principal; secret: string; sessionToken?: string; active: boolean; expired: boolean }
  | { kind: 'local' | 'unknown'; principal: Principal };

/** Resolves an access key as signed requests resolve it (also used for signed browser POST forms). */
export function resolveKey(key: string, credentials: CredentialStore, config: NimbusConfig, now: number): KnownKey {
  const issued = credentials.get(key);
  if (issued) {
    return {
      kind: 'issued', principal: { ...issued.principal, accessKeyId: key }, secret: issued.secretAccessKey, sessionToken: issued.sessionToken,
      active: issued.status === 'Active', expired: issued.expiresAt !== undefined && issued.expiresAt <= now,
    };
  }
  const account = ACCOUNT_KEY.test(key);
  return { kind: key === 'test' || account ? 'local' : 'unknown', principal: rootPrincipal(account ? key : config.defaultAccount, key) };
}
