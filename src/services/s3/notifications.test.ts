import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../shared/errors.js';
import {
  checkOverlaps, eventBridgeEntry, eventKey, eventMessage, eventsOverlap, normalizeConfiguration, prefixesOverlap, suffixesOverlap,
  targetMatches, testEventMessage, type NotificationTarget, type ObjectEvent,
} from './notifications.js';

const Q = 'arn:aws:sqs:us-east-1:000000000000:q';
const OVERLAP = 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.';

function target(events: string[], prefix = '', suffix = ''): NotificationTarget {
  return { kind: 'queue', id: 'x', arn: Q, events, prefix, suffix };
}

function thrown(f: () => unknown): ServiceError {
  try {
    f();
  } catch (e) {
    return e as ServiceError;
  }
  throw new Error('expected a throw');
}

test('event keys are form-encoded with slashes kept (spaces as +, = as %3D)', () => {
  const cases: [string, string][] = [
    ['plain.txt', 'plain.txt'],
    ['dir/sub dir/file name.txt', 'dir/sub+dir/file+name.txt'],
    ['year=2024/month=01/x.csv', 'year%3D2024/month%3D01/x.csv'],
    ['a+b&c?d#e', 'a%2Bb%26c%3Fd%23e'],
    ["it's (1)!~*", 'it%27s+%281%29%21%7E*'],
    ['ünï/中', '%C3%BCn%C3%AF/%E4%B8%AD'],
  ];
  for (const [key, encoded] of cases) assert.equal(eventKey(key), encoded, key);
});

test('event overlap: same name, or a wildcard of the same category', () => {
  assert.equal(eventsOverlap('s3:ObjectCreated:Put', 's3:ObjectCreated:Put'), true);
  assert.equal(eventsOverlap('s3:ObjectCreated:*', 's3:ObjectCreated:Copy'), true);
  assert.equal(eventsOverlap('s3:ObjectCreated:Put', 's3:ObjectCreated:Copy'), false);
  assert.equal(eventsOverlap('s3:ObjectCreated:*', 's3:ObjectRemoved:*'), false);
  assert.equal(eventsOverlap('s3:LifecycleTransition', 's3:LifecycleTransition'), true);
  assert.equal(eventsOverlap('s3:LifecycleExpiration:*', 's3:LifecycleTransition'), false);
});

test('prefix and suffix overlap: one starts (ends) with the other; empty overlaps everything', () => {
  assert.equal(prefixesOverlap('images/', 'images/thumbs/'), true);
  assert.equal(prefixesOverlap('images/', 'docs/'), false);
  assert.equal(prefixesOverlap('', 'docs/'), true);
  assert.equal(suffixesOverlap('.jpg', 'pg'), true);
  assert.equal(suffixesOverlap('.jpg', '.png'), false);
  assert.equal(suffixesOverlap('', '.png'), true);
});

test('overlapping rules for the same event type are ambiguous; disjoint prefixes or suffixes, or other events, are not', () => {
  const ambiguous: NotificationTarget[][] = [
    [target(['s3:ObjectCreated:*']), target(['s3:ObjectCreated:Put'])],
    [target(['s3:ObjectCreated:*'], 'a/'), target(['s3:ObjectCreated:*'], 'a/b/')],
    [target(['s3:ObjectCreated:*'], 'a/', '.jpg'), target(['s3:ObjectCreated:*'], '', 'jpg')],
    [target(['s3:ObjectRemoved:Delete', 's3:ObjectCreated:Put']), target(['s3:ObjectCreated:Put'], 'x')],
  ];
  for (const t of ambiguous) {
    const e = thrown(() => checkOverlaps(t));
    assert.deepEqual([e.code, e.message, e.status], ['InvalidArgument', OVERLAP, 400]);
  }
  const fine: NotificationTarget[][] = [
    [target(['s3:ObjectCreated:*']), target(['s3:ObjectRemoved:*'])],
    [target(['s3:ObjectCreated:*'], 'a/'), target(['s3:ObjectCreated:*'], 'b/')],
    [target(['s3:ObjectCreated:*'], 'a/', '.jpg'), target(['s3:ObjectCreated:*'], 'a/', '.png')],
    [target(['s3:ObjectCreated:Put']), target(['s3:ObjectCreated:Copy'])],
  ];
  for (const t of fine) checkOverlaps(t);
});

