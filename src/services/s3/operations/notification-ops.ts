/**
 * PutBucketNotificationConfiguration and GetBucketNotificationConfiguration: the document
 * is checked (events, filters, overlapping rules), each destination is checked to exist
 * and sent an s3:TestEvent (unless x-amz-skip-destination-validation), then stored.
 */
import { ServiceError, isServiceError } from '../../../shared/errors.js';
import { parseArn } from '../../../shared/arn.js';
import { servicePrincipal } from '../../../shared/principal.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  GetBucketNotificationConfigurationRequest, NotificationConfiguration, PutBucketNotificationConfigurationRequest,
} from '../../../models/generated/s3.js';
import type { BucketRow, S3Store } from '../store.js';
import { requireBucket } from '../buckets.js';
import { normalizeConfiguration, testEventMessage, type CompiledConfiguration, type NotificationTarget } from '../notifications.js';
import { S3_SERVICE, publishToTopic, queueUrlOf, saveNotification, sendToQueue, storedNotification } from '../notification-delivery.js';

const MISSING: Record<NotificationTarget['kind'], string> = {
  queue: 'The destination queue does not exist',
  topic: 'The destination topic does not exist',
  lambda: 'The destination Lambda does not exist',
};
const NOT_PERMITTED: Record<'queue' | 'topic', string> = {
  queue: 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket',
  topic: 'Permissions on the destination topic do not allow S3 to publish notifications from this bucket',
};

/** 400 InvalidArgument naming each destination that failed, as numbered ArgumentName/ArgumentValue pairs. */
function unableToValidate(failures: readonly [string, string][]): ServiceError {
  const fields: Record<string, string> = {};
  failures.forEach(([arn, reason], i) => {
    fields[`ArgumentName${i + 1}`] = arn;
    fields[`ArgumentValue${i + 1}`] = reason;
  });
  return new ServiceError('InvalidArgument', 'Unable to validate the following destination configurations', { status: 400, fields });
}

/** Whether a destination exists; undefined when its service is not built in nimbus (the configuration is accepted). */
async function destinationExists(store: S3Store, ctx: RequestContext, t: NotificationTarget): Promise<boolean | undefined> {
  const arn = parseArn(t.arn)!;
  const options = { account: arn.account, region: arn.region, principal: servicePrincipal(arn.account, S3_SERVICE) };
  try {
    if (t.kind === 'queue') await queueUrlOf(store, ctx.internal, t.arn);
    else if (t.kind === 'topic') await ctx.internal.call('sns', 'GetTopicAttributes', { TopicArn: t.arn }, options);
    else await ctx.internal.call('lambda', 'GetFunction', { FunctionName: t.arn }, options);
    return true;
  } catch (e) {
    if (isServiceError(e) && e.code === 'NotImplemented') {
      ctx.logger.warn('s3 notification destination accepted without validation: its service is not implemented in nimbus', { destination: t.arn });
      return undefined;
    }
    return false;
  }
}

/** Checks every destination (region, existence), then sends each queue and topic the s3:TestEvent. */
async function validateDestinations(store: S3Store, ctx: RequestContext, bucket: BucketRow, config: CompiledConfiguration): Promise<void> {
  const seen = new Set<string>();
  const unique = config.targets.filter((t) => !seen.has(t.arn) && seen.add(t.arn));
  for (const t of unique) {
    if (parseArn(t.arn)!.region !== bucket.region) {
      throw new ServiceError('InvalidArgument', 'The notification destination service region is not valid for the bucket location constraint', { status: 400 });
    }
  }
  const missing: [string, string][] = [];
  const reachable: NotificationTarget[] = [];
  for (const t of unique) {
    const exists = await destinationExists(store, ctx, t);
    if (exists === false) missing.push([t.arn, MISSING[t.kind]]);
    else if (exists && t.kind !== 'lambda') reachable.push(t);
  }
  if (missing.length > 0) throw unableToValidate(missing);
  const message = testEventMessage(bucket.name, ctx.clock.now(), ctx.requestId);
  const refused: [string, string][] = [];
  for (const t of reachable) {
    try {
      if (t.kind === 'queue') await sendToQueue(store, ctx.internal, t.arn, message);
      else await publishToTopic(ctx.internal, t.arn, message);
    } catch {
      refused.push([t.arn, NOT_PERMITTED[t.kind as 'queue' | 'topic']]);
    }
  }
  if (refused.length > 0) throw unableToValidate(refused);
}

/** PutBucketNotificationConfiguration: replaces the bucket's configuration (an empty one turns notifications off). */
export async function putBucketNotificationConfiguration(store: S3Store, ctx: RequestContext, input: PutBucketNotificationConfigurationRequest): Promise<void> {
  const bucket = requireBucket(store, ctx, input.Bucket);
  const config = normalizeConfiguration(input.NotificationConfiguration ?? {});
  if (input.SkipDestinationValidation !== true) await validateDestinations(store, ctx, bucket, config);
  // The bucket may have gone (or been recreated) while the destinations were checked.
  saveNotification(store, requireBucket(store, ctx, input.Bucket), config);
}

/** GetBucketNotificationConfiguration: the stored document, empty when there is none. */
export function getBucketNotificationConfiguration(store: S3Store, ctx: RequestContext, input: GetBucketNotificationConfigurationRequest): NotificationConfiguration {
  requireBucket(store, ctx, input.Bucket);
  return storedNotification(store, input.Bucket) ?? {};
}
