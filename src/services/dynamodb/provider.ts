/**
 * The DynamoDB provider: thin methods over the control plane (operations/tables.ts),
 * single items (operations/items.ts), reads (operations/reads.ts) and multi-item
 * operations (operations/batch.ts), all on one SQLite store. Reads answered over the
 * wire carry items as their stored JSON text (item-codec rawItem); internal callers
 * get parsed items.
 */
import type { RequestContext, ServiceEnv } from '../../gateway/context.js';
import type * as M from '../../models/generated/dynamodb.js';
import { DynamoStore } from './store.js';
import * as tables from './operations/tables.js';
import * as items from './operations/items.js';
import * as reads from './operations/reads.js';
import * as batch from './operations/batch.js';
import * as partiql from './operations/partiql.js';
import * as backups from './operations/backups.js';
import { BackupStore } from './backup-store.js';
import { GroupCommit } from '../../state/group-commit.js';

/** The dynamodb provider. */
export class DynamoDbProvider implements M.DynamoDbOperations {
  readonly store: DynamoStore;
  /** On-demand backups and PITR settings. */
  readonly backups: BackupStore;

  /**
   * Single-item writes of one event-loop turn (many connections under load) commit
   * together, each in a savepoint of its own; each is answered after the commit.
   */
  private readonly writes: GroupCommit;

  constructor(readonly env: ServiceEnv) {
    this.store = new DynamoStore(env.storage, env.clock);
    this.writes = new GroupCommit((fn) => this.store.transaction(fn), () => env.storage.db.inTransaction);
    this.store.itemCollectionLimit = env.config.dynamodbItemCollectionLimit ?? this.store.itemCollectionLimit;
    this.backups = new BackupStore(env.storage);
  }

  async createTable(ctx: RequestContext, input: M.CreateTableInput): Promise<M.CreateTableOutput> { return tables.createTable(this.store, ctx, input); }
  async describeTable(ctx: RequestContext, input: M.DescribeTableInput): Promise<M.DescribeTableOutput> { return tables.describe(this.store, ctx, input); }
  async deleteTable(ctx: RequestContext, input: M.DeleteTableInput): Promise<M.DeleteTableOutput> { return tables.deleteTable(this.store, ctx, input); }
  async listTables(ctx: RequestContext, input: M.ListTablesInput): Promise<M.ListTablesOutput> { return tables.listTables(this.store, ctx, input); }
  async updateTable(ctx: RequestContext, input: M.UpdateTableInput): Promise<M.UpdateTableOutput> { return tables.updateTable(this.store, ctx, input); }
  async tagResource(ctx: RequestContext, input: M.TagResourceInput): Promise<Record<string, never>> { tables.tagResource(this.store, ctx, input); return {}; }
  async untagResource(ctx: RequestContext, input: M.UntagResourceInput): Promise<Record<string, never>> { tables.untagResource(this.store, ctx, input); return {}; }
  async listTagsOfResource(ctx: RequestContext, input: M.ListTagsOfResourceInput): Promise<M.ListTagsOfResourceOutput> { return tables.listTagsOfResource(this.store, ctx, input); }
  async describeLimits(_ctx: RequestContext, _input: M.DescribeLimitsInput): Promise<M.DescribeLimitsOutput> { return tables.describeLimits(); }
  async describeEndpoints(ctx: RequestContext, _input: M.DescribeEndpointsRequest): Promise<M.DescribeEndpointsResponse> { return tables.describeEndpoints(ctx); }
  async updateTimeToLive(ctx: RequestContext, input: M.UpdateTimeToLiveInput): Promise<M.UpdateTimeToLiveOutput> { return tables.updateTimeToLive(this.store, ctx, input); }
  async describeTimeToLive(ctx: RequestContext, input: M.DescribeTimeToLiveInput): Promise<M.DescribeTimeToLiveOutput> { return tables.describeTimeToLive(this.store, ctx, input); }

