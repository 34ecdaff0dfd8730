// DynamoDB data path over JSON 1.0, one workload per operation: PutItem, GetItem,
// Query (a 100-item partition, Limit 25) and UpdateItem (SET hits = hits + :one),
// nimbus against dynalite (in memory) and the floor (canned answers). Nimbus persists
// to a fresh temporary data directory (the default mode, as users run it: every write
// committed to SQLite before the answer), not --ephemeral.
//
// Setup (before any measured phase, not timed in the figures): CreateTable `bench`
// (pk S, sk N, on-demand), then `partitions` partitions of 100 items loaded with
// BatchWriteItem (25 items a request) over 32 keep-alive connections.
import http from 'node:http';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { signRequest } from '../lib/sigv4.mjs';
import { dynaliteTarget, floorTarget, persistentNimbus } from '../lib/targets.mjs';
import { PARTITION_SIZE, TABLE, benchItem } from './dynamodb-data.mjs';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';
/** Requests rotate over this many keys or partitions (all inside the loaded data). */
const ROTATE = 8;
const QUERY_LIMIT = 25;

/** A signed DynamoDB request to `server` ({host, port}). */
export function jsonRequest(server, operation, payload) {
  const body = JSON.stringify(payload);
  const request = {
    method: 'POST',
    path: '/',
    headers: {
      host: `${server.host}:${server.port}`,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'nimbus-bench',
    },
    body,
  };
  return signRequest(request, { ...CREDENTIALS, region: REGION, service: 'dynamodb' });
}


/** Sends signed requests over a pool of keep-alive connections, `concurrency` at a time; resolves their answers, throws on any non-200. */
export async function sendAll(server, payloads, concurrency = 32) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const send = (operation, payload) =>
    new Promise((resolve, reject) => {
      const r = jsonRequest(server, operation, payload);
      const req = http.request({ host: server.host, port: server.port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${operation}: ${res.statusCode} ${body.slice(0, 300)}`));
          else resolve(JSON.parse(body));
        });
      });
      req.on('error', reject);
      req.end(r.body);
    });
  const answers = [];
  const worker = async () => {
    while (next < payloads.length) {
      const at = next++;
      const [operation, payload] = payloads[at];
      let out = await send(operation, payload);
      answers[at] = out;
      // BatchWriteItem may hand items back; a peer throttling would show here.
      for (let tries = 0; out.UnprocessedItems && Object.keys(out.UnprocessedItems).length > 0; tries++) {
        if (tries > 20) throw new Error('BatchWriteItem kept returning UnprocessedItems');
        out = await send(operation, { RequestItems: out.UnprocessedItems });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, payloads.length) }, worker));
    return answers;
  } finally {
    agent.destroy();
  }
}

/** Creates the bench table and loads `partitions` partitions of 100 items. */
export async function createBenchTable(server, partitions) {
  await sendAll(server, [['CreateTable', {
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  }]]);
  // dynalite answers CREATING until its (zeroed) createTableMs timer fires.
  for (let i = 0; i < 500; i++) {
    const [out] = await sendAll(server, [['DescribeTable', { TableName: TABLE }]]);
    if (out.Table.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const batches = [];
  for (let p = 0; p < partitions; p++) {
    for (let sk = 0; sk < PARTITION_SIZE; sk += 25) {
      const puts = [];
      for (let i = sk; i < sk + 25; i++) puts.push({ PutRequest: { Item: benchItem(p, i) } });
      batches.push(['BatchWriteItem', { RequestItems: { [TABLE]: puts } }]);
    }
  }
  await sendAll(server, batches);
}

const OPERATIONS = {
  put: {
    title: 'PutItem 260 B item',
    payloads: () => Array.from({ length: ROTATE }, (_, i) => ['PutItem', { TableName: TABLE, Item: benchItem(`put${i}`, i) }]),
    check: (body) => (body === '{}' ? undefined : `unexpected body: ${body.slice(0, 300)}`),
    sdk: (i) => new PutItemCommand({ TableName: TABLE, Item: benchItem(`sdk${i % 64}`, i) }),
  },
  get: {
    title: 'GetItem of a 260 B item',
    payloads: () => Array.from({ length: ROTATE }, (_, i) => ['GetItem', { TableName: TABLE, Key: { pk: { S: `p${i}` }, sk: { N: String(i * 7) } } }]),
    check: (body) => (body.startsWith('{"Item":{') ? undefined : `unexpected body: ${body.slice(0, 300)}`),
    sdk: (i) => new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `p${i % ROTATE}` }, sk: { N: String(i % PARTITION_SIZE) } } }),
  },
  query: {
    title: 'Query of a 100-item partition, Limit 25',
    payloads: () => Array.from({ length: ROTATE }, (_, i) => ['Query', {
      TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `p${i}` } }, Limit: QUERY_LIMIT,
    }]),
    check: (body) => (body.includes('"Count":25') && body.includes('"LastEvaluatedKey"') ? undefined : `unexpected body: ${body.slice(0, 300)}`),
    sdk: (i) => new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `p${i % ROTATE}` } }, Limit: QUERY_LIMIT }),
  },
  update: {
    title: 'UpdateItem SET hits = hits + :one',
    payloads: () => Array.from({ length: ROTATE }, (_, i) => ['UpdateItem', {
      TableName: TABLE, Key: { pk: { S: `p${i}` }, sk: { N: String(i) } }, UpdateExpression: 'SET hits = hits + :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }]),
    check: (body) => (body === '{}' ? undefined : `unexpected body: ${body.slice(0, 300)}`),
    sdk: (i) => new UpdateItemCommand({
      TableName: TABLE, Key: { pk: { S: `p${i % ROTATE}` }, sk: { N: String(i % PARTITION_SIZE) } }, UpdateExpression: 'SET hits = hits + :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }),
  },
};

export const DYNAMODB_OPERATIONS = Object.keys(OPERATIONS);

/**
 * The workload of one operation (`put`, `get`, `query`, `update`) on a table of
 * `partitions` x 100 items (default 10: 1,000 items). `targets` picks the servers
 * (default floor, nimbus, dynalite); `suffix` names a variant's results file.
 */
export function dynamodbWorkload(op, { partitions = 10, targets = ['floor', 'nimbus', 'dynalite'], suffix = '' } = {}) {
  const o = OPERATIONS[op];
  if (!o) throw new Error(`unknown DynamoDB operation ${op} (known: ${DYNAMODB_OPERATIONS.join(', ')})`);
  const all = { floor: floorTarget(`dynamodb-${op}`), nimbus: persistentNimbus(), dynalite: dynaliteTarget() };
  return {
    name: `dynamodb-${op}${suffix}`,
    title: `DynamoDB ${o.title} (table of ${(partitions * PARTITION_SIZE).toLocaleString('en')} items)`,
    baseline: targets.includes('floor') ? 'floor' : targets[0],
    targets: targets.map((t) => all[t]),

    async setup(server, target) {
      if (target.name !== 'floor') await createBenchTable(server, partitions);
    },

    requests(server) {
      return o.payloads().map(([operation, payload]) => jsonRequest(server, operation, payload));
    },

    check(response) {
      const body = response.body.toString('utf8');
      if (response.status !== 200) return `status ${response.status}: ${body.slice(0, 300)}`;
      return o.check(body);
    },

    sdk(endpoint) {
      const client = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
      let i = 0;
      return { call: () => client.send(o.sdk(i++)), close: () => client.destroy() };
    },
  };
}