test('normalizeConfiguration: ids generated, rule names capitalized, unknown events and rules refused', () => {
  const out = normalizeConfiguration({
    QueueConfigurations: [{ QueueArn: Q, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } }],
    EventBridgeConfiguration: {},
  });
  const q = out.document.QueueConfigurations![0]!;
  assert.match(q.Id!, /^[A-Za-z0-9+/]{48}$/);
  assert.equal(Buffer.from(q.Id!, 'base64').toString().length, 36);
  assert.deepEqual(q.Filter, { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }, { Name: 'Suffix', Value: '.csv' }] } });
  assert.deepEqual(out.document.EventBridgeConfiguration, {});
  assert.equal(out.eventBridge, true);
  assert.deepEqual(out.targets.map((t) => [t.kind, t.prefix, t.suffix]), [['queue', 'in/', '.csv']]);

  const unknown = thrown(() => normalizeConfiguration({ QueueConfigurations: [{ QueueArn: Q, Events: ['s3:ObjectCreated:Nope' as 's3:ObjectCreated:Put'] }] }));
  assert.deepEqual([unknown.code, unknown.message], ['InvalidArgument', 'The event is not supported for notifications']);
  const badRule = thrown(() => normalizeConfiguration({ QueueConfigurations: [{ QueueArn: Q, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'infix' as 'prefix', Value: 'x' }] } } }] }));
  assert.deepEqual([badRule.code, badRule.message], ['InvalidArgument', 'filter rule name must be either prefix or suffix']);
  const twice = thrown(() => normalizeConfiguration({ QueueConfigurations: [{ QueueArn: Q, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a' }, { Name: 'Prefix' as 'prefix', Value: 'b' }] } } }] }));
  assert.deepEqual([twice.code, twice.message], ['InvalidArgument', 'Cannot specify more than one prefix rule in a filter.']);
  const badArn = thrown(() => normalizeConfiguration({ TopicConfigurations: [{ TopicArn: Q, Events: ['s3:ObjectCreated:*'] }] }));
  assert.deepEqual([badArn.code, badArn.message, badArn.fields], ['InvalidArgument', 'The ARN could not be parsed', { ArgumentName: 'TopicArn', ArgumentValue: Q }]);
});

test('targetMatches: exact event or its category wildcard, key filters on the raw key', () => {
  const t = target(['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'], 'in put/', '.csv');
  assert.equal(targetMatches(t, 'ObjectCreated:Copy', 'in put/a.csv'), true);
  assert.equal(targetMatches(t, 'ObjectRemoved:Delete', 'in put/a.csv'), true);
  assert.equal(targetMatches(t, 'ObjectRemoved:DeleteMarkerCreated', 'in put/a.csv'), false);
  assert.equal(targetMatches(t, 'ObjectCreated:Put', 'in put/a.txt'), false);
  assert.equal(targetMatches(t, 'ObjectCreated:Put', 'out/a.csv'), false);
});

const EVENT: ObjectEvent = {
  name: 'ObjectCreated:Put', bucket: 'b', account: '000000000000', region: 'eu-west-1', key: 'a b.txt', size: 3, etag: 'abc',
  sequencer: '00018C0000000000000', time: Date.UTC(2024, 0, 2, 3, 4, 5, 6), requestId: 'REQ', principalId: 'AWS:AIDA1', requester: '000000000000', sourceIp: '127.0.0.1',
};

test('eventMessage: the record as S3 documents it; removals carry no size or eTag, tagging no sequencer', () => {
  const created = JSON.parse(eventMessage(EVENT, 'cfg')) as { Records: Record<string, unknown>[] };
  assert.deepEqual(created, {
    Records: [{
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'eu-west-1', eventTime: '2024-01-02T03:04:05.006Z', eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDA1' }, requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': Buffer.from('REQ').toString('base64') },
      s3: {
        s3SchemaVersion: '1.0', configurationId: 'cfg',
        bucket: { name: 'b', ownerIdentity: { principalId: (created.Records[0] as { s3: { bucket: { ownerIdentity: { principalId: string } } } }).s3.bucket.ownerIdentity.principalId }, arn: 'arn:aws:s3:::b' },
        object: { key: 'a+b.txt', size: 3, eTag: 'abc', sequencer: '00018C0000000000000' },
      },
    }],
  });
  const removed = JSON.parse(eventMessage({ ...EVENT, name: 'ObjectRemoved:DeleteMarkerCreated', size: undefined, etag: undefined, versionId: 'v1' }, 'cfg')) as { Records: { s3: { object: unknown } }[] };
  assert.deepEqual(removed.Records[0]!.s3.object, { key: 'a+b.txt', versionId: 'v1', sequencer: '00018C0000000000000' });
  const tagged = JSON.parse(eventMessage({ ...EVENT, name: 'ObjectTagging:Put', size: undefined }, 'cfg')) as { Records: { eventVersion: string; s3: { object: unknown } }[] };
  assert.equal(tagged.Records[0]!.eventVersion, '2.3');
  assert.deepEqual(tagged.Records[0]!.s3.object, { key: 'a+b.txt', eTag: 'abc' });
});

test('testEventMessage and the EventBridge entry', () => {
  assert.equal(testEventMessage('b', Date.UTC(2024, 0, 1), 'R'), '{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2024-01-01T00:00:00.000Z","Bucket":"b","RequestId":"R","HostId":"Ug=="}');
  const created = eventBridgeEntry(EVENT);
  assert.equal(created.DetailType, 'Object Created');
  assert.deepEqual(JSON.parse(created.Detail), {
    version: '0', bucket: { name: 'b' }, object: { key: 'a b.txt', size: 3, etag: 'abc', sequencer: '00018C0000000000000' },
    'request-id': 'REQ', requester: '000000000000', 'source-ip-address': '127.0.0.1', reason: 'PutObject',
  });
  const deleted = eventBridgeEntry({ ...EVENT, name: 'ObjectRemoved:DeleteMarkerCreated', versionId: 'v' });
  assert.equal(deleted.DetailType, 'Object Deleted');
  assert.deepEqual(JSON.parse(deleted.Detail), {
    version: '0', bucket: { name: 'b' }, object: { key: 'a b.txt', 'version-id': 'v', sequencer: '00018C0000000000000' },
    'request-id': 'REQ', requester: '000000000000', 'source-ip-address': '127.0.0.1', reason: 'DeleteObject', 'deletion-type': 'Delete Marker Created',
  });
});
