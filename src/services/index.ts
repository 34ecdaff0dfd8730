/** The services nimbus implements, by endpoint prefix. */
import type { ServiceDefinition } from '../gateway/context.js';
import { sts } from './sts/index.js';
import { s3 } from './s3/index.js';
import { dynamodb } from './dynamodb/index.js';
import { dynamodbStreams } from './dynamodb/streams.js';
import { sqs } from './sqs/index.js';
import { sns } from './sns/index.js';

/** Every implemented service definition. */
export const SERVICE_DEFINITIONS: readonly ServiceDefinition[] = [sts, s3, dynamodb, dynamodbStreams, sqs, sns];
