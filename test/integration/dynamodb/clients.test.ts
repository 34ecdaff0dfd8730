/**
 * DynamoDB through the AWS CLIs and boto3 (client, and resource with boto3.dynamodb.conditions):
 * tables created and described, items written and queried, errors in each client's words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installedClients, runCli, runBoto3 } from '../../helpers/nimbus.js';
import { nimbusHarness } from '../../helpers/harness.js';

const { cloud } = nimbusHarness();

const present = installedClients();

let n = 0;
for (const client of present) {
  const table = `cli-${++n}`;
  if (client.kind === 'cli') {
    test(`${client.name}: create-table, put-item, query, describe, errors`, async () => {
      const created = await runCli(client.bin, cloud.endpoint, ['dynamodb', 'create-table', '--table-name', table, '--billing-mode', 'PAY_PER_REQUEST',
        '--attribute-definitions', 'AttributeName=pk,AttributeType=S', 'AttributeName=sk,AttributeType=N',
        '--key-schema', 'AttributeName=pk,KeyType=HASH', 'AttributeName=sk,KeyType=RANGE']);
      assert.equal(created.status, 0, created.stderr);
      assert.equal(JSON.parse(created.stdout).TableDescription.TableStatus, 'CREATING');
      const waited = await runCli(client.bin, cloud.endpoint, ['dynamodb', 'wait', 'table-exists', '--table-name', table]);
      assert.equal(waited.status, 0, waited.stderr);
      for (const sk of ['2', '1', '3']) {
        const put = await runCli(client.bin, cloud.endpoint, ['dynamodb', 'put-item', '--table-name', table, '--item', JSON.stringify({ pk: { S: 'p' }, sk: { N: sk } })]);
        assert.equal(put.status, 0, put.stderr);
      }
      const q = await runCli(client.bin, cloud.endpoint, ['dynamodb', 'query', '--table-name', table, '--key-condition-expression', 'pk = :p AND sk > :s',
        '--expression-attribute-values', JSON.stringify({ ':p': { S: 'p' }, ':s': { N: '1' } })]);
      assert.equal(q.status, 0, q.stderr);
      assert.deepEqual(JSON.parse(q.stdout).Items, [{ pk: { S: 'p' }, sk: { N: '2' } }, { pk: { S: 'p' }, sk: { N: '3' } }]);
      const bad = await runCli(client.bin, cloud.endpoint, ['dynamodb', 'get-item', '--table-name', table, '--key', JSON.stringify({ pk: { S: 'p' } })]);
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /An error occurred \(ValidationException\) when calling the GetItem operation: The provided key element does not match the schema/);
    });
  } else {
    test(`${client.name}: client and resource with conditions`, async () => {
      const r = await runBoto3(client.bin, cloud.endpoint, `
from boto3.dynamodb.conditions import Key, Attr
c = boto3.client('dynamodb', endpoint_url=ENDPOINT)
c.create_table(TableName=${JSON.stringify(table)}, BillingMode='PAY_PER_REQUEST',
  AttributeDefinitions=[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'}],
  KeySchema=[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}])
c.get_waiter('table_exists').wait(TableName=${JSON.stringify(table)}, WaiterConfig={'Delay':1})
t = boto3.resource('dynamodb', endpoint_url=ENDPOINT).Table(${JSON.stringify(table)})
with t.batch_writer() as b:
    for i in range(10):
        b.put_item(Item={'pk':'p','sk':i,'even':i % 2 == 0})
res = t.query(KeyConditionExpression=Key('pk').eq('p') & Key('sk').between(2, 6), FilterExpression=Attr('even').eq(True))
out = {'sks': [int(i['sk']) for i in res['Items']], 'count': res['Count'], 'scanned': res['ScannedCount']}
try:
    t.put_item(Item={'pk':'p','sk':2}, ConditionExpression=Attr('pk').not_exists())
except botocore.exceptions.ClientError as e:
    out['err'] = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps(out))
`);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { sks: [2, 4, 6], count: 3, scanned: 5, err: ['ConditionalCheckFailedException', 'The conditional request failed'] });
    });
  }
}
