/**
 * PartiQL through the SDK v3 client and the DocumentClient: SELECT as Query or Scan with
 * paging, INSERT, UPDATE, DELETE with conditions, batches and transactions, with
 * DynamoDB's errors (developer guide, "PartiQL - a SQL-compatible query language").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PutItemCommand, GetItemCommand, ExecuteStatementCommand, BatchExecuteStatementCommand, ExecuteTransactionCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocExecute } from '@aws-sdk/lib-dynamodb';
import { rejects } from '../../helpers/errors.js';
import { dynamodbHarness } from '../../helpers/harness.js';

const { ddb } = dynamodbHarness({
  tables: [
    {
      TableName: 'music', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'artist', AttributeType: 'S' }, { AttributeName: 'song', AttributeType: 'S' }, { AttributeName: 'genre', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'artist', KeyType: 'HASH' }, { AttributeName: 'song', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byGenre', KeySchema: [{ AttributeName: 'genre', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    },
  ],
  setup: async () => {
    for (const [artist, song, year, genre] of [['a', 's1', 2001, 'rock'], ['a', 's2', 2002, 'pop'], ['a', 's3', 2003, 'rock'], ['b', 's1', 1999, 'jazz']] as const) {
      await ddb.send(new PutItemCommand({ TableName: 'music', Item: { artist: { S: artist }, song: { S: song }, year: { N: String(year) }, genre: { S: genre } } }));
    }
  },
});
const doc = DynamoDBDocumentClient.from(ddb);

test('SELECT: query on the partition key, range conditions, projection, scan with a filter, index', async () => {
  const q = await ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT song, "year" FROM "music" WHERE artist = ? AND song >= \'s2\'', Parameters: [{ S: 'a' }] }));
  assert.deepEqual(q.Items, [{ song: { S: 's2' }, year: { N: '2002' } }, { song: { S: 's3' }, year: { N: '2003' } }]);
  assert.equal(q.NextToken, undefined);

  const between = await ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT song FROM music WHERE artist = \'a\' AND "year" BETWEEN 2002 AND 2003 AND NOT genre = \'pop\'' }));
  assert.deepEqual(between.Items, [{ song: { S: 's3' } }]);

  const scan = await ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT artist, song FROM music WHERE begins_with(song, ?) AND genre IN [\'rock\', \'jazz\'] AND "year" < 2003', Parameters: [{ S: 's1' }] }));
  assert.deepEqual(scan.Items!.map((i) => `${i.artist.S}/${i.song.S}`).sort(), ['a/s1', 'b/s1']);

  const missing = await ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT song FROM music WHERE artist = \'a\' AND nothing IS MISSING AND contains(genre, \'ro\') OR attribute_exists(zzz)' }));
  assert.deepEqual(missing.Items, [{ song: { S: 's1' } }, { song: { S: 's3' } }]);

  const ix = await ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "music"."byGenre" WHERE genre = \'rock\'' }));
  assert.deepEqual(ix.Items!.map((i) => i.song.S).sort(), ['s1', 's3']);

  const all = await ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM music' }));
  assert.equal(all.Items!.length, 4);
});

test('SELECT pages with Limit and NextToken', async () => {
  const seen: string[] = [];
  let NextToken: string | undefined;
  let pages = 0;
  do {
    const page = await ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT song FROM music WHERE artist = ?', Parameters: [{ S: 'a' }], Limit: 2, NextToken, ConsistentRead: true }));
    seen.push(...page.Items!.map((i) => i.song.S!));
    NextToken = page.NextToken;
    pages++;
  } while (NextToken);
  assert.deepEqual(seen, ['s1', 's2', 's3']);
  assert.equal(pages, 2);
});

test('INSERT, duplicate keys, UPDATE with SET/REMOVE/arithmetic and conditions, DELETE', async () => {
  await ddb.send(new ExecuteStatementCommand({ Statement: 'INSERT INTO "music" VALUE {\'artist\': ?, \'song\': \'new\', \'plays\': 1, \'tags\': <<\'x\', \'y\'>>, \'meta\': {\'l\': [1, true, null]}}', Parameters: [{ S: 'c' }] }));
  const got = await ddb.send(new GetItemCommand({ TableName: 'music', Key: { artist: { S: 'c' }, song: { S: 'new' } } }));
  assert.deepEqual(got.Item, { artist: { S: 'c' }, song: { S: 'new' }, plays: { N: '1' }, tags: { SS: ['x', 'y'] }, meta: { M: { l: { L: [{ N: '1' }, { BOOL: true }, { NULL: true }] } } } });
  await rejects(ddb.send(new ExecuteStatementCommand({ Statement: 'INSERT INTO music VALUE {\'artist\': \'c\', \'song\': \'new\'}' })), 'DuplicateItemException', 'Duplicate primary key exists in table');

  const upd = await ddb.send(new ExecuteStatementCommand({
    Statement: 'UPDATE music SET plays = plays + ? SET note = \'hi\' REMOVE meta WHERE artist = \'c\' AND song = \'new\' RETURNING ALL NEW *', Parameters: [{ N: '2' }],
  }));
  assert.deepEqual(upd.Items, [{ artist: { S: 'c' }, song: { S: 'new' }, plays: { N: '3' }, tags: { SS: ['x', 'y'] }, note: { S: 'hi' } }]);
  const plain = await ddb.send(new ExecuteStatementCommand({ Statement: 'UPDATE music SET note = \'yo\' WHERE artist = \'c\' AND song = \'new\'' }));
  assert.deepEqual(plain.Items, []);

  await assert.rejects(ddb.send(new ExecuteStatementCommand({
    Statement: 'UPDATE music SET note = \'no\' WHERE artist = \'c\' AND song = \'new\' AND plays > 10', ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  })), (e: Error & { Item?: Record<string, unknown> }) => {
    assert.equal(e.name, 'ConditionalCheckFailedException');
    assert.equal(e.message, 'The conditional request failed');
    assert.deepEqual(e.Item!.plays, { N: '3' });
    return true;
  });
  await rejects(ddb.send(new ExecuteStatementCommand({ Statement: 'UPDATE music SET note = \'no\' WHERE artist = \'c\' AND song = \'absent\'' })), 'ConditionalCheckFailedException', 'The conditional request failed');
  await rejects(ddb.send(new ExecuteStatementCommand({ Statement: 'UPDATE music SET note = \'no\' WHERE artist = \'c\'' })), 'ValidationException', 'Where clause does not contain a mandatory equality on all key attributes');

  await rejects(ddb.send(new ExecuteStatementCommand({ Statement: 'DELETE FROM music WHERE artist = \'c\' AND song = \'new\' AND plays = 99' })), 'ConditionalCheckFailedException', 'The conditional request failed');
  const del = await ddb.send(new ExecuteStatementCommand({ Statement: 'DELETE FROM music WHERE artist = \'c\' AND song = \'new\' RETURNING ALL OLD *' }));
  assert.equal(del.Items![0].note.S, 'yo');
  const again = await ddb.send(new ExecuteStatementCommand({ Statement: 'DELETE FROM music WHERE artist = \'c\' AND song = \'new\' AND plays = 99' }));
  assert.deepEqual(again.Items, []);
});

test('DocumentClient ExecuteStatement with native parameters', async () => {
  await doc.send(new DocExecute({ Statement: 'INSERT INTO music VALUE {\'artist\': ?, \'song\': ?, \'n\': ?}', Parameters: ['d', 'doc', 5] }));
  const out = await doc.send(new DocExecute({ Statement: 'SELECT * FROM music WHERE artist = ? AND song = ?', Parameters: ['d', 'doc'] }));
  assert.deepEqual(out.Items, [{ artist: 'd', song: 'doc', n: 5 }]);
});

test('errors: malformed statements, parameter counts, unknown tables', async () => {
  await rejects(ddb.send(new ExecuteStatementCommand({ Statement: 'UPSERT INTO music' })), 'ValidationException', 'Statement wasn\'t well formed, can\'t be processed: Expected data manipulation');
  await assert.rejects(ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM music WHERE' })), (e: Error) => {
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /^Statement wasn't well formed, can't be processed: /);
    return true;
  });
  await rejects(ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM music WHERE artist = ?' })), 'ValidationException', 'Number of parameters in request and statement doesn\'t match.');
  await rejects(ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM nope' })), 'ResourceNotFoundException', 'Requested resource not found');
});

test('BatchExecuteStatement answers each statement on its own', async () => {
  const out = await ddb.send(new BatchExecuteStatementCommand({
    Statements: [
      { Statement: 'INSERT INTO music VALUE {\'artist\': \'e\', \'song\': \'1\'}' },
      { Statement: 'INSERT INTO music VALUE {\'artist\': \'a\', \'song\': \'s1\'}' },
      { Statement: 'UPDATE music SET x = 1 WHERE artist = \'a\' AND song = \'s1\' AND genre = \'pop\'', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
    ],
  }));
  assert.deepEqual(out.Responses![0], { TableName: 'music' });
  assert.deepEqual(out.Responses![1], { Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } });
  assert.equal(out.Responses![2].Error!.Code, 'ConditionalCheckFailed');
  assert.deepEqual(out.Responses![2].Error!.Item!.genre, { S: 'rock' });

  const reads = await ddb.send(new BatchExecuteStatementCommand({
    Statements: [
      { Statement: 'SELECT song FROM music WHERE artist = ? AND song = ?', Parameters: [{ S: 'e' }, { S: '1' }] },
      { Statement: 'SELECT * FROM music WHERE artist = \'zz\' AND song = \'1\'' },
      { Statement: 'SELECT * FROM music WHERE artist = \'zz\'' },
    ],
  }));
  assert.deepEqual(reads.Responses, [
    { TableName: 'music', Item: { song: { S: '1' } } },
    { TableName: 'music' },
    { Error: { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' } },
  ]);
});

test('ExecuteTransaction: all or nothing, duplicate inserts cancel, reads', async () => {
  await ddb.send(new ExecuteTransactionCommand({
    TransactStatements: [
      { Statement: 'INSERT INTO music VALUE {\'artist\': \'t\', \'song\': \'1\'}' },
      { Statement: 'UPDATE music SET plays = 1 WHERE artist = \'a\' AND song = \'s2\'' },
    ],
  }));
  await assert.rejects(ddb.send(new ExecuteTransactionCommand({
    TransactStatements: [
      { Statement: 'INSERT INTO music VALUE {\'artist\': \'t\', \'song\': \'2\'}' },
      { Statement: 'INSERT INTO music VALUE {\'artist\': \'t\', \'song\': \'1\'}' },
    ],
  })), (e: TransactionCanceledException) => {
    assert.equal(e.name, 'TransactionCanceledException');
    assert.equal(e.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem]');
    assert.deepEqual(e.CancellationReasons, [{ Code: 'None' }, { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' }]);
    return true;
  });
  const read = await ddb.send(new ExecuteTransactionCommand({
    TransactStatements: [
      { Statement: 'SELECT plays FROM music WHERE artist = \'a\' AND song = \'s2\'' },
      { Statement: 'SELECT * FROM music WHERE artist = \'t\' AND song = \'2\'' },
    ],
  }));
  assert.deepEqual(read.Responses, [{ Item: { plays: { N: '1' } } }, {}]);
});
