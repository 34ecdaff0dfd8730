/**
 * DynamoDB Streams: its own API (endpoint prefix streams.dynamodb) over the change
 * records the table writes append (stream-log.ts). One shard per stream; shard
 * iterators are opaque tokens naming a position that expire after 15 minutes.
 */
import type { RequestContext, ServiceDefinition, ServiceEnv } from '../../gateway/context.js';
import type * as M from '../../models/generated/streams.dynamodb.js';
import { ServiceError } from '../../shared/errors.js';
import { deserializeItem, rawItem } from './item-codec.js';
import { DynamoStore } from './store.js';
import type { StreamRecordRow, StreamRow } from './stream-log.js';

/** A shard iterator is valid for 15 minutes (API reference, GetShardIterator). */
const ITERATOR_TTL_MS = 15 * 60 * 1000;
const MAX_RECORDS = 1000;
const MAX_BYTES = 1024 * 1024;
const MAX_STREAMS = 100;
const SEQ_DIGITS = 21;

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function streamNotFound(arn: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);
}

function trimmed(): ServiceError {
  return new ServiceError('TrimmedDataAccessException', 'The data you are trying to access has been trimmed');
}

/** A sequence number as the wire carries it: decimal digits, at least 21 of them. */
export function formatSeq(n: number): string {
  return String(n).padStart(SEQ_DIGITS, '0');
}

function parseSeq(text: string): number {
  if (!/^\d{1,40}$/.test(text)) throw invalid(`Invalid SequenceNumber: ${text}`);
  return Number(text);
}

