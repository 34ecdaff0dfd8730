/** Endpoint prefixes whose full models are generated: the services nimbus serves, and those its codec tests use. */
export const MODEL_SERVICES = [
  'sts', 's3', 'dynamodb', 'streams.dynamodb', 'sqs', 'sns', 'monitoring', 'ec2', 'lambda', 'kinesis', 'iam',
];

/** Endpoint prefixes that nimbus implements; codegen emits TypeScript types and an interface for each. */
export const IMPLEMENTED_SERVICES = ['sts', 's3', 'dynamodb', 'streams.dynamodb', 'sqs', 'sns'];
