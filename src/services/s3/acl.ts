/**
 * Access control lists (Amazon S3 user guide, "Access control list (ACL) overview"):
 * canned ACLs, x-amz-grant-* headers and AccessControlPolicy documents turned into
 * grant lists, and S3's validation of them. The owner is always the bucket's account
 * (cross-account writers are not modelled). Pure functions.
 */
import { ServiceError } from '../../shared/errors.js';
import type { Grant, Grantee, Permission, AccessControlPolicy } from '../../models/generated/s3.js';
import { canonicalId } from './buckets.js';

/** Group grantee URIs. */
export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const GROUPS: ReadonlySet<string> = new Set([ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY]);
/** The canonical user id S3 grants READ under aws-exec-read (Amazon EC2). */
const EC2_CANONICAL_ID = '6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c';
const CANONICAL_ID = /^[0-9a-f]{64}$/;

/** The ACL members an input may carry (CreateBucket, PutObject, PutBucketAcl, ...). */
export interface AclInput {
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
  AccessControlPolicy?: AccessControlPolicy;
}

const GRANT_HEADERS: readonly (readonly [keyof AclInput, Permission])[] = [
  ['GrantRead', 'READ'], ['GrantWrite', 'WRITE'], ['GrantReadACP', 'READ_ACP'], ['GrantWriteACP', 'WRITE_ACP'], ['GrantFullControl', 'FULL_CONTROL'],
];

const user = (id: string): Grantee => ({ ID: id, Type: 'CanonicalUser' });
const group = (uri: string): Grantee => ({ Type: 'Group', URI: uri });

/** The owner's FULL_CONTROL grant. */
export function ownerGrant(account: string): Grant {
  return { Grantee: user(canonicalId(account)), Permission: 'FULL_CONTROL' };
}

function invalidArgument(message: string, name: string, value: string): ServiceError {
  return new ServiceError('InvalidArgument', message, { status: 400, fields: { ArgumentName: name, ArgumentValue: value } });
}

/** The grants of a canned ACL for an owner; S3's InvalidArgument for an unknown name. */
export function cannedGrants(acl: string, account: string, forBucket: boolean): Grant[] {
  const owner = ownerGrant(account);
  switch (acl) {
    case 'private': return [owner];
    case 'public-read': return [owner, { Grantee: group(ALL_USERS), Permission: 'READ' }];
    case 'public-read-write': return [owner, { Grantee: group(ALL_USERS), Permission: 'READ' }, { Grantee: group(ALL_USERS), Permission: 'WRITE' }];
    case 'authenticated-read': return [owner, { Grantee: group(AUTHENTICATED_USERS), Permission: 'READ' }];
    case 'aws-exec-read': return [owner, { Grantee: user(EC2_CANONICAL_ID), Permission: 'READ' }];
    case 'log-delivery-write':
      if (forBucket) return [owner, { Grantee: group(LOG_DELIVERY), Permission: 'WRITE' }, { Grantee: group(LOG_DELIVERY), Permission: 'READ_ACP' }];
      break;
    // The object's owner is the bucket owner here, so these name no one else.
    case 'bucket-owner-read':
    case 'bucket-owner-full-control':
      if (!forBucket) return [owner];
      break;
  }
  return [owner];
}

/** One x-amz-grant-* header (`id="…", uri="…", emailAddress="…"`) as grantees. */
function parseGrantHeader(header: string, value: string): Grantee[] {
  const out: Grantee[] = [];
  for (const raw of value.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const kind = eq < 0 ? '' : part.slice(0, eq).trim().toLowerCase();
    const v = eq < 0 ? '' : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (kind === 'id') out.push(checkGrantee(user(v)));
    else if (kind === 'uri') out.push(checkGrantee(group(v)));
    else if (kind === 'emailaddress') throw unresolvableEmail(v);
    else throw invalidArgument('Argument format not recognized', header, value);
  }
  return out;
}

