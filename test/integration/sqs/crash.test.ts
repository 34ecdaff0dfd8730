/**
 * Durability: nimbus runs as its own process with --data-dir; senders, receivers and
 * deleters run against it until it is killed with SIGKILL in the middle of their
 * calls. After a restart on the same directory every acknowledged send is still there
 * (unless its delete was acknowledged), in-flight messages come back once their
 * visibility timeout has passed, and FIFO deduplication remembers what it saw.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand, GetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { clientConfig, freePort } from '../../helpers/nimbus.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// A bound so that a wedged child fails the test instead of hanging the run; nothing is timed.
const TIMEOUT = { timeout: 180_000 };

const children: ChildProcess[] = [];
const dirs: string[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts `nimbus start` on a data dir; resolves with the child once its banner names the endpoint. */
function startNimbusProcess(port: number, dataDir: string): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NIMBUS_')) env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', '--port', String(port), '--data-dir', dataDir, '--log-level', 'off'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      if (/\n {2}iam /.test(stderr)) resolve(child);
    });
    child.on('exit', (code, signal) => reject(new Error(`nimbus exited (${code ?? signal}) before it was ready:\n${stderr}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

test('kill -9 during sends, receives and deletes loses no acknowledged message', TIMEOUT, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-sqs-crash-'));
  dirs.push(dataDir);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child = await startNimbusProcess(port, dataDir);
  const sqs = new SQSClient(clientConfig(endpoint));
  const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '1' } }))).QueueUrl!;
  const fifoUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'durable.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
  const original = await sqs.send(new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'once' }));

  const acked = new Set<string>();
  const deleted = new Set<string>();
  let stop = false;
  const KILL_AFTER = 300;
  let resolveKill!: () => void;
  const killPoint = new Promise<void>((r) => (resolveKill = r));

  const sender = async (id: number) => {
    for (let i = 0; !stop; i++) {
      const body = `s${id}-${i}`;
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
        acked.add(body);
        if (acked.size >= KILL_AFTER) resolveKill();
      } catch {
        return; // the server is gone
      }
    }
  };
  const receiver = async () => {
    while (!stop) {
      try {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
        for (const [k, m] of (r.Messages ?? []).entries()) {
          // Delete every other message; the rest stay in flight and must come back.
          if (k % 2 === 0) {
            await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
            deleted.add(m.Body!);
          }
        }
      } catch {
        return;
      }
    }
  };
  const loops = [sender(0), sender(1), sender(2), receiver(), receiver()];
  await killPoint;
  await killed(child);
  stop = true;
  await Promise.all(loops);
  assert.ok(acked.size >= KILL_AFTER);

  child = await startNimbusProcess(port, dataDir);
  // Drain: in-flight messages reappear once their 1-second visibility timeout has passed.
  const drained = new Set<string>();
  for (;;) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2, VisibilityTimeout: 600 }));
    for (const m of r.Messages ?? []) drained.add(m.Body!);
    if (r.Messages) continue;
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
    const pending = Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesDelayed);
    // What is left in flight was received by this drain (600 s); anything else is still to come back.
    if (pending === 0 && Number(a.ApproximateNumberOfMessagesNotVisible) === drained.size) break;
  }
  // The loops did run: messages were deleted before the kill, and others survived it.
  assert.ok(deleted.size > 0 && drained.size > 0);
  const lost = [...acked].filter((b) => !deleted.has(b) && !drained.has(b));
  assert.deepEqual(lost, []);
  const resurrected = [...deleted].filter((b) => drained.has(b));
  assert.deepEqual(resurrected, []);

  // FIFO deduplication survives the restart.
  const again = await sqs.send(new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'once' }));
  assert.equal(again.MessageId, original.MessageId);
  assert.equal(again.SequenceNumber, original.SequenceNumber);
  await killed(child);
});
