/** The lifecycle engine: validation errors, filter matching, due times and the x-amz-expiration value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LifecycleRule } from '../../models/generated/s3.js';
import { ServiceError } from '../../shared/errors.js';
import { currentExpiry, decodeLifecycle, dueAfterDays, encodeLifecycle, expirationHeader, ruleMatches, validateLifecycle } from './lifecycle.js';

const rule = (r: Partial<LifecycleRule>): LifecycleRule => ({ Status: 'Enabled', Expiration: { Days: 1 }, Filter: { Prefix: '' }, ...r });

function error(rules: LifecycleRule[]): [string, string] {
  try {
    validateLifecycle({ Rules: rules });
  } catch (e) {
    assert.ok(e instanceof ServiceError);
    return [e.code, e.message];
  }
  return ['', ''];
}

test('validation: the first fault gets S3 error code and message', () => {
  const MALFORMED: [string, string] = ['MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'];
  const cases: [LifecycleRule[], [string, string]][] = [
    [[], MALFORMED],
    [Array.from({ length: 1001 }, (_, i) => rule({ ID: `r${i}` })), MALFORMED],
    [[rule({ Status: 'On' as 'Enabled' })], MALFORMED],
    [[rule({ ID: 'a' }), rule({ ID: 'a' })], ['InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule']],
    [[rule({ ID: 'x'.repeat(256) })], ['InvalidArgument', 'ID length should not exceed allowed limit of 255']],
    [[rule({ Prefix: 'a/', Filter: { Prefix: 'a/' } })], MALFORMED],
    [[rule({ Filter: { Prefix: 'a/', ObjectSizeGreaterThan: 5 } })], MALFORMED],
    [[rule({ Expiration: { Days: 0 } })], ['InvalidArgument', "'Days' for Expiration action must be a positive integer"]],
    [[rule({ Expiration: { Date: new Date('2030-01-01T12:00:00Z') } })], ['InvalidArgument', "'Date' must be at midnight GMT"]],
    [[rule({ Expiration: { Days: 3, Date: new Date('2030-01-01T00:00:00Z') } })], MALFORMED],
    [[rule({ Expiration: { Days: 3, ExpiredObjectDeleteMarker: true } })], MALFORMED],
    [[rule({ Expiration: undefined })], ['InvalidRequest', 'At least one action needs to be specified in a rule']],
    [[rule({ NoncurrentVersionExpiration: { NoncurrentDays: -1 } })], ['InvalidArgument', "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"]],
    [[rule({ Filter: { And: { Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } } })], ['InvalidRequest', 'Duplicate Tag Keys are not allowed.']],
  ];
  for (const [rules, expected] of cases) assert.deepEqual(error(rules), expected, JSON.stringify(rules[0]));
  assert.deepEqual(error([rule({ ID: 'ok', Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] }), rule({ ID: 'm', Expiration: { ExpiredObjectDeleteMarker: true } })]), ['', '']);
});

test('filters select by prefix, tags (all of And) and size bounds', () => {
  const obj = { key: 'logs/a.txt', size: 100, tags: [{ Key: 'env', Value: 'dev' }, { Key: 't', Value: '1' }] };
  const table: [LifecycleRule['Filter'] | undefined, string | undefined, boolean][] = [
    [undefined, undefined, true],
    [undefined, 'logs/', true],
    [undefined, 'other/', false],
    [{ Prefix: 'logs/' }, undefined, true],
    [{ Prefix: 'log/' }, undefined, false],
    [{ Tag: { Key: 'env', Value: 'dev' } }, undefined, true],
    [{ Tag: { Key: 'env', Value: 'prod' } }, undefined, false],
    [{ And: { Prefix: 'logs/', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 't', Value: '1' }] } }, undefined, true],
    [{ And: { Prefix: 'logs/', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 't', Value: '2' }] } }, undefined, false],
    [{ ObjectSizeGreaterThan: 99 }, undefined, true],
    [{ ObjectSizeGreaterThan: 100 }, undefined, false],
    [{ ObjectSizeLessThan: 101 }, undefined, true],
    [{ And: { ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 100 } }, undefined, false],
  ];
  for (const [Filter, Prefix, expected] of table) assert.equal(ruleMatches({ Status: 'Enabled', Filter, Prefix }, obj), expected, JSON.stringify({ Filter, Prefix }));
});

test('Days fall due at the midnight UTC after creation plus the days; the header names the earliest rule', () => {
  // User guide example: created 2014-01-15 10:30 UTC with Days 3 expires 2014-01-19 00:00 UTC.
  assert.equal(new Date(dueAfterDays(Date.parse('2014-01-15T10:30:00Z'), 3)).toISOString(), '2014-01-19T00:00:00.000Z');
  const rules = [
    rule({ ID: 'late', Expiration: { Days: 30 } }),
    rule({ ID: 'picture deletion', Filter: { Prefix: 'pics/' }, Expiration: { Date: new Date('2012-12-23T00:00:00Z') } }),
    rule({ ID: 'off', Status: 'Disabled', Expiration: { Days: 1 } }),
  ];
  const e = currentExpiry(rules, { key: 'pics/a.jpg', size: 1, tags: [] }, Date.parse('2012-12-01T05:00:00Z'));
  assert.deepEqual(e, { at: Date.parse('2012-12-23T00:00:00Z'), ruleId: 'picture deletion' });
  assert.equal(expirationHeader(e!), 'expiry-date="Sun, 23 Dec 2012 00:00:00 GMT", rule-id="picture%20deletion"');
  assert.equal(currentExpiry(rules, { key: 'doc', size: 1, tags: [] }, Date.parse('2012-12-01T05:00:00Z'))!.ruleId, 'late');
  assert.equal(currentExpiry([rules[2]!], { key: 'doc', size: 1, tags: [] }, 0), undefined);
});

test('stored rules round-trip with their dates', () => {
  const rules = [rule({ ID: 'd', Expiration: { Date: new Date('2030-01-01T00:00:00Z') }, Transitions: [{ Date: new Date('2029-01-01T00:00:00Z'), StorageClass: 'GLACIER' }] })];
  assert.deepEqual(decodeLifecycle(encodeLifecycle(rules)), rules);
});