function unresolvableEmail(email: string): ServiceError {
  return new ServiceError('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', { status: 400, fields: { EmailAddressProvided: email } });
}

/** A grantee as S3 accepts it: a 64-hex canonical id or a known group; stored without what S3 fills in. */
function checkGrantee(g: Grantee): Grantee {
  if (g.Type === 'CanonicalUser') {
    if (g.ID === undefined || !CANONICAL_ID.test(g.ID)) throw invalidArgument('Invalid id', 'CanonicalUser/ID', g.ID ?? '');
    return user(g.ID);
  }
  if (g.Type === 'Group') {
    if (g.URI === undefined || !GROUPS.has(g.URI)) throw invalidArgument('Invalid group uri', 'Group/URI', g.URI ?? '');
    return group(g.URI);
  }
  if (g.Type === 'AmazonCustomerByEmail') throw unresolvableEmail(g.EmailAddress ?? '');
  throw malformedAcl();
}

/** 400 MalformedACLError. */
export function malformedAcl(): ServiceError {
  return new ServiceError('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema', { status: 400 });
}

/** Whether an input names an ACL in any form. */
export function hasAcl(input: AclInput): boolean {
  return input.ACL !== undefined || input.AccessControlPolicy !== undefined || GRANT_HEADERS.some(([h]) => input[h] !== undefined);
}

/**
 * The grants an input sets, or undefined when it sets none: a canned ACL, grant headers
 * (not both), or (Put*Acl only) an AccessControlPolicy whose owner must be the bucket owner.
 */
export function grantsOf(input: AclInput, account: string, forBucket: boolean): Grant[] | undefined {
  const headers = GRANT_HEADERS.filter(([h]) => input[h] !== undefined);
  if (input.ACL !== undefined && headers.length > 0) {
    throw new ServiceError('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed', { status: 400 });
  }
  const fromHeaders = input.ACL !== undefined || headers.length > 0;
  if (input.AccessControlPolicy !== undefined) {
    if (fromHeaders) throw new ServiceError('UnexpectedContent', 'This request does not support content', { status: 400 });
    const policy = input.AccessControlPolicy;
    if (policy.Owner?.ID === undefined) throw malformedAcl();
    if (policy.Owner.ID !== canonicalId(account)) throw new ServiceError('AccessDenied', 'Access Denied', { status: 403 });
    return (policy.Grants ?? []).map((g) => {
      if (g.Grantee === undefined || g.Permission === undefined) throw malformedAcl();
      return { Grantee: checkGrantee(g.Grantee), Permission: g.Permission };
    });
  }
  if (input.ACL !== undefined) return cannedGrants(input.ACL, account, forBucket);
  if (headers.length === 0) return undefined;
  const grants: Grant[] = [];
  for (const [h, permission] of headers) for (const grantee of parseGrantHeader(h, input[h] as string)) grants.push({ Grantee: grantee, Permission: permission });
  return grants;
}

/** Whether grants say no more than "the owner has full control" (what BucketOwnerEnforced accepts). */
export function onlyOwnerFullControl(grants: readonly Grant[], account: string): boolean {
  const id = canonicalId(account);
  return grants.length > 0 && grants.every((g) => g.Permission === 'FULL_CONTROL' && g.Grantee?.Type === 'CanonicalUser' && g.Grantee.ID === id);
}

/** 400 AccessControlListNotSupported: ACLs are disabled (BucketOwnerEnforced). */
export function aclNotSupported(): ServiceError {
  return new ServiceError('AccessControlListNotSupported', 'The bucket does not allow ACLs', { status: 400 });
}

/** Whether grants give everyone a permission (directly or through FULL_CONTROL). */
export function grantsAllUsers(grants: readonly Grant[], permission: Permission): boolean {
  return grants.some((g) => g.Grantee?.Type === 'Group' && g.Grantee.URI === ALL_USERS && (g.Permission === permission || g.Permission === 'FULL_CONTROL'));
}
