/**
 * The logger: text and JSON line formats, level filtering, the per-request line,
 * and batching (one write per flush window, bounded bursts, flush on demand).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTick, setTimeout as sleep } from 'node:timers/promises';
import { createLogger, FLUSH_MS, type LoggerOptions } from './logger.js';

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

function capture(options: Omit<LoggerOptions, 'write'> = {}) {
  const writes: string[] = [];
  const logger = createLogger({ flushMs: 0, ...options, write: (text) => writes.push(text) });
  const lines = () => writes.join('').split('\n').filter((l) => l !== '');
  return { logger, writes, lines };
}

test('text lines: time, padded level, message, then key=value fields (strings bare, others as JSON)', () => {
  const { logger, lines } = capture({ level: 'debug' });
  logger.info('nimbus started', { port: 4566, host: '127.0.0.1', services: ['sts'], skipped: undefined });
  logger.warn('slow');
  logger.error('broken', { error: 'Error: x', code: 'E1' });
  logger.debug('detail', { nested: { a: 1 } });
  logger.flush();
  const got = lines();
  assert.equal(got.length, 4);
  assert.match(got[0], new RegExp(`^${ISO} INFO  nimbus started port=4566 host=127\\.0\\.0\\.1 services=\\["sts"\\]$`));
  assert.match(got[1], new RegExp(`^${ISO} WARN  slow$`));
  assert.match(got[2], new RegExp(`^${ISO} ERROR broken error=Error: x code=E1$`));
  assert.match(got[3], new RegExp(`^${ISO} DEBUG detail nested=\\{"a":1\\}$`));
});

test('JSON lines: one object per line with time, level, msg and the fields', () => {
  const { logger, writes, lines } = capture({ json: true });
  logger.info('nimbus started', { port: 4566, services: ['sts'] });
  logger.error('broken', { error: 'multi\nline' });
  logger.flush();
  assert.ok(writes.join('').endsWith('\n'));
  const [a, b] = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.match(String(a.time), new RegExp(`^${ISO}$`));
  assert.deepEqual({ ...a, time: 'T' }, { time: 'T', level: 'info', msg: 'nimbus started', port: 4566, services: ['sts'] });
  assert.deepEqual({ ...b, time: 'T' }, { time: 'T', level: 'error', msg: 'broken', error: 'multi\nline' });
  assert.equal(lines().length, 2);
});

test('request lines in text and JSON', () => {
  const text = capture();
  text.logger.request('sts', 'GetCallerIdentity', 200, 1.2345);
  text.logger.request('sqs', 'ListQueues', 501, 0.04, { error: 'NotImplemented', requestId: 'r-1' });
  text.logger.flush();
  assert.match(text.lines()[0], new RegExp(`^${ISO} INFO  sts GetCallerIdentity 200 1\\.2ms$`));
  assert.match(text.lines()[1], new RegExp(`^${ISO} INFO  sqs ListQueues 501 0\\.0ms error=NotImplemented requestId=r-1$`));

  const json = capture({ json: true });
  json.logger.request('sts', 'GetCallerIdentity', 200, 1.23456);
  json.logger.request('sqs', 'ListQueues', 501, 2, { error: 'NotImplemented', requestId: 'r-1' });
  json.logger.flush();
  const [a, b] = json.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual({ ...a, time: 'T' }, { time: 'T', level: 'info', msg: 'request', service: 'sts', operation: 'GetCallerIdentity', status: 200, ms: 1.235 });
  assert.deepEqual({ ...b, time: 'T' }, { time: 'T', level: 'info', msg: 'request', service: 'sqs', operation: 'ListQueues', status: 501, ms: 2, error: 'NotImplemented', requestId: 'r-1' });
});

test('levels below the minimum are dropped; enabled() says so', () => {
  const { logger, lines } = capture({ level: 'warn' });
  logger.debug('d');
  logger.info('i');
  logger.request('sts', 'GetCallerIdentity', 200, 1);
  logger.warn('w');
  logger.error('e');
  logger.flush();
  assert.deepEqual(lines().map((l) => l.slice(25)), ['WARN  w', 'ERROR e']);
  assert.deepEqual(['debug', 'info', 'warn', 'error'].map((l) => logger.enabled(l as 'debug')), [false, false, true, true]);
});

test('the default level is info', () => {
  const { logger, lines } = capture();
  logger.debug('hidden');
  logger.info('shown');
  logger.flush();
  assert.deepEqual(lines().map((l) => l.slice(25)), ['INFO  shown']);
  assert.equal(logger.enabled('debug'), false);
  assert.equal(logger.enabled('info'), true);
});

test("'off' writes nothing at all", async () => {
  for (const json of [false, true]) {
    const { logger, writes } = capture({ level: 'off', json });
    logger.error('e');
    logger.request('sts', 'GetCallerIdentity', 500, 1);
    logger.flush();
    await nextTick();
    assert.deepEqual(writes, []);
    assert.equal(logger.enabled('error'), false);
  }
});

test('lines of one tick are written together, after the tick, in order', async () => {
  for (const json of [false, true]) {
    const { logger, writes, lines } = capture({ json });
    logger.info('one');
    logger.request('sts', 'GetCallerIdentity', 200, 1);
    logger.warn('two');
    assert.deepEqual(writes, [], 'nothing is written synchronously');
    await nextTick();
    assert.equal(writes.length, 1);
    assert.deepEqual(lines().map((l) => /one|GetCallerIdentity|two/.exec(l)?.[0]), ['one', 'GetCallerIdentity', 'two']);
    logger.info('three');
    await nextTick();
    assert.equal(writes.length, 2);
    assert.equal(lines().length, 4);
  }
});

test('flush writes what is buffered at once; flushing nothing writes nothing', async () => {
  const { logger, writes } = capture();
  logger.flush();
  assert.deepEqual(writes, []);
  logger.info('now');
  logger.flush();
  assert.equal(writes.length, 1);
  await nextTick();
  assert.equal(writes.length, 1, 'the scheduled flush finds nothing left');
});

test('a burst within one tick is written in bounded batches, request lines in JSON too', async () => {
  for (const json of [false, true]) {
    const { logger, writes, lines } = capture({ json });
    for (let i = 0; i < 1200; i++) {
      if (i % 2 === 0) logger.info(`line ${i}`);
      else logger.request('sts', 'GetCallerIdentity', 200, i);
    }
    assert.equal(writes.length, 2, `${json ? 'json' : 'text'}: two batches of 513 lines before the tick ends`);
    assert.deepEqual(writes.map((w) => w.split('\n').length - 1), [513, 513]);
    await nextTick();
    assert.equal(lines().length, 1200);
  }
});

test('by default lines wait for the flush window and go out in one write', async () => {
  const writes: string[] = [];
  const logger = createLogger({ write: (text) => writes.push(text) });
  logger.request('dynamodb', 'GetItem', 200, 0.4);
  await nextTick();
  logger.request('dynamodb', 'PutItem', 200, 0.5);
  await nextTick();
  assert.deepEqual(writes, [], 'nothing written after a tick');
  // Node fires timers in order of expiry: the logger's FLUSH_MS timer before this one.
  await sleep(FLUSH_MS + 5);
  assert.equal(writes.length, 1);
  assert.match(writes[0]!, /GetItem 200 0\.4ms\n.*PutItem 200 0\.5ms\n$/);
});
