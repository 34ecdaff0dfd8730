/** The website endpoint's evaluator of bucket policies for anonymous s3:GetObject, by table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymousGetObject } from './website.js';

const policy = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (extra: Record<string, unknown>) => ({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...extra });

test('anonymous s3:GetObject by Principal, Action and Resource', () => {
  const cases: Array<[string, string, ReturnType<typeof anonymousGetObject>]> = [
    [policy(allow({})), 'k', 'allow'],
    [policy(allow({ Principal: { AWS: '*' } })), 'k', 'allow'],
    [policy(allow({ Principal: { AWS: 'arn:aws:iam::111111111111:root' } })), 'k', undefined],
    [policy(allow({ Principal: { Service: 'cloudfront.amazonaws.com' } })), 'k', undefined],
    [policy(allow({ Action: 'S3:GETOBJECT' })), 'k', 'allow'],
    [policy(allow({ Action: '*' })), 'k', 'allow'],
    [policy(allow({ Action: 's3:GetObjectVersion' })), 'k', undefined],
    [policy(allow({ Action: undefined, NotAction: 's3:PutObject' })), 'k', 'allow'],
    [policy(allow({ Action: undefined, NotAction: 's3:Get*' })), 'k', undefined],
    [policy(allow({ Resource: 'arn:aws:s3:::b/img/*' })), 'img/a.png', 'allow'],
    [policy(allow({ Resource: 'arn:aws:s3:::b/img/*' })), 'doc/a.html', undefined],
    [policy(allow({ Resource: 'arn:aws:s3:::b/?.html' })), 'a.html', 'allow'],
    [policy(allow({ Resource: 'arn:aws:s3:::b/?.html' })), 'ab.html', undefined],
    [policy(allow({ Resource: 'arn:aws:s3:::b' })), 'k', undefined],
    [policy(allow({ Resource: 'arn:aws:s3:::other/*' })), 'k', undefined],
    [policy(allow({ Resource: undefined, NotResource: 'arn:aws:s3:::b/private/*' })), 'private/x', undefined],
    [policy(allow({ Resource: undefined, NotResource: 'arn:aws:s3:::b/private/*' })), 'public/x', 'allow'],
    [policy(allow({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' } })), 'k', 'allow'],
    [policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })), 'k', undefined],
    [policy(allow({}), { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/k' }), 'k', 'deny'],
    [policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }, allow({})), 'k', 'deny'],
    [policy(allow({}), { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), 'k', 'allow'],
    ['not json', 'k', undefined],
  ];
  for (const [text, key, want] of cases) assert.equal(anonymousGetObject(text, 'b', key), want, `${text} ${key}`);
});

test('a statement object instead of an array, and keys with regular-expression characters', () => {
  assert.equal(anonymousGetObject(JSON.stringify({ Statement: allow({ Resource: 'arn:aws:s3:::b/a+b(1).html' }) }), 'b', 'a+b(1).html'), 'allow');
  assert.equal(anonymousGetObject(JSON.stringify({ Statement: allow({ Resource: 'arn:aws:s3:::b/a+b(1).html' }) }), 'b', 'aab(1).html'), undefined);
});
