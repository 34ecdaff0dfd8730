/**
 * Validation messages, asserted exactly against the sentences AWS answers (sources beside
 * each group: real responses quoted in issues, dynalite's recorded DynamoDB tests).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, modelFromJson } from '../models/model.js';
import { validateInput, validationStyle, compilePattern, javaDouble } from './validate.js';

interface Case {
  name: string;
  service: string;
  operation: string;
  input: Record<string, unknown>;
  /** [code, message], or undefined when the input is valid. */
  expect: [string, string] | undefined;
}

const ARN = 'arn:aws:iam::123456789012:role/demo';
const nul = (path: string) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
const one = (body: string) => `1 validation error detected: ${body}`;

const cases: Case[] = [
  // STS (query): "1 validation error detected: Value 'bedrock role' at 'roleSessionName' failed to satisfy
  // constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*" (ValidationError, Sender).
  { name: 'sts valid', service: 'sts', operation: 'AssumeRole', input: { RoleArn: ARN, RoleSessionName: 's-1', DurationSeconds: 3600 }, expect: undefined },
  { name: 'sts missing both', service: 'sts', operation: 'AssumeRole', input: {},
    expect: ['ValidationError', `2 validation errors detected: ${nul('roleArn')}; ${nul('roleSessionName')}`] },
  { name: 'sts session pattern', service: 'sts', operation: 'AssumeRole', input: { RoleArn: ARN, RoleSessionName: 'bedrock role' },
    expect: ['ValidationError', one("Value 'bedrock role' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")] },
  { name: 'sts short arn, short session, low duration', service: 'sts', operation: 'AssumeRole', input: { RoleArn: 'arn:aws:iam::1:r', RoleSessionName: 'a', DurationSeconds: 20 },
    expect: ['ValidationError', "3 validation errors detected: Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; "
      + "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; "
      + "Value '20' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"] },
  { name: 'sts duration too high', service: 'sts', operation: 'AssumeRole', input: { RoleArn: ARN, RoleSessionName: 'ok', DurationSeconds: 43201 },
    expect: ['ValidationError', one("Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200")] },
  { name: 'sts session too long', service: 'sts', operation: 'AssumeRole', input: { RoleArn: ARN, RoleSessionName: 'x'.repeat(65) },
    expect: ['ValidationError', one(`Value '${'x'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`)] },
  { name: 'sts length then pattern on one member', service: 'sts', operation: 'AssumeRole', input: { RoleArn: ARN, RoleSessionName: ' ' },
    expect: ['ValidationError', "2 validation errors detected: Value ' ' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; "
      + "Value ' ' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"] },
  { name: 'sts control character in arn', service: 'sts', operation: 'AssumeRole', input: { RoleArn: `${ARN}\u0001`, RoleSessionName: 'ok' },
    expect: ['ValidationError', one(`Value '${ARN}\u0001' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+`)] },
  { name: 'sts nested list member path', service: 'sts', operation: 'AssumeRole', input: { RoleArn: ARN, RoleSessionName: 'ok', Tags: [{ Key: 'k', Value: 'v' }, { Key: 'k2' }] },
    expect: ['ValidationError', one(nul('tags.2.member.value'))] },
  // Lengths count code points: two emoji are 4 UTF-16 units but 2 characters (min 4).
  { name: 'sts code points', service: 'sts', operation: 'AssumeRole', input: { RoleArn: ARN, RoleSessionName: 'ok', ProvidedContexts: [{ ProviderArn: ARN, ContextAssertion: '\u{1F600}\u{1F600}' }] },
    expect: ['ValidationError', one("Value '\u{1F600}\u{1F600}' at 'providedContexts.1.member.contextAssertion' failed to satisfy constraint: Member must have length greater than or equal to 4")] },
  // Sensitive members are never echoed: "Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4".
  { name: 'sts sensitive too short', service: 'sts', operation: 'AssumeRoleWithSAML', input: { RoleArn: ARN, PrincipalArn: ARN, SAMLAssertion: 'abc' },
    expect: ['ValidationError', one("Value at 'sAMLAssertion' failed to satisfy constraint: Member must have length greater than or equal to 4")] },
  { name: 'sts sensitive missing', service: 'sts', operation: 'AssumeRoleWithWebIdentity', input: { RoleArn: ARN, RoleSessionName: 'ok' },
    expect: ['ValidationError', one("Value at 'webIdentityToken' failed to satisfy constraint: Member must not be null")] },

  // DynamoDB (json): messages as recorded against real DynamoDB.
  { name: 'ddb missing table name', service: 'dynamodb', operation: 'DescribeTable', input: {},
    expect: ['ValidationException', one(nul('tableName'))] },
  { name: 'ddb empty key schema', service: 'dynamodb', operation: 'CreateTable', input: { TableName: 'table', KeySchema: [] },
    expect: ['ValidationException', one("Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1")] },
  { name: 'ddb empty key schema element', service: 'dynamodb', operation: 'CreateTable', input: { TableName: 'table', KeySchema: [{}] },
    expect: ['ValidationException', `2 validation errors detected: ${nul('keySchema.1.member.attributeName')}; ${nul('keySchema.1.member.keyType')}`] },
  { name: 'ddb enums, model paths', service: 'dynamodb', operation: 'CreateTable',
    input: { TableName: 'table', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: '' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
      BillingMode: '', StreamSpecification: { StreamEnabled: true, StreamViewType: '' }, ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 } },
    expect: ['ValidationException', "4 validation errors detected: "
      + "Value '' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]; "
      + "Value '' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; "
      + "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; "
      + "Value '' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]"] },
  { name: 'ddb stops at ten errors', service: 'dynamodb', operation: 'CreateTable',
    input: { TableName: 'table', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], LocalSecondaryIndexes: [{}, {}, {}, {}, {}, {}, {}, {}, {}] },
    expect: ['ValidationException', `10 validation errors detected: ${[1, 2, 3].flatMap((i) => ['indexName', 'keySchema', 'projection'].map((m) => nul(`localSecondaryIndexes.${i}.member.${m}`)))
      .concat(nul('localSecondaryIndexes.4.member.indexName')).join('; ')}`] },
  // Map values that are structures: 'queryFilter.b.member.comparisonOperator' (dynalite's recorded Query test).
  { name: 'ddb map value paths', service: 'dynamodb', operation: 'Query',
    input: { TableName: 'table', IndexName: 'ab;', Select: 'hi', Limit: -1, KeyConditions: { a: {}, b: { ComparisonOperator: '' } } },
    expect: ['ValidationException', "5 validation errors detected: "
      + "Value 'ab;' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
      + "Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; "
      + "Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; "
      + `${nul('keyConditions.a.member.comparisonOperator')}; `
      + "Value '' at 'keyConditions.b.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"] },
  { name: 'ddb valid put with nested maps', service: 'dynamodb', operation: 'PutItem',
    input: { TableName: 'table', Item: { pk: { S: 'a' }, m: { M: { x: { L: [{ N: '1' }, { M: { y: { BOOL: true } } }] } } } } }, expect: undefined },
  // Map values that are lists: one composite constraint at the map ("Map value must satisfy constraint: [...]").
  { name: 'ddb batch write too many', service: 'dynamodb', operation: 'BatchWriteItem',
    input: { RequestItems: { t: Array.from({ length: 26 }, () => ({ DeleteRequest: { Key: { pk: { S: 'a' } } } })) } },
    expect: ['ValidationException', one(`Value '{t=[${Array(26).fill('com.amazonaws.dynamodb.v20120810.WriteRequest@bc6e8774').join(', ')}]}' at 'requestItems' failed to satisfy constraint: `
      + 'Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]')] },

  // Kinesis: "Value 'java.nio.HeapByteBuffer[pos=0 lim=1054425 cap=1054425]' at 'records.1.member.data' failed to satisfy
  // constraint: Member must have length less than or equal to 1048576" (the limit is 10 MiB in today's model).
  { name: 'kinesis blob too large, empty key', service: 'kinesis', operation: 'PutRecords',
    input: { StreamName: 's', Records: [{ Data: Buffer.alloc(10485761), PartitionKey: '' }] },
    expect: ['ValidationException', '2 validation errors detected: '
      + "Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal to 10485760; "
      + "Value '' at 'records.1.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1"] },

  // Lambda lists its elements' constraints with "Member must not be null" (real CreateFunction response).
  { name: 'lambda list element enum', service: 'lambda', operation: 'CreateFunction',
    input: { FunctionName: 'f', Role: 'arn:aws:iam::123456789012:role/r', Code: {}, Architectures: ['foo'] },
    expect: ['ValidationException', one("Value '[foo]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]")] },

  // SQS answers MissingParameter for a missing required parameter, nothing else from the model.
  { name: 'sqs missing queue url', service: 'sqs', operation: 'SendMessage', input: {},
    expect: ['MissingParameter', 'The request must contain the parameter QueueUrl.'] },
  { name: 'sqs missing body', service: 'sqs', operation: 'SendMessage', input: { QueueUrl: 'http://localhost/000000000000/q' },
    expect: ['MissingParameter', 'The request must contain the parameter MessageBody.'] },
  // SNS: "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null" (ValidationError).
  { name: 'sns missing message', service: 'sns', operation: 'Publish', input: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' },
    expect: ['ValidationError', one(nul('message'))] },
  // S3 words its own input errors; nothing is checked here.
  { name: 's3 not validated', service: 's3', operation: 'PutObject', input: {}, expect: undefined },
];

