/**
 * Who signed the request. Keys nimbus issued must sign correctly; the conventional
 * `test` key and 12-digit keys (one account each, for multi-account tests) are root
 * principals; unknown keys are the default account's root unless IAM is enforced,
 * which also makes every signature count.
 */
import { ServiceError } from '../shared/errors.js';
import { rootPrincipal, type Principal } from '../shared/principal.js';
import { verifySignature } from '../auth/sigv4.js';
import type { CredentialStore } from '../state/credentials.js';
import type { NimbusConfig } from '../config.js';
import type { Exchange } from './exchange.js';

/** The secret of the conventional local credentials. */
const LOCAL_SECRET = 'test';
const ACCOUNT_KEY = /^\d{12}$/;

/** Resolves (and where required verifies) the principal of a request; throws the AWS error otherwise. */
export function authenticate(x: Exchange, credentials: CredentialStore, config: NimbusConfig, now: number): Principal {
  const auth = x.auth;
  if (!auth) {
    if (config.enforceIam && x.service?.name !== 's3') {
      throw new ServiceError('MissingAuthenticationToken', 'Request is missing Authentication Token', { status: 403 });
    }
    return rootPrincipal(config.defaultAccount);
  }
  const key = auth.accessKeyId;
  const issued = credentials.get(key);
  if (issued) {
    const verdict = verifySignature(x, auth, issued.secretAccessKey, now);
    if (verdict) throw verdict;
    if (issued.sessionToken !== undefined && auth.securityToken !== issued.sessionToken) {
      throw new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', { status: 403 });
    }
    if (issued.expiresAt !== undefined && issued.expiresAt <= now) {
      throw new ServiceError('ExpiredToken', 'The security token included in the request is expired', { status: 400 });
    }
    if (issued.status !== 'Active') {
      throw new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', { status: 403 });
    }
    return { ...issued.principal, accessKeyId: key };
  }
  const local = key === 'test' || ACCOUNT_KEY.test(key);
  if (config.enforceIam) {
    if (!local) throw new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', { status: 403 });
    const verdict = verifySignature(x, auth, LOCAL_SECRET, now);
    if (verdict) throw verdict;
  }
  return rootPrincipal(ACCOUNT_KEY.test(key) ? key : config.defaultAccount, key);
}
