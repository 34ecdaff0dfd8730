/**
 * Cases for botocore.test.ts (no tests of their own): STS, SNS and IAM as the
 * current botocore speaks them over query.
 */
import { ServiceError } from '../../shared/errors.js';
import type { Case } from './botocore.test.js';

/** STS: AssumeRole with lists, GetCallerIdentity, an error with a modelled status. */
export const STS_CASES: readonly Case[] = [
  {
    op: 'AssumeRole',
    params: {
      RoleArn: 'arn:aws:iam::000000000000:role/demo', RoleSessionName: 'sess',
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], DurationSeconds: 3600,
      Tags: [{ Key: 'a', Value: 'b' }, { Key: 'c', Value: 'd = e & f' }], TransitiveTagKeys: ['a'],
    },
    output: {
      Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret/+=', SessionToken: 'token', Expiration: new Date('2011-07-15T23:28:33.359Z') },
      AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:sess', Arn: 'arn:aws:sts::000000000000:assumed-role/demo/sess' },
      PackedPolicySize: 6,
    },
    bodyIncludes: ['PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess', 'Tags.member.2.Value=d+%3D+e+%26+f'],
  },
  { op: 'GetCallerIdentity', params: {}, output: { UserId: 'AIDAEXAMPLE', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' } },
  {
    op: 'AssumeRole',
    params: { RoleArn: 'arn:aws:iam::000000000000:role/demo', RoleSessionName: 'ss' },
    error: new ServiceError('MalformedPolicyDocumentException', 'The policy is not in the valid JSON format.'),
    expectedError: { exception: 'MalformedPolicyDocumentException', code: 'MalformedPolicyDocument', message: 'The policy is not in the valid JSON format.', type: 'Sender', status: 400 },
  },
];

/** SNS: Publish with a binary attribute, CreateTopic with an Attributes map, ListSubscriptions. */
export const SNS_CASES: readonly Case[] = [
  {
    op: 'Publish',
    params: {
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Message: '{"default":"x"}', MessageStructure: 'json',
      MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3, 250]) }, s: { DataType: 'String.Array', StringValue: '["a","b"]' } },
    },
    output: { MessageId: 'mid' },
    bodyIncludes: ['MessageAttributes.entry.1.Value.BinaryValue=AQID%2Bg%3D%3D'],
  },
  {
    op: 'CreateTopic',
    params: { Name: 't', Attributes: { DisplayName: 'Tee', Policy: '{}' }, Tags: [{ Key: 'k', Value: 'v' }] },
    output: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' },
    bodyIncludes: ['Attributes.entry.2.key=Policy'],
  },
  {
    op: 'ListSubscriptions',
    params: {},
    output: { Subscriptions: [{ SubscriptionArn: 'arn:1', Owner: '000000000000', Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', TopicArn: 'arn:t' }], NextToken: 'n' },
  },
  { op: 'GetTopicAttributes', params: { TopicArn: 'arn:t' }, output: { Attributes: { Owner: '000000000000', SubscriptionsConfirmed: '1' } } },
  {
    op: 'GetTopicAttributes',
    params: { TopicArn: 'arn:none' },
    error: new ServiceError('NotFoundException', 'Topic does not exist'),
    expectedError: { exception: 'NotFoundException', code: 'NotFound', message: 'Topic does not exist', type: 'Sender', status: 404 },
  },
];

const role = {
  Path: '/', RoleName: 'r1', RoleId: 'AROAEXAMPLE', Arn: 'arn:aws:iam::000000000000:role/r1',
  CreateDate: new Date('2023-01-02T03:04:05.678Z'), AssumeRolePolicyDocument: '%7B%22Version%22%3A%222012-10-17%22%7D',
  MaxSessionDuration: 3600, RoleLastUsed: { LastUsedDate: new Date('2023-05-06T07:08:09.000Z'), Region: 'us-east-1' },
  Tags: [{ Key: 'a', Value: 'b' }],
};

// botocore URL-decodes and JSON-parses IAM policy documents in responses.
const parsedRole = { ...role, AssumeRolePolicyDocument: { Version: '2012-10-17' } };

/** IAM: CreatePolicy, GetRole, ListRoles (timestamps, booleans, nested lists), NoSuchEntity. */
export const IAM_CASES: readonly Case[] = [
  {
    op: 'CreatePolicy',
    params: { PolicyName: 'p', Path: '/x/', PolicyDocument: '{"Version":"2012-10-17","Statement":[]}', Description: 'd', Tags: [{ Key: 'k', Value: 'v' }] },
    output: {
      Policy: {
        PolicyName: 'p', PolicyId: 'ANPAEXAMPLE', Arn: 'arn:aws:iam::000000000000:policy/x/p', Path: '/x/', DefaultVersionId: 'v1',
        AttachmentCount: 0, PermissionsBoundaryUsageCount: 0, IsAttachable: true,
        CreateDate: new Date('2024-02-29T12:00:00.000Z'), UpdateDate: new Date('2024-02-29T12:00:00.000Z'), Tags: [{ Key: 'k', Value: 'v' }],
      },
    },
  },
  { op: 'GetRole', params: { RoleName: 'r1' }, output: { Role: role }, expected: { Role: parsedRole } },
  {
    op: 'ListRoles',
    params: { PathPrefix: '/', MaxItems: 100 },
    output: { Roles: [role, { ...role, RoleName: 'r2', Tags: [], RoleLastUsed: {} }], IsTruncated: false },
    expected: { Roles: [parsedRole, { ...parsedRole, RoleName: 'r2', Tags: [], RoleLastUsed: {} }], IsTruncated: false },
  },
  { op: 'ListRoles', params: {}, output: { Roles: [], IsTruncated: false } },
  {
    op: 'GetRole',
    params: { RoleName: 'nope' },
    error: new ServiceError('NoSuchEntityException', 'The role with name nope cannot be found.'),
    expectedError: { exception: 'NoSuchEntityException', code: 'NoSuchEntity', message: 'The role with name nope cannot be found.', type: 'Sender', status: 404 },
  },
];
