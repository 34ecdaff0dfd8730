/** Helpers shared by DynamoDB's operations: table lookup, ConsumedCapacity, expression checks. */
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../gateway/context.js';
import type { ConsumedCapacity } from '../../models/generated/dynamodb.js';
import type { DynamoStore, StoredTable } from './store.js';
import type { Capacity } from './writes.js';
import { checkTableName } from './table-meta.js';

/** The table name of a TableName parameter, which may also be the table's ARN. */
export function tableNameOf(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const i = nameOrArn.indexOf(':table/');
  if (i < 0) throw new ServiceError('ValidationException', `Invalid TableName: ${nameOrArn}`);
  const rest = nameOrArn.slice(i + 7);
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : rest.slice(0, slash);
}

/** The table a data-plane request names; DynamoDB answers "Requested resource not found" without the name. */
export function requireTable(store: DynamoStore, ctx: RequestContext, nameOrArn: string): StoredTable {
  const t = store.table(ctx.account, ctx.region, tableNameOf(nameOrArn));
  if (!t) {
    checkTableName(nameOrArn);
    throw new ServiceError('ResourceNotFoundException', 'Requested resource not found');
  }
  return t;
}

/** Whether a request asks for ConsumedCapacity (TOTAL or INDEXES). */
export function wantsCapacity(mode: string | undefined): boolean {
  return mode === 'TOTAL' || mode === 'INDEXES';
}

/** The ConsumedCapacity entry of one table for ReturnConsumedCapacity TOTAL or INDEXES; undefined for NONE. */
export function consumedCapacity(mode: string | undefined, tableName: string, cap: Capacity | undefined): ConsumedCapacity | undefined {
  if ((mode !== 'TOTAL' && mode !== 'INDEXES') || !cap) return undefined;
  let total = cap.table;
  for (const e of cap.indexes.values()) total += e.units;
  const out: ConsumedCapacity = { TableName: tableName, CapacityUnits: total };
  if (mode === 'INDEXES') {
    out.Table = { CapacityUnits: cap.table };
    for (const [name, e] of cap.indexes) {
      const key = e.global ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
      (out[key] ??= {})[name] = { CapacityUnits: e.units };
    }
  }
  return out;
}

/**
 * DynamoDB refuses a request mixing expression and legacy parameters, naming both sets:
 * "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}".
 */
export function checkNotMixed(input: Record<string, unknown>, legacy: readonly string[], expressions: readonly string[]): void {
  let any = false;
  for (const k of legacy) if (input[k] !== undefined) any = true;
  if (!any) return;
  const l = legacy.filter((k) => input[k] !== undefined);
  const e = expressions.filter((k) => input[k] !== undefined);
  if (l.length && e.length) {
    throw new ServiceError('ValidationException', `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${l.join(', ')}} Expression parameters: {${e.join(', ')}}`);
  }
}
