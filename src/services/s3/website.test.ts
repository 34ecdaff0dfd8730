/** The website engine by table: configuration checks, routing rules, redirects, index keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchRoutingRule, redirectAll, ruleRedirect, validateWebsite, websiteKey } from './website.js';
import { isWebsiteHost } from './website-serve.js';
import type { RoutingRule } from '../../models/generated/s3.js';

test('website hosts: s3-website-<region>, s3-website.<region>, s3-website; not REST hosts', () => {
  for (const h of ['b.s3-website-us-east-1.localhost:4566', 'b.s3-website.eu-west-1.localhost', 'my.site.s3-website.localhost']) assert.equal(isWebsiteHost(h), true, h);
  for (const h of ['b.s3.localhost', 'b.localhost:4566', '127.0.0.1:4566', 's3-website.localhost', 'b.s3-websites.localhost']) assert.equal(isWebsiteHost(h), false, h);
});

test('index keys for the root and folders', () => {
  assert.deepEqual([websiteKey('', 'index.html'), websiteKey('a/', 'index.html'), websiteKey('a/b.css', 'index.html')], ['index.html', 'a/index.html', 'a/b.css']);
});

const RULES: RoutingRule[] = [
  { Condition: { KeyPrefixEquals: 'docs/' }, Redirect: { ReplaceKeyPrefixWith: 'documents/' } },
  { Condition: { HttpErrorCodeReturnedEquals: '404' }, Redirect: { HostName: 'h.example', ReplaceKeyWith: '404.html', Protocol: 'https', HttpRedirectCode: '307' } },
];

test('routing rules: prefix rules before the read, error rules after it', () => {
  assert.equal(matchRoutingRule(RULES, 'docs/a.html', undefined), RULES[0]);
  assert.equal(matchRoutingRule(RULES, 'img/a.png', undefined), undefined);
  assert.equal(matchRoutingRule(RULES, 'img/a.png', 404), RULES[1]);
  assert.equal(matchRoutingRule(RULES, 'img/a.png', 403), undefined);
  assert.deepEqual(ruleRedirect(RULES[0]!, 'docs/a b.html', 'site:1'), { status: 301, location: 'http://site:1/documents/a%20b.html' });
  assert.deepEqual(ruleRedirect(RULES[1]!, 'x', 'site'), { status: 307, location: 'https://h.example/404.html' });
  assert.deepEqual(redirectAll({ HostName: 'n.example' }, 'a/b'), { status: 301, location: 'http://n.example/a/b' });
});

test('configuration checks', () => {
  assert.doesNotThrow(() => validateWebsite({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: RULES }));
  assert.doesNotThrow(() => validateWebsite({ RedirectAllRequestsTo: { HostName: 'x' } }));
  const message = (f: () => void) => { try { f(); } catch (e) { return (e as Error).message; } return ''; };
  assert.equal(message(() => validateWebsite({ IndexDocument: { Suffix: '' } })), 'The IndexDocument Suffix is not well formed');
  assert.equal(message(() => validateWebsite({ IndexDocument: { Suffix: 'i' }, RoutingRules: [{ Condition: {}, Redirect: {} }] })), 'Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn\'t be present.');
  assert.equal(message(() => validateWebsite({ IndexDocument: { Suffix: 'i' }, RoutingRules: [{ Condition: { HttpErrorCodeReturnedEquals: '200' }, Redirect: {} }] })), 'The provided HTTP error code (200) is not valid. Valid codes are 4XX or 5XX.');
  assert.equal(message(() => validateWebsite({ IndexDocument: { Suffix: 'i' }, RoutingRules: [{ Redirect: { HttpRedirectCode: '300' } }] })), 'The provided HTTP redirect code (300) is not valid. Valid codes are 3XX except 300.');
});