for (const c of cases) {
  test(`validateInput: ${c.name}`, () => {
    const op = loadModel(c.service).operations.get(c.operation)!;
    const err = validateInput(c.input, op.input, c.service);
    if (!c.expect) return assert.equal(err, undefined, err?.message);
    assert.ok(err, 'expected an error');
    assert.deepEqual([err.code, err.message, err.status, err.senderFault], [...c.expect, 400, true]);
  });
}

test('the plan is compiled once and cached on the shape', () => {
  const op = loadModel('sts').operations.get('AssumeRole')!;
  validateInput({ RoleArn: ARN, RoleSessionName: 'ok' }, op.input, 'sts');
  const plan = op.input!.plans.get('validate');
  assert.ok(plan);
  validateInput({}, op.input, 'sts');
  assert.equal(op.input!.plans.get('validate'), plan);
});

test('a shape that reaches no constraint compiles to nothing and is not walked', () => {
  const op = loadModel('sts').operations.get('GetCallerIdentity')!;
  assert.equal(validateInput({}, op.input, 'sts'), undefined);
  assert.equal(typeof op.input!.plans.get('validate'), 'symbol');
});

test('style switches: enums and patterns can be turned off per service', () => {
  const op = loadModel('dynamodb').operations.get('Query')!;
  const input = { TableName: 'table', IndexName: 'ab;', Select: 'hi' };
  const style = { ...validationStyle('dynamodb'), enums: false, patterns: false };
  assert.equal(validateInput(input, op.input, style), undefined);
  assert.equal(validateInput(input, op.input, 'dynamodb')?.message.startsWith('2 validation errors detected'), true);
});

