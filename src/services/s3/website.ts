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

/** What a bucket policy says of one anonymous request: an explicit Deny wins over an Allow. */
export type PolicyDecision = 'allow' | 'deny' | undefined;

/** One statement compiled for anonymous s3:GetObject checks. */
interface CompiledStatement {
  allow: boolean;
  /** Whether the statement's principal covers an anonymous caller. */
  anonymous: boolean;
  /** Whether the statement covers s3:GetObject. */
  getObject: boolean;
  resources: readonly RegExp[];
  notResource: boolean;
}

/** Compiled bucket policies by their text: the website endpoint compiles no pattern per request. */
const compiledPolicies = new Map<string, readonly CompiledStatement[]>();
const POLICY_CACHE = 1000;
const GET_OBJECT = 's3:getobject';

/** An IAM wildcard pattern (`*` any run, `?` one character) as an anchored regular expression. */
function wildcard(pattern: string, flags = ''): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Whether a Principal (or NotPrincipal) value names everyone: `"*"` or `{"AWS": "*"}`. */
function namesEveryone(p: unknown): boolean {
  if (p === '*') return true;
  if (p && typeof p === 'object') return list((p as Record<string, unknown>).AWS).includes('*');
  return false;
}

/**
 * The conditions a website request satisfies: it comes over plain HTTP, so only
 * aws:SecureTransport = false is known; a statement with any other condition is not applied.
 */
function conditionsHold(condition: unknown): boolean {
  if (condition === undefined) return true;
  if (!condition || typeof condition !== 'object') return false;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (operator !== 'Bool' || !block || typeof block !== 'object') return false;
    for (const [name, value] of Object.entries(block as Record<string, unknown>)) {
      if (name.toLowerCase() !== 'aws:securetransport') return false;
      if (!list(value).some((v) => String(v).toLowerCase() === 'false')) return false;
    }
  }
  return true;
}

function compilePolicy(text: string): readonly CompiledStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const out: CompiledStatement[] = [];
  for (const raw of list((doc as Record<string, unknown> | null)?.Statement)) {
    if (!raw || typeof raw !== 'object') continue;
    const s = raw as Record<string, unknown>;
    if (!conditionsHold(s.Condition)) continue;
    const anonymous = s.Principal !== undefined ? namesEveryone(s.Principal) : s.NotPrincipal !== undefined && !namesEveryone(s.NotPrincipal);
    const actions = s.Action !== undefined ? s.Action : s.NotAction;
    const matched = list(actions).some((a) => typeof a === 'string' && wildcard(a.toLowerCase()).test(GET_OBJECT));
    const notResource = s.Resource === undefined;
    out.push({
      allow: s.Effect === 'Allow',
      anonymous,
      getObject: s.Action !== undefined ? matched : !matched,
      resources: list(notResource ? s.NotResource : s.Resource).filter((r): r is string => typeof r === 'string').map((r) => wildcard(r)),
      notResource,
    });
  }
  return out;
}

/**
 * What a bucket policy says of an anonymous s3:GetObject on `bucket/key` (IAM user guide,
 * "Policy evaluation logic": an explicit Deny overrides any Allow). A small evaluator of
 * Principal "*", Action/NotAction, Resource/NotResource and the SecureTransport condition,
 * enough for the website endpoint until the IAM engine evaluates bucket policies.
 */
export function anonymousGetObject(policyText: string, bucket: string, key: string): PolicyDecision {
  let statements = compiledPolicies.get(policyText);
  if (!statements) {
    statements = compilePolicy(policyText);
    if (compiledPolicies.size >= POLICY_CACHE) compiledPolicies.clear();
    compiledPolicies.set(policyText, statements);
  }
  const arn = `arn:aws:s3:::${bucket}/${key}`;
  let decision: PolicyDecision;
  for (const s of statements) {
    if (!s.anonymous || !s.getObject) continue;
    if (s.resources.some((r) => r.test(arn)) === s.notResource) continue;
    if (!s.allow) return 'deny';
    decision = 'allow';
  }
  return decision;
}
