/**
 * Static website hosting (Amazon S3 user guide, "Hosting a static website"): the website
 * configuration as PutBucketWebsite validates it, and the routing decisions of the website
 * endpoint (index documents, RedirectAllRequestsTo, routing rules). Pure functions.
 */
import { ServiceError } from '../../shared/errors.js';
import type { RoutingRule, WebsiteConfiguration } from '../../models/generated/s3.js';

/** 400 InvalidArgument naming the element. */
function invalidArgument(message: string, name: string, value: string | undefined): ServiceError {
  return new ServiceError('InvalidArgument', message, { status: 400, fields: { ArgumentName: name, ArgumentValue: value ?? 'null' } });
}

function invalidRequest(message: string): ServiceError {
  return new ServiceError('InvalidRequest', message, { status: 400 });
}

const MAX_ROUTING_RULES = 50;

/** Checks a website configuration as PutBucketWebsite does; throws S3's error. */
export function validateWebsite(c: WebsiteConfiguration): void {
  if (c.RedirectAllRequestsTo !== undefined) {
    if (c.IndexDocument !== undefined || c.ErrorDocument !== undefined || c.RoutingRules !== undefined) {
      throw invalidArgument('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo', undefined);
    }
    if (c.RedirectAllRequestsTo.HostName === '') throw invalidArgument('The HostName is not well formed', 'HostName', '');
    return;
  }
  if (c.IndexDocument === undefined) {
    throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', undefined);
  }
  const suffix = c.IndexDocument.Suffix;
  if (suffix === '' || suffix.includes('/')) throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix);
  if (c.ErrorDocument !== undefined && c.ErrorDocument.Key === '') throw invalidArgument('The ErrorDocument Key is not well formed', 'ErrorDocument', '');
  const rules = c.RoutingRules ?? [];
  if (rules.length > MAX_ROUTING_RULES) throw invalidRequest(`The number of routing rules must not exceed the allowed limit of ${MAX_ROUTING_RULES} rules.`);
  for (const rule of rules) {
    const r = rule.Redirect;
    if (r.ReplaceKeyPrefixWith !== undefined && r.ReplaceKeyWith !== undefined) {
      throw invalidRequest('You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
    }
    if (r.HttpRedirectCode !== undefined && (!/^3\d\d$/.test(r.HttpRedirectCode) || r.HttpRedirectCode === '300')) {
      throw invalidRequest(`The provided HTTP redirect code (${r.HttpRedirectCode}) is not valid. Valid codes are 3XX except 300.`);
    }
    const code = rule.Condition?.HttpErrorCodeReturnedEquals;
    if (code !== undefined && !/^[45]\d\d$/.test(code)) {
      throw invalidRequest(`The provided HTTP error code (${code}) is not valid. Valid codes are 4XX or 5XX.`);
    }
    if (rule.Condition !== undefined && rule.Condition.KeyPrefixEquals === undefined && code === undefined) {
      throw invalidRequest('Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn\'t be present.');
    }
  }
}

/** A redirect the website endpoint answers: status and Location. */
export interface WebsiteRedirect {
  status: number;
  location: string;
}

/** The first routing rule matching a key (and, after a failed read, the error status). */
export function matchRoutingRule(rules: readonly RoutingRule[] | undefined, key: string, errorStatus: number | undefined): RoutingRule | undefined {
  if (!rules) return undefined;
  for (const rule of rules) {
    const c = rule.Condition;
    if (c?.KeyPrefixEquals !== undefined && !key.startsWith(c.KeyPrefixEquals)) continue;
    if (c?.HttpErrorCodeReturnedEquals !== undefined) {
      if (errorStatus === undefined || String(errorStatus) !== c.HttpErrorCodeReturnedEquals) continue;
    } else if (errorStatus !== undefined) {
      // Rules without an error condition were tried before the read.
      continue;
    }
    return rule;
  }
  return undefined;
}

/** Percent-encodes a key for a Location header, keeping its slashes. */
function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/');
}

/** Where a routing rule sends a request for `key`; `host` is the website host as the client addressed it. */
export function ruleRedirect(rule: RoutingRule, key: string, host: string): WebsiteRedirect {
  const r = rule.Redirect;
  let target = key;
  if (r.ReplaceKeyWith !== undefined) target = r.ReplaceKeyWith;
  else if (r.ReplaceKeyPrefixWith !== undefined) {
    const prefix = rule.Condition?.KeyPrefixEquals ?? '';
    target = r.ReplaceKeyPrefixWith + key.slice(prefix.length);
  }
  const protocol = r.Protocol ?? 'http';
  return { status: r.HttpRedirectCode !== undefined ? Number(r.HttpRedirectCode) : 301, location: `${protocol}://${r.HostName ?? host}/${encodeKey(target)}` };
}

/** RedirectAllRequestsTo: every request to the same path on another host. */
export function redirectAll(c: NonNullable<WebsiteConfiguration['RedirectAllRequestsTo']>, key: string): WebsiteRedirect {
  return { status: 301, location: `${c.Protocol ?? 'http'}://${c.HostName}/${encodeKey(key)}` };
}

/** The object key a website path asks for: the index document for the root and for `dir/`. */
export function websiteKey(key: string, suffix: string): string {
  return key === '' || key.endsWith('/') ? key + suffix : key;
}
