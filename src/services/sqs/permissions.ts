/**
 * AddPermission and RemovePermission edit the queue's Policy: one statement per
 * label, allowing the named accounts the named actions on the queue (AddPermission
 * API reference). Pure: policy text in, policy text out.
 */
import { ServiceError } from '../../shared/errors.js';

/** Actions another account may be granted (AddPermission API reference: owner-only actions are refused). */
const SHAREABLE = new Set(['*', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue']);

interface Statement { Sid?: string; [k: string]: unknown }
interface Policy { Version?: string; Id?: string; Statement?: Statement[] | Statement; [k: string]: unknown }

function parse(policy: string | undefined, queueArn: string): Policy & { Statement: Statement[] } {
  const p: Policy = policy ? (JSON.parse(policy) as Policy) : { Version: '2012-10-17', Id: `${queueArn}/SQSDefaultPolicy` };
  const st = p.Statement === undefined ? [] : Array.isArray(p.Statement) ? p.Statement : [p.Statement];
  return { ...p, Statement: st };
}

function labelInvalid(label: string, reason: string): ServiceError {
  return new ServiceError('InvalidParameterValue', `Value ${label} for parameter Label is invalid. Reason: ${reason}`, { status: 400 });
}

/** The policy with a statement for `label` added. */
export function addPermission(policy: string | undefined, queueArn: string, label: string, accounts: readonly string[], actions: readonly string[]): string {
  for (const a of actions) {
    if (!SHAREABLE.has(a)) {
      throw new ServiceError('InvalidParameterValue', `Value SQS:${a} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.`, { status: 400 });
    }
  }
  const p = parse(policy, queueArn);
  if (p.Statement.some((s) => s.Sid === label)) throw labelInvalid(label, 'Already exists.');
  const principals = accounts.map((a) => `arn:aws:iam::${a}:root`);
  const names = actions.map((a) => `SQS:${a}`);
  p.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: names.length === 1 ? names[0] : names,
    Resource: queueArn,
  });
  return JSON.stringify(p);
}

/** The policy without the statement for `label`; undefined when no statement is left. */
export function removePermission(policy: string | undefined, queueArn: string, label: string): string | undefined {
  const p = parse(policy, queueArn);
  const kept = p.Statement.filter((s) => s.Sid !== label);
  if (kept.length === p.Statement.length) throw labelInvalid(label, 'can\'t find label on existing policy.');
  if (kept.length === 0) return undefined;
  return JSON.stringify({ ...p, Statement: kept });
}