  async putItem(ctx: RequestContext, input: M.PutItemInput): Promise<M.PutItemOutput> { return this.writes.run(() => items.putItem(this.store, ctx, input)); }
  async getItem(ctx: RequestContext, input: M.GetItemInput): Promise<M.GetItemOutput> { return items.getItem(this.store, ctx, input, !ctx.internalCall); }
  async updateItem(ctx: RequestContext, input: M.UpdateItemInput): Promise<M.UpdateItemOutput> { return this.writes.run(() => items.updateItem(this.store, ctx, input)); }
  async deleteItem(ctx: RequestContext, input: M.DeleteItemInput): Promise<M.DeleteItemOutput> { return this.writes.run(() => items.deleteItem(this.store, ctx, input)); }
  async query(ctx: RequestContext, input: M.QueryInput): Promise<M.QueryOutput> { return reads.query(this.store, ctx, input, !ctx.internalCall); }
  async scan(ctx: RequestContext, input: M.ScanInput): Promise<M.ScanOutput> { return reads.scan(this.store, ctx, input, !ctx.internalCall); }
  async batchGetItem(ctx: RequestContext, input: M.BatchGetItemInput): Promise<M.BatchGetItemOutput> { return batch.batchGetItem(this.store, ctx, input, !ctx.internalCall); }
  async batchWriteItem(ctx: RequestContext, input: M.BatchWriteItemInput): Promise<M.BatchWriteItemOutput> { return batch.batchWriteItem(this.store, ctx, input); }
  async transactWriteItems(ctx: RequestContext, input: M.TransactWriteItemsInput): Promise<M.TransactWriteItemsOutput> { return batch.transactWriteItems(this.store, ctx, input); }
  async transactGetItems(ctx: RequestContext, input: M.TransactGetItemsInput): Promise<M.TransactGetItemsOutput> { return batch.transactGetItems(this.store, ctx, input, !ctx.internalCall); }

  async executeStatement(ctx: RequestContext, input: M.ExecuteStatementInput): Promise<M.ExecuteStatementOutput> { return partiql.executeStatement(this.store, ctx, input); }
  async batchExecuteStatement(ctx: RequestContext, input: M.BatchExecuteStatementInput): Promise<M.BatchExecuteStatementOutput> { return partiql.batchExecuteStatement(this.store, ctx, input); }
  async executeTransaction(ctx: RequestContext, input: M.ExecuteTransactionInput): Promise<M.ExecuteTransactionOutput> { return partiql.executeTransaction(this.store, ctx, input); }

  async createBackup(ctx: RequestContext, input: M.CreateBackupInput): Promise<M.CreateBackupOutput> { return backups.createBackup(this.store, this.backups, ctx, input); }
  async describeBackup(ctx: RequestContext, input: M.DescribeBackupInput): Promise<M.DescribeBackupOutput> { return backups.describeBackup(this.backups, ctx, input); }
  async listBackups(ctx: RequestContext, input: M.ListBackupsInput): Promise<M.ListBackupsOutput> { return backups.listBackups(this.backups, ctx, input); }
  async deleteBackup(ctx: RequestContext, input: M.DeleteBackupInput): Promise<M.DeleteBackupOutput> { return backups.deleteBackup(this.backups, ctx, input); }
  async restoreTableFromBackup(ctx: RequestContext, input: M.RestoreTableFromBackupInput): Promise<M.RestoreTableFromBackupOutput> { return backups.restoreTableFromBackup(this.store, this.backups, ctx, input); }
  async describeContinuousBackups(ctx: RequestContext, input: M.DescribeContinuousBackupsInput): Promise<M.DescribeContinuousBackupsOutput> { return backups.describeContinuousBackups(this.store, this.backups, ctx, input); }
  async updateContinuousBackups(ctx: RequestContext, input: M.UpdateContinuousBackupsInput): Promise<M.UpdateContinuousBackupsOutput> { return backups.updateContinuousBackups(this.store, this.backups, ctx, input); }
}
