// The DynamoDB bench's data: one table `bench` (pk S, sk N), partitions `p<n>` of 100
// items each, every item the same ~200-byte shape. Shared by the workloads and by the
// floor's canned answers, so that the floor returns exactly what the servers return.

export const TABLE = 'bench';
export const PARTITION_SIZE = 100;

/** The bench item at partition `p` (a number), sort key `sk`. */
export function benchItem(p, sk) {
  return {
    pk: { S: `p${p}` },
    sk: { N: String(sk) },
    name: { S: `item ${p}/${sk} `.padEnd(48, '.') },
    hits: { N: '0' },
    price: { N: '19.99' },
    active: { BOOL: true },
    tags: { SS: ['blue', 'large', 'sale'] },
    dims: { M: { w: { N: '10' }, h: { N: '20' }, unit: { S: 'cm' } } },
  };
}

/** The Query answer for partition `p`: the first `limit` items and the LastEvaluatedKey. */
export function queryAnswer(p, limit) {
  const items = [];
  for (let sk = 0; sk < limit; sk++) items.push(benchItem(p, sk));
  return { Count: limit, Items: items, LastEvaluatedKey: { pk: { S: `p${p}` }, sk: { N: String(limit - 1) } }, ScannedCount: limit };
}
