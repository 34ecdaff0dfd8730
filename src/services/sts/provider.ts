/**
 * STS: who is calling, and temporary credentials that the gateway then recognizes
 * (their signatures are verified and requests are attributed to their principal).
 */
import { ServiceError } from '../../shared/errors.js';
import { parseArn } from '../../shared/arn.js';
import { randomUpperId, stableUpperId, secretAccessKey, sessionToken } from '../../shared/ids.js';
import type { Principal } from '../../shared/principal.js';
import type { RequestContext, ServiceEnv } from '../../gateway/context.js';
import type { CredentialStore } from '../../state/credentials.js';
import type {
  StsOperations,
  AssumeRoleRequest, AssumeRoleResponse,
  GetCallerIdentityRequest, GetCallerIdentityResponse,
  GetSessionTokenRequest, GetSessionTokenResponse,
  GetFederationTokenRequest, GetFederationTokenResponse,
  GetAccessKeyInfoRequest, GetAccessKeyInfoResponse,
  Credentials,
} from '../../models/generated/sts.js';

const HOUR = 3600;
const ACCOUNT_KEY = /^\d{12}$/;

/** Role chaining (an assumed role assuming a role) is limited to one hour (AssumeRole API reference). */
const ROLE_CHAINING_MAX = HOUR;
/** GetSessionToken: 900..129600 s for users, at most 3600 s for the root user (GetSessionToken API reference). */
const SESSION_TOKEN_MAX = 36 * HOUR;
const SESSION_TOKEN_ROOT_MAX = HOUR;

/** The STS provider. */
export class StsProvider implements StsOperations {
  private readonly credentials: CredentialStore;
  private readonly defaultAccount: string;

  constructor(env: ServiceEnv) {
    this.credentials = env.credentials;
    this.defaultAccount = env.config.defaultAccount;
  }

  async getCallerIdentity(ctx: RequestContext, _input: GetCallerIdentityRequest): Promise<GetCallerIdentityResponse> {
    const p = ctx.principal;
    return { UserId: p.userId, Account: p.account, Arn: p.arn };
  }

