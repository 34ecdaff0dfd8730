/**
 * Cases for botocore.test.ts (no tests of their own): SQS and CloudWatch as
 * botocore 1.29 speaks them over query.
 */
import { ServiceError } from '../../shared/errors.js';
import type { Case } from './botocore.test.js';

const QUEUE = 'http://localhost:4566/000000000000/orders';

const message = {
  MessageId: '5fea7756-0ea4-451a-a703-a558b933e274',
  ReceiptHandle: 'MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw==',
  MD5OfBody: 'fafb00f5732ab283681e124bf8747ed1',
  Body: 'This is a test message with <xml> & "quotes"\r\nand CRLF',
  Attributes: { SenderId: 'AIDAEXAMPLE', ApproximateReceiveCount: '1', SentTimestamp: '1250700979248', MessageGroupId: 'g' },
  MD5OfMessageAttributes: '0c9b9fca08ce7ef4e5cc5c9d5e5e1f7c',
  MessageAttributes: {
    color: { StringValue: 'blue', DataType: 'String' },
    payload: { BinaryValue: Buffer.from([0, 159, 146, 150, 255]), DataType: 'Binary' },
    count: { StringValue: '3', DataType: 'Number.int' },
  },
};

/** SQS: ReceiveMessage, SendMessage, GetQueueAttributes, SendMessageBatch and friends, and a query error code. */
export const SQS_CASES: readonly Case[] = [
  {
    op: 'ReceiveMessage',
    params: { QueueUrl: QUEUE, AttributeNames: ['All'], MessageAttributeNames: ['color', 'payload'], MaxNumberOfMessages: 10, VisibilityTimeout: 30, WaitTimeSeconds: 0, ReceiveRequestAttemptId: 'a1' },
    output: { Messages: [message, { ...message, MessageId: 'second', MessageAttributes: undefined, MD5OfMessageAttributes: undefined }] },
    bodyIncludes: ['AttributeName.1=All', 'MessageAttributeName.2=payload'],
  },
  { op: 'ReceiveMessage', params: { QueueUrl: QUEUE }, output: { Messages: [] }, expected: {} },
  {
    op: 'SendMessage',
    params: {
      QueueUrl: QUEUE, MessageBody: 'héllo & <world>\n', DelaySeconds: 5, MessageGroupId: 'g', MessageDeduplicationId: 'd',
      MessageAttributes: {
        color: { StringValue: 'blue', DataType: 'String' },
        payload: { BinaryValue: Buffer.from('bin\u0000ary'), DataType: 'Binary' },
      },
      MessageSystemAttributes: { AWSTraceHeader: { StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793', DataType: 'String' } },
    },
    output: { MD5OfMessageBody: '51b0a325...', MD5OfMessageAttributes: '3ae8f24a...', MD5OfMessageSystemAttributes: '5ae4d5d7...', MessageId: 'id-1', SequenceNumber: '18849496460467696128' },
    bodyIncludes: ['MessageAttribute.1.Name=color', 'MessageAttribute.1.Value.StringValue=blue', 'MessageSystemAttribute.1.Name=AWSTraceHeader'],
  },
  {
    op: 'GetQueueAttributes',
    params: { QueueUrl: QUEUE, AttributeNames: ['VisibilityTimeout', 'QueueArn'] },
    output: { Attributes: { VisibilityTimeout: '30', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders', Policy: '{"Version":"2012-10-17"}' } },
  },
  {
    op: 'SendMessageBatch',
    params: {
      QueueUrl: QUEUE,
      Entries: [
        { Id: 'a', MessageBody: 'one', DelaySeconds: 0 },
        { Id: 'b', MessageBody: 'two', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } }, MessageGroupId: 'g' },
      ],
    },
    output: {
      Successful: [{ Id: 'a', MessageId: 'm-a', MD5OfMessageBody: 'f97c5d29941bfb1b2fdab0874906ab82' }],
      Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad & worse' }],
    },
    bodyIncludes: ['SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=v'],
  },
  {
    op: 'CreateQueue',
    params: { QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true', VisibilityTimeout: '45' }, tags: { team: 'core', 'a b': 'c&d' } },
    output: { QueueUrl: `${QUEUE}.fifo` },
    bodyIncludes: ['Attribute.1.Name=FifoQueue', 'Tag.2.Key=a+b'],
  },
  {
    op: 'ListQueues',
    params: { QueueNamePrefix: 'or', MaxResults: 2 },
    output: { QueueUrls: [QUEUE, `${QUEUE}-2`], NextToken: 't' },
  },
  { op: 'ListQueueTags', params: { QueueUrl: QUEUE }, output: { Tags: { team: 'core' } } },
  {
    op: 'DeleteMessageBatch',
    params: { QueueUrl: QUEUE, Entries: [{ Id: '1', ReceiptHandle: 'r1' }] },
    output: { Successful: [{ Id: '1' }], Failed: [] },
    expected: { Successful: [{ Id: '1' }] },
  },
  { op: 'DeleteQueue', params: { QueueUrl: QUEUE }, output: {} },
  {
    op: 'GetQueueUrl',
    params: { QueueName: 'missing' },
    error: new ServiceError('QueueDoesNotExist', 'The specified queue does not exist for this wsdl version.'),
    expectedError: { exception: 'QueueDoesNotExist', code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist for this wsdl version.', type: 'Sender', status: 400 },
  },
  {
    op: 'PurgeQueue',
    params: { QueueUrl: QUEUE },
    error: new ServiceError('AWS.SimpleQueueService.PurgeQueueInProgress', 'Only one PurgeQueue operation on orders is allowed every 60 seconds.'),
    expectedError: { exception: 'PurgeQueueInProgress', code: 'AWS.SimpleQueueService.PurgeQueueInProgress', message: 'Only one PurgeQueue operation on orders is allowed every 60 seconds.', type: 'Sender', status: 403 },
  },
];

const t0 = new Date('2024-03-01T10:00:00.000Z');
const t1 = new Date('2024-03-01T11:00:00.250Z');

/** CloudWatch: PutMetricData, GetMetricStatistics, DescribeAlarms, and an error. */
export const CLOUDWATCH_CASES: readonly Case[] = [
  {
    op: 'PutMetricData',
    params: {
      Namespace: 'App/Orders',
      MetricData: [
        {
          MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'api' }, { Name: 'Stage', Value: 'prod' }],
          Timestamp: t1, Values: [1.5, 2.25], Counts: [3, 1], Unit: 'Milliseconds', StorageResolution: 1,
        },
        { MetricName: 'Count', Value: 1, StatisticValues: { SampleCount: 2, Sum: 10.5, Minimum: 0.5, Maximum: 10 }, Unit: 'Count' },
      ],
    },
    output: {},
    bodyIncludes: ['MetricData.member.1.Dimensions.member.2.Name=Stage', 'MetricData.member.1.Values.member.2=2.25', 'Timestamp=2024-03-01T11%3A00%3A00.250000Z'],
  },
  {
    op: 'GetMetricStatistics',
    params: {
      Namespace: 'App/Orders', MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'api' }],
      StartTime: t0, EndTime: t1, Period: 60, Statistics: ['Average', 'Maximum'], ExtendedStatistics: ['p99'], Unit: 'Milliseconds',
    },
    output: {
      Label: 'Latency',
      Datapoints: [
        { Timestamp: t0, SampleCount: 4, Average: 1.875, Maximum: 2.25, Unit: 'Milliseconds', ExtendedStatistics: { p99: 2.25 } },
        { Timestamp: t1, SampleCount: 1, Average: 0.1, Maximum: 0.1, Unit: 'Milliseconds' },
      ],
    },
  },
  {
    op: 'DescribeAlarms',
    params: { AlarmNames: ['high-latency'], StateValue: 'ALARM', MaxRecords: 10, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
    output: {
      MetricAlarms: [{
        AlarmName: 'high-latency', AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-latency', AlarmDescription: 'p99 > 2',
        AlarmConfigurationUpdatedTimestamp: t0, ActionsEnabled: true, OKActions: [], AlarmActions: ['arn:aws:sns:us-east-1:000000000000:ops'],
        InsufficientDataActions: [], StateValue: 'ALARM', StateReason: 'Threshold Crossed', StateReasonData: '{"version":"1.0"}',
        StateUpdatedTimestamp: t1, MetricName: 'Latency', Namespace: 'App/Orders', Statistic: 'Average',
        Dimensions: [{ Name: 'Service', Value: 'api' }], Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 2.0,
        ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'missing',
      }],
      CompositeAlarms: [],
      NextToken: 'n',
    },
  },
  {
    // botocore 1.29's model predates StateTransitionedTimestamp: it must skip the unknown element.
    op: 'DescribeAlarms',
    params: {},
    output: { MetricAlarms: [{ AlarmName: 'a', StateTransitionedTimestamp: t1, StateUpdatedTimestamp: t0 }] },
    expected: { MetricAlarms: [{ AlarmName: 'a', StateUpdatedTimestamp: t0 }] },
  },
  {
    op: 'DeleteAlarms',
    params: { AlarmNames: ['x'] },
    error: new ServiceError('ResourceNotFound', 'The alarm x does not exist.'),
    expectedError: { exception: 'ResourceNotFound', code: 'ResourceNotFound', message: 'The alarm x does not exist.', type: 'Sender', status: 404 },
  },
  {
    // Modelled error members travel inside <Error>, beside Code and Message.
    op: 'TagResource',
    params: { ResourceARN: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:x', Tags: [{ Key: 'k', Value: 'v' }] },
    error: new ServiceError('ResourceNotFoundException', 'Alarm x not found', { fields: { ResourceType: 'alarm', ResourceId: 'x & y' } }),
    expectedError: {
      exception: 'ResourceNotFoundException', code: 'ResourceNotFoundException', message: 'Alarm x not found', type: 'Sender', status: 404,
      fields: { ResourceType: 'alarm', ResourceId: 'x & y' },
    },
  },
];
