/** The ACL engine by table: canned ACLs, grant headers, documents, and what BucketOwnerEnforced accepts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_USERS, LOG_DELIVERY, cannedGrants, grantsAllUsers, grantsOf, onlyOwnerFullControl, ownerGrant } from './acl.js';
import { canonicalId } from './buckets.js';

const A = '000000000000';
const other = 'b'.repeat(64);

test('canned ACLs', () => {
  assert.deepEqual(cannedGrants('private', A, true), [ownerGrant(A)]);
  assert.deepEqual(cannedGrants('log-delivery-write', A, true).slice(1).map((g) => [g.Grantee?.URI, g.Permission]), [[LOG_DELIVERY, 'WRITE'], [LOG_DELIVERY, 'READ_ACP']]);
  assert.deepEqual(cannedGrants('bucket-owner-full-control', A, false), [ownerGrant(A)]);
  assert.equal(grantsAllUsers(cannedGrants('public-read-write', A, true), 'WRITE'), true);
  assert.equal(grantsAllUsers(cannedGrants('public-read', A, true), 'WRITE'), false);
});

test('grant headers: ids and uris, several per header, in header order', () => {
  const grants = grantsOf({ GrantWrite: `id="${other}"`, GrantRead: `uri="${ALL_USERS}", id=${other}` }, A, true)!;
  assert.deepEqual(grants.map((g) => [g.Grantee?.Type, g.Grantee?.ID ?? g.Grantee?.URI, g.Permission]), [
    ['Group', ALL_USERS, 'READ'], ['CanonicalUser', other, 'READ'], ['CanonicalUser', other, 'WRITE'],
  ]);
  assert.equal(grantsOf({}, A, true), undefined);
  assert.throws(() => grantsOf({ GrantRead: 'bogus' }, A, true), { code: 'InvalidArgument', message: 'Argument format not recognized' });
});

test('documents: the owner must be the bucket owner; grantees are checked', () => {
  const owner = { ID: canonicalId(A) };
  assert.deepEqual(grantsOf({ AccessControlPolicy: { Owner: owner, Grants: [] } }, A, true), []);
  assert.throws(() => grantsOf({ AccessControlPolicy: { Grants: [] } }, A, true), { code: 'MalformedACLError' });
  assert.throws(() => grantsOf({ ACL: 'private', AccessControlPolicy: { Owner: owner } }, A, true), { code: 'UnexpectedContent' });
  assert.throws(() => grantsOf({ AccessControlPolicy: { Owner: owner, Grants: [{ Grantee: { Type: 'Group', URI: 'x' }, Permission: 'READ' }] } }, A, true), { code: 'InvalidArgument', message: 'Invalid group uri' });
});

test('BucketOwnerEnforced accepts only the owner\'s full control', () => {
  assert.equal(onlyOwnerFullControl([ownerGrant(A)], A), true);
  assert.equal(onlyOwnerFullControl(cannedGrants('public-read', A, true), A), false);
  assert.equal(onlyOwnerFullControl([], A), false);
});