/** Java's Date#toString in UTC, as the iterator expiry message prints times. */
function javaDate(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

interface Position { sid: number; seq: number; issued: number; account: string; region: string }

function encodeIterator(p: Position): string {
  return Buffer.from(`1|${p.sid}|${p.seq}|${p.issued}|${p.account}|${p.region}`).toString('base64url');
}

function decodeIterator(text: string): Position {
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (parts.length !== 6 || parts[0] !== '1') throw invalid('Invalid ShardIterator');
  const [sid, seq, issued] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (!Number.isSafeInteger(sid) || !Number.isSafeInteger(seq) || !Number.isSafeInteger(issued)) throw invalid('Invalid ShardIterator');
  return { sid, seq, issued, account: parts[4]!, region: parts[5]! };
}

function shardOf(row: StreamRow): M.Shard {
  const range: M.SequenceNumberRange = { StartingSequenceNumber: formatSeq(row.base_seq + 1) };
  // A disabled stream's shard is closed at its last record.
  if (row.disabled_at !== null) range.EndingSequenceNumber = formatSeq(row.last_seq);
  return { ShardId: row.shard_id, SequenceNumberRange: range };
}

/** A record; with `raw` its images are their stored text (for the JSON codec only). */
function recordOf(row: StreamRecordRow, stream: StreamRow, raw: boolean): M._Record {
  const image = (text: string) => (raw ? rawItem(text) : deserializeItem(text)) as Record<string, M.AttributeValue>;
  const dynamodb: M.StreamRecord = {
    // Epoch seconds, rounded down (API reference, StreamRecord).
    ApproximateCreationDateTime: new Date(Math.floor(row.created / 1000) * 1000),
    Keys: image(row.keys),
  };
  if (row.new_image !== null) dynamodb.NewImage = image(row.new_image);
  if (row.old_image !== null) dynamodb.OldImage = image(row.old_image);
  dynamodb.SequenceNumber = formatSeq(row.seq);
  dynamodb.SizeBytes = row.size;
  dynamodb.StreamViewType = stream.view_type as M.StreamViewType;
  const r: M._Record = {
    eventID: row.event_id, eventName: row.event_name as M.OperationType, eventVersion: '1.1', eventSource: 'aws:dynamodb',
    awsRegion: stream.region, dynamodb,
  };
  // Deletions by Time to Live name the service (developer guide, "DynamoDB Streams and Time to Live").
  if (row.by_ttl) r.userIdentity = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' };
  return r;
}

/** The DynamoDB Streams provider. */
export class DynamoDbStreamsProvider implements M.DynamoDbStreamsOperations {
  private readonly store: DynamoStore;

  constructor(readonly env: ServiceEnv) {
    this.store = new DynamoStore(env.storage, env.clock);
  }

  private stream(ctx: RequestContext, arn: string): StreamRow {
    const row = this.store.streams.byArn(ctx.account, ctx.region, arn, ctx.clock.now());
    if (!row) throw streamNotFound(arn);
    return row;
  }

  async listStreams(ctx: RequestContext, input: M.ListStreamsInput): Promise<M.ListStreamsOutput> {
    const limit = input.Limit ?? MAX_STREAMS;
    if (limit > MAX_STREAMS) throw invalid(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_STREAMS}`);
    let rows = this.store.streams.list(ctx.account, ctx.region, ctx.clock.now());
    if (input.TableName !== undefined) rows = rows.filter((r) => r.table_name === input.TableName);
    if (input.ExclusiveStartStreamArn !== undefined) {
      const i = rows.findIndex((r) => r.arn === input.ExclusiveStartStreamArn);
      if (i < 0) throw streamNotFound(input.ExclusiveStartStreamArn);
      rows = rows.slice(i + 1);
    }
    const page = rows.slice(0, limit);
    const out: M.ListStreamsOutput = { Streams: page.map((r) => ({ StreamArn: r.arn, TableName: r.table_name, StreamLabel: r.label })) };
    if (rows.length > limit) out.LastEvaluatedStreamArn = page[page.length - 1]!.arn;
    return out;
  }

  async describeStream(ctx: RequestContext, input: M.DescribeStreamInput): Promise<M.DescribeStreamOutput> {
    const limit = input.Limit ?? MAX_STREAMS;
    if (limit > MAX_STREAMS) throw invalid(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_STREAMS}`);
    const row = this.stream(ctx, input.StreamArn);
    const shards = input.ExclusiveStartShardId === row.shard_id ? [] : [shardOf(row)];
    return {
      StreamDescription: {
        StreamArn: row.arn, StreamLabel: row.label, StreamStatus: row.disabled_at === null ? 'ENABLED' : 'DISABLED',
        StreamViewType: row.view_type as M.StreamViewType, CreationRequestDateTime: new Date(row.created),
        TableName: row.table_name, KeySchema: JSON.parse(row.key_schema) as M.KeySchemaElement[], Shards: shards,
      },
    };
  }

  async getShardIterator(ctx: RequestContext, input: M.GetShardIteratorInput): Promise<M.GetShardIteratorOutput> {
    const row = this.stream(ctx, input.StreamArn);
    if (input.ShardId !== row.shard_id) {
      throw new ServiceError('ResourceNotFoundException', `Requested resource not found: Shard does not exist`);
    }
    const now = ctx.clock.now();
    const horizon = this.store.streams.trim(row, now);
    const type = input.ShardIteratorType;
    const bySeq = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
    if (bySeq && input.SequenceNumber === undefined) throw invalid(`Must specify a sequence number for iterator type ${type}`);
    if (!bySeq && input.SequenceNumber !== undefined) throw invalid(`Sequence number must not be specified for iterator type ${type}`);
    let seq: number;
    if (type === 'TRIM_HORIZON') seq = horizon + 1;
    else if (type === 'LATEST') seq = row.last_seq + 1;
    else {
      const n = parseSeq(input.SequenceNumber!);
      if (n <= row.base_seq || n > row.last_seq) {
        throw invalid(`Invalid SequenceNumber ${input.SequenceNumber} for shard ${row.shard_id}`);
      }
      // The record at that position was removed after 24 hours.
      if (n <= horizon) throw trimmed();
      seq = type === 'AT_SEQUENCE_NUMBER' ? n : n + 1;
    }
    return { ShardIterator: encodeIterator({ sid: row.id, seq, issued: now, account: ctx.account, region: ctx.region }) };
  }

  async getRecords(ctx: RequestContext, input: M.GetRecordsInput): Promise<M.GetRecordsOutput> {
    const limit = input.Limit ?? MAX_RECORDS;
    if (limit > MAX_RECORDS) throw invalid(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_RECORDS}`);
    const pos = decodeIterator(input.ShardIterator);
    const now = ctx.clock.now();
    if (pos.account !== ctx.account || pos.region !== ctx.region) throw invalid('Invalid ShardIterator');
    if (now - pos.issued > ITERATOR_TTL_MS) {
      throw new ServiceError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${javaDate(pos.issued)} while right now it is ${javaDate(now)} which is further in the future than the tolerated delay of ${ITERATOR_TTL_MS} milliseconds.`);
    }
    const row = this.store.streams.byId(pos.sid, now);
    if (!row) throw new ServiceError('ResourceNotFoundException', 'Requested resource not found: Stream does not exist');
    // Records after the iterator's position were trimmed before it was used.
    if (pos.seq <= this.store.streams.trim(row, now)) throw trimmed();
    // At most 1 MB of records per call (API reference, GetRecords); the first record always comes.
    const rows: StreamRecordRow[] = [];
    let bytes = 0;
    for (const r of this.store.streams.read(row.id, pos.seq, limit)) {
      if (rows.length > 0 && bytes + r.size > MAX_BYTES) break;
      rows.push(r);
      bytes += r.size;
    }
    const next = rows.length ? rows[rows.length - 1]!.seq + 1 : pos.seq;
    const out: M.GetRecordsOutput = { Records: rows.map((r) => recordOf(r, row, !ctx.internalCall)) };
    // A closed shard read to its end has no next iterator.
    if (row.disabled_at === null || next <= row.last_seq) {
      out.NextShardIterator = encodeIterator({ ...pos, seq: next, issued: now });
    }
    return out;
  }
}

/** The streams.dynamodb service definition. */
export const dynamodbStreams: ServiceDefinition = {
  name: 'streams.dynamodb',
  create: (env) => new DynamoDbStreamsProvider(env),
};
