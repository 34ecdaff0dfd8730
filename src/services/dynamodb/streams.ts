/** DynamoDB Streams: its own API (endpoint prefix streams.dynamodb), over the tables' change records. */
import type { ServiceDefinition, ServiceEnv } from '../../gateway/context.js';

/** The DynamoDB Streams provider. */
export class DynamoDbStreamsProvider {
  constructor(readonly env: ServiceEnv) {}
}

/** The streams.dynamodb service definition. */
export const dynamodbStreams: ServiceDefinition = {
  name: 'streams.dynamodb',
  create: (env) => new DynamoDbStreamsProvider(env),
};
