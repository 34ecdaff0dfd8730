/**
 * The AWS CLI's high-level S3 commands as users run them, with both CLI generations:
 * `aws s3 sync` up, again after a change (only the changed file goes), down, and with
 * --delete; `aws s3 cp` of a 100 MB file (multipart, 8 MB parts) both ways.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync, readdirSync, statSync, createWriteStream, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { ListObjectsV2Command, HeadObjectCommand } from '@aws-sdk/client-s3';
import { installedClients, runCli } from '../../helpers/nimbus.js';
import { s3Harness } from '../../helpers/harness.js';

const { cloud, s3 } = s3Harness({
  setup: async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-s3-sync-'));
    big = join(dir, 'big.bin');
    await writeBigFile(big);
  },
});
let dir: string;
let big: string;
const BIG = 100 * 1024 * 1024;

/** A 100 MB file written in 1 MiB blocks (each block differs), never held whole. */
async function writeBigFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < BIG / block.length; i++) {
    block.writeUInt32BE(i, 0);
    block.fill(i % 251, 4, 64);
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Relative path -> content of every file under `root`. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

async function keys(bucket: string): Promise<string[]> {
  const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (r.Contents ?? []).map((o) => o.Key!);
}

after(() => rmSync(dir, { recursive: true, force: true }));

const present = installedClients();

present.filter((c) => c.kind === 'cli').forEach((client, i) => {
  test(`${client.name}: s3 sync up, incremental, down, --delete`, async () => {
    const bucket = `sync-${i}-bucket`;
    const src = join(dir, `src-${i}`);
    mkdirSync(join(src, 'docs', 'deep'), { recursive: true });
    writeFileSync(join(src, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(src, 'docs', 'a.txt'), 'alpha');
    writeFileSync(join(src, 'docs', 'deep', 'b with space.txt'), 'bravo');
    writeFileSync(join(src, 'docs', 'deep', 'ünïcode.txt'), 'unicode');
    assert.equal((await runCli(client.bin, cloud.endpoint, ['s3', 'mb', `s3://${bucket}`])).status, 0);

    const up = await runCli(client.bin, cloud.endpoint, ['s3', 'sync', src, `s3://${bucket}/site`]);
    assert.equal(up.status, 0, up.stderr);
    assert.equal(up.stdout.match(/^upload: /gm)?.length, 4, up.stdout);
    assert.deepEqual(await keys(bucket), ['site/docs/a.txt', 'site/docs/deep/b with space.txt', 'site/docs/deep/ünïcode.txt', 'site/index.html']);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'site/index.html' }));
    assert.equal(head.ContentType, 'text/html');
    assert.equal(head.ContentLength, 13);

    // Nothing changed: nothing goes. One file grows: only it goes.
    const again = await runCli(client.bin, cloud.endpoint, ['s3', 'sync', src, `s3://${bucket}/site`]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout.trim(), '');
    writeFileSync(join(src, 'docs', 'a.txt'), 'alpha, longer now');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(src, 'docs', 'a.txt'), later, later);
    const changed = await runCli(client.bin, cloud.endpoint, ['s3', 'sync', src, `s3://${bucket}/site`]);
    assert.equal(changed.status, 0, changed.stderr);
    assert.deepEqual(changed.stdout.match(/^upload: .*$/gm)?.map((l) => l.replace(/\\/g, '/').split(' to ')[1]), [`s3://${bucket}/site/docs/a.txt`]);

    const down = join(dir, `down-${i}`);
    const got = await runCli(client.bin, cloud.endpoint, ['s3', 'sync', `s3://${bucket}/site`, down]);
    assert.equal(got.status, 0, got.stderr);
    assert.deepEqual(tree(down), tree(src));

    rmSync(join(src, 'docs', 'deep'), { recursive: true });
    const del = await runCli(client.bin, cloud.endpoint, ['s3', 'sync', src, `s3://${bucket}/site`, '--delete']);
    assert.equal(del.status, 0, del.stderr);
    assert.equal(del.stdout.match(/^delete: /gm)?.length, 2, del.stdout);
    assert.deepEqual(await keys(bucket), ['site/docs/a.txt', 'site/index.html']);
    assert.equal((await runCli(client.bin, cloud.endpoint, ['s3', 'rb', `s3://${bucket}`, '--force'])).status, 0);
  });

  test(`${client.name}: s3 cp of a 100 MB file goes multipart and comes back identical`, async () => {
    const bucket = `big-${i}-bucket`;
    assert.equal((await runCli(client.bin, cloud.endpoint, ['s3', 'mb', `s3://${bucket}`])).status, 0);
    const up = await runCli(client.bin, cloud.endpoint, ['s3', 'cp', big, `s3://${bucket}/big.bin`]);
    assert.equal(up.status, 0, up.stderr);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    assert.equal(head.ContentLength, BIG);
    // The CLI's default part size is 8 MB: 100 MB is 13 parts.
    assert.match(head.ETag!, /^"[0-9a-f]{32}-13"$/);
    const back = join(dir, `big-back-${i}.bin`);
    const down = await runCli(client.bin, cloud.endpoint, ['s3', 'cp', `s3://${bucket}/big.bin`, back]);
    assert.equal(down.status, 0, down.stderr);
    assert.equal(statSync(back).size, BIG);
    assert.equal(sha(back), sha(big));
    rmSync(back);
    assert.equal((await runCli(client.bin, cloud.endpoint, ['s3', 'rb', `s3://${bucket}`, '--force'])).status, 0);
  });
});