test('unknown services get ValidationException', () => {
  assert.deepEqual(validationStyle('nosuch'), { ...validationStyle('dynamodb'), service: 'nosuch', enumOrder: {} });
});

// A small model for what the real ones above do not reach.
const tiny = modelFromJson({
  metadata: { apiVersion: '2020-01-01', endpointPrefix: 'tiny', serviceId: 'Tiny', protocol: 'json' },
  operations: { Op: { name: 'Op', input: { shape: 'In' } } },
  shapes: {
    In: { type: 'structure', required: ['Id'], members: {
      Id: { shape: 'Id' }, Ratio: { shape: 'Ratio' }, Data: { shape: 'Data' }, Labels: { shape: 'Labels' },
      Matrix: { shape: 'Matrix' }, Odd: { shape: 'Odd' }, Doc: { shape: 'Doc' }, Node: { shape: 'Node' } } },
    Id: { type: 'string', pattern: '[a-z]+', enum: ['abc', 'xyz'] },
    Ratio: { type: 'double', min: 0, max: 1 },
    Data: { type: 'blob', max: 3 },
    Labels: { type: 'map', key: { shape: 'Key' }, value: { shape: 'Ratio' } },
    Key: { type: 'string', min: 2 },
    Matrix: { type: 'list', member: { shape: 'Row' } },
    Row: { type: 'list', member: { shape: 'Id' }, max: 2 },
    Odd: { type: 'string', pattern: 'a*+\\p{javaLowerCase}' },
    Doc: { type: 'structure', members: {}, document: true },
    Node: { type: 'structure', members: { Next: { shape: 'Node' }, Name: { shape: 'Key' } } },
  },
});