  async assumeRole(ctx: RequestContext, input: AssumeRoleRequest): Promise<AssumeRoleResponse> {
    const role = parseRoleArn(input.RoleArn);
    const chained = ctx.principal.type === 'assumed-role';
    const duration = input.DurationSeconds ?? HOUR;
    if (chained && duration > ROLE_CHAINING_MAX) {
      throw new ServiceError('ValidationError', `The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.`, { status: 400 });
    }
    const roleId = `AROA${stableUpperId(input.RoleArn, 17)}`;
    const assumedArn = `arn:aws:sts::${role.account}:assumed-role/${role.name}/${input.RoleSessionName}`;
    const principal: Principal = {
      account: role.account,
      arn: assumedArn,
      userId: `${roleId}:${input.RoleSessionName}`,
      type: 'assumed-role',
      roleArn: input.RoleArn,
    };
    const credentials = this.issue(ctx, principal, duration);
    const out: AssumeRoleResponse = {
      Credentials: credentials,
      AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: assumedArn },
    };
    const packed = packedPolicySize(input);
    if (packed !== undefined) out.PackedPolicySize = packed;
    if (input.SourceIdentity !== undefined) out.SourceIdentity = input.SourceIdentity;
    return out;
  }

  async getSessionToken(ctx: RequestContext, input: GetSessionTokenRequest): Promise<GetSessionTokenResponse> {
    const p = ctx.principal;
    if (p.type === 'assumed-role' || p.type === 'federated-user' || (p.accessKeyId && this.credentials.get(p.accessKeyId)?.sessionToken)) {
      throw new ServiceError('AccessDenied', 'Cannot call GetSessionToken with session credentials', { status: 403 });
    }
    const max = p.type === 'root' ? SESSION_TOKEN_ROOT_MAX : SESSION_TOKEN_MAX;
    const duration = input.DurationSeconds ?? (p.type === 'root' ? HOUR : 12 * HOUR);
    if (duration > max) {
      throw new ServiceError('ValidationError', `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${max}`, { status: 400 });
    }
    return { Credentials: this.issue(ctx, { ...p, accessKeyId: undefined }, duration) };
  }

  async getFederationToken(ctx: RequestContext, input: GetFederationTokenRequest): Promise<GetFederationTokenResponse> {
    const p = ctx.principal;
    if (p.type === 'assumed-role' || p.type === 'federated-user') {
      throw new ServiceError('AccessDenied', 'Cannot call GetFederationToken with session credentials', { status: 403 });
    }
    const max = p.type === 'root' ? SESSION_TOKEN_ROOT_MAX : SESSION_TOKEN_MAX;
    const duration = input.DurationSeconds ?? (p.type === 'root' ? HOUR : 12 * HOUR);
    if (duration > max) {
      throw new ServiceError('ValidationError', `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${max}`, { status: 400 });
    }
    const arn = `arn:aws:sts::${p.account}:federated-user/${input.Name}`;
    const userId = `${p.account}:${input.Name}`;
    const principal: Principal = { account: p.account, arn, userId, type: 'federated-user' };
    const out: GetFederationTokenResponse = {
      Credentials: this.issue(ctx, principal, duration),
      FederatedUser: { FederatedUserId: userId, Arn: arn },
    };
    const packed = packedPolicySize(input);
    if (packed !== undefined) out.PackedPolicySize = packed;
    return out;
  }

  async getAccessKeyInfo(_ctx: RequestContext, input: GetAccessKeyInfoRequest): Promise<GetAccessKeyInfoResponse> {
    const issued = this.credentials.get(input.AccessKeyId);
    if (issued) return { Account: issued.principal.account };
    return { Account: ACCOUNT_KEY.test(input.AccessKeyId) ? input.AccessKeyId : this.defaultAccount };
  }

  private issue(ctx: RequestContext, principal: Principal, durationSeconds: number): Credentials {
    const accessKeyId = `ASIA${randomUpperId(16)}`;
    const secret = secretAccessKey();
    const token = sessionToken();
    // AWS reports expirations to the second.
    const expiresAt = Math.floor(ctx.clock.now() / 1000 + durationSeconds) * 1000;
    this.credentials.put({ accessKeyId, secretAccessKey: secret, sessionToken: token, expiresAt, status: 'Active', principal: { ...principal, accessKeyId } });
    return { AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: token, Expiration: new Date(expiresAt) };
  }
}

/** The account and role name of an IAM role ARN, or AWS's answer for a malformed one. */
function parseRoleArn(text: string): { account: string; name: string } {
  const arn = parseArn(text);
  const resource = arn?.resource ?? '';
  if (!arn || arn.service !== 'iam' || !ACCOUNT_KEY.test(arn.account) || !resource.startsWith('role/') || resource.length <= 5 || resource.endsWith('/')) {
    throw new ServiceError('ValidationError', 'Request ARN is invalid', { status: 400 });
  }
  // A role with a path (role/path/to/Name) is named by its last segment in the assumed-role ARN.
  return { account: arn.account, name: resource.slice(resource.lastIndexOf('/') + 1) };
}

/**
 * The packed size of session policies and tags as a percentage of the allowed space;
 * AWS returns it only when a policy or tags were passed. The packed binary form is not
 * documented, so this estimates it from the compacted JSON (2,048 bytes allowed).
 */
function packedPolicySize(input: { Policy?: string; PolicyArns?: unknown[]; Tags?: { Key: string; Value: string }[] }): number | undefined {
  if (input.Policy === undefined && !input.PolicyArns?.length && !input.Tags?.length) return undefined;
  let bytes = 0;
  if (input.Policy) {
    try {
      bytes += JSON.stringify(JSON.parse(input.Policy)).length;
    } catch {
      throw new ServiceError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.', { status: 400 });
    }
  }
  bytes += (input.PolicyArns?.length ?? 0) * 40;
  for (const t of input.Tags ?? []) bytes += t.Key.length + t.Value.length + 4;
  const percent = Math.ceil((bytes / 2048) * 100 * 0.3);
  if (percent > 100) {
    throw new ServiceError('PackedPolicyTooLarge', `Packed policy consumes ${percent}% of allotted space, please use smaller policy for this session.`, { status: 400 });
  }
  return percent;
}