test('small model: floats, blobs, map keys and values, nested lists, recursion, Java-only patterns', () => {
  const shape = tiny.operations.get('Op')!.input;
  const err = validateInput({
    Id: 'abc', Ratio: 1.5, Data: Buffer.from('abcd'), Labels: { a: 2, bb: 0.5 }, Matrix: [['abc'], ['abc', 'xyz', 'abc']],
    Odd: 'anything', Doc: { any: 'thing' }, Node: { Next: { Next: { Name: 'x' } } },
  }, shape, 'tiny');
  assert.equal(err?.message, '6 validation errors detected: '
    + "Value '1.5' at 'ratio' failed to satisfy constraint: Member must have value less than or equal to 1.0; "
    + "Value 'java.nio.HeapByteBuffer[pos=0 lim=4 cap=4]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 3; "
    + "Value '{a=2.0, bb=0.5}' at 'labels' failed to satisfy constraint: Map key must satisfy constraint: [Member must have length greater than or equal to 2]; "
    + "Value '{a=2.0, bb=0.5}' at 'labels' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]; "
    + "Value '[[abc], [abc, xyz, abc]]' at 'matrix' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2]; "
    + "Value 'x' at 'node.next.next.name' failed to satisfy constraint: Member must have length greater than or equal to 2");
  assert.equal(validateInput({ Id: 'ABC' }, shape, 'tiny')?.message, '2 validation errors detected: '
    + "Value 'ABC' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+; "
    + "Value 'ABC' at 'id' failed to satisfy constraint: Member must satisfy enum value set: [abc, xyz]");
  assert.equal(validateInput({ Id: 'abc', Matrix: [['abc', 'q']] }, shape, 'tiny')?.message,
    one("Value '[abc, q]' at 'matrix.1.member' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: [a-z]+, Member must satisfy enum value set: [abc, xyz]]"));
  assert.equal(validateInput(undefined, shape, 'tiny')?.message, one(nul('id')));
});

test('values of the wrong type are left to the codec, never a crash', () => {
  const shape = tiny.operations.get('Op')!.input;
  assert.equal(validateInput({ Id: 'abc', Ratio: 'x', Data: 7, Labels: [], Matrix: 'no', Node: 3 }, shape, 'tiny'), undefined);
});

test('compilePattern: Java syntax rewritten for JS, the impossible skipped', () => {
  assert.equal(compilePattern('\\p{Print}+')!.test('a b~'), true);
  assert.equal(compilePattern('\\p{Print}+')!.test('\u00e9'), false);
  assert.equal(compilePattern('[A-Za-z0-9][A-Za-z0-9\\-\\_\\.]{0,126}[A-Za-z0-9]')!.test('a-_.b'), true);
  assert.equal(compilePattern('[\\w+=,.@\\:-]*')!.test('a:b'), true);
  assert.equal(compilePattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+')!.test('\u00e9t\u00e9 1'), true);
  // Java reads \u10000 as \u1000 followed by 0, so supplementary characters do not match; neither does JS.
  assert.equal(compilePattern('[\\u0020-\\uD7FF\\u10000-\\u10FFFF]+')!.test('\u{1F600}'), false);
  assert.equal(compilePattern('a*+'), null);
  assert.equal(compilePattern('\\p{javaLowerCase}'), null);
});

test('javaDouble prints as Java does', () => {
  assert.deepEqual([1, 0.5, 0, -2, 1e-5, 1.5e21, 12345678, 0.001].map(javaDouble),
    ['1.0', '0.5', '0.0', '-2.0', '1.0E-5', '1.5E21', '1.2345678E7', '0.001']);
});
