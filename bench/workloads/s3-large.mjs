// One large object through a server and back, watching its memory: a streamed
// PutObject (SDK v3, body generated on the fly, aws-chunked with a trailing checksum
// as the SDK sends it) or an SDK v3 `Upload` (multipart), then GetObject streamed to
// /dev/null. VmRSS of the server is sampled every 50 ms; the figure is its growth over
// the RSS before the upload. The ETag (MD5, single PUT) and the MD5 of the bytes read
// back are checked against the MD5 of what was sent.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { sampleProcess, startServer, stopServer } from '../lib/proc.mjs';
import { generatedBody } from '../lib/generated-body.mjs';
import { persistentNimbus, s3rverTarget } from '../lib/targets.mjs';

const MiB = 1024 * 1024;
const BUCKET = 'bench-large';
const KEY = 'large-object';
const RESULTS_DIR = join(dirname(dirname(fileURLToPath(import.meta.url))), 'results');
const credentialsOf = (name) => (name === 's3rver' ? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } : { accessKeyId: 'test', secretAccessKey: 'test' });

/** Samples the server's VmRSS every `ms` until stopped; tracks the peak per phase. */
function rssSampler(pid, ms = 50) {
  const peaks = {};
  let phase = 'idle';
  const sample = () => {
    const kb = sampleProcess(pid).rssKb;
    peaks[phase] = Math.max(peaks[phase] ?? 0, kb);
    return kb;
  };
  const timer = setInterval(sample, ms);
  return {
    peaks,
    at(name) {
      sample();
      phase = name;
      return sample();
    },
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

/** Runs the check against one target; resolves the figures. */
async function runOne(target, { sizeBytes, mode }) {
  const server = await startServer(target);
  const endpoint = `http://${server.host}:${server.port}`;
  const c = new S3Client({ endpoint, region: 'us-east-1', credentials: credentialsOf(target.name), forcePathStyle: true, maxAttempts: 1 });
  const rss = rssSampler(server.pid);
  try {
    await c.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // Warm the paths used below with a small object so lazy loading is not counted as growth.
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'warm', Body: Buffer.alloc(1024) }));
    await (await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'warm' }))).Body.transformToByteArray();
    const beforeKb = rss.at('upload');
    const sent = createHash('md5');
    const t0 = performance.now();
    let etag;
    if (mode === 'upload') {
      const up = new Upload({ client: c, params: { Bucket: BUCKET, Key: KEY, Body: generatedBody(sizeBytes, sent) }, partSize: 16 * MiB, queueSize: 4 });
      etag = (await up.done()).ETag;
    } else {
      etag = (await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: generatedBody(sizeBytes, sent), ContentLength: sizeBytes }))).ETag;
    }
    const uploadS = (performance.now() - t0) / 1000;
    const sentMd5 = sent.digest('hex');
    rss.at('download');
    const t1 = performance.now();
    const got = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }));
    const received = createHash('md5');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk, _enc, done) {
        received.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(got.Body, tap, createWriteStream('/dev/null'));
    const downloadS = (performance.now() - t1) / 1000;
    rss.stop();
    const receivedMd5 = received.digest('hex');
    await c.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY }));
    const problems = [];
    if (bytes !== sizeBytes) problems.push(`read back ${bytes} bytes of ${sizeBytes}`);
    if (receivedMd5 !== sentMd5) problems.push(`MD5 read back ${receivedMd5} != sent ${sentMd5}`);
    if (mode === 'put' && etag !== `"${sentMd5}"`) problems.push(`ETag ${etag} != "${sentMd5}"`);
    const peakKb = Math.max(rss.peaks.upload ?? 0, rss.peaks.download ?? 0);
    return {
      mode,
      sizeBytes,
      etag,
      md5: sentMd5,
      rssBeforeMb: beforeKb / 1024,
      rssPeakUploadMb: (rss.peaks.upload ?? 0) / 1024,
      rssPeakDownloadMb: (rss.peaks.download ?? 0) / 1024,
      rssGrowthMb: (peakKb - beforeKb) / 1024,
      uploadS,
      downloadS,
      uploadMBps: sizeBytes / MiB / uploadS,
      downloadMBps: sizeBytes / MiB / downloadS,
      problems,
    };
  } finally {
    rss.stop();
    c.destroy();
    await stopServer(server);
  }
}

/**
 * Puts and gets one `sizeMiB` object on each target (nimbus persisting; s3rver when asked
 * with `only`), prints the figures and saves bench/results/s3-large-<size>-<mode>-<date>.json
 * unless `save` is false. Sets the exit code on a wrong answer or RSS growth over `goalMb`.
 */
export async function largeObjectMain({ sizeMiB = 2048, mode = 'put', only = ['nimbus'], save = true, goalMb = 50 } = {}) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const all = { nimbus: persistentNimbus({ logLevel: 'warn' }), s3rver: s3rverTarget() };
  const result = { workload: `s3-large-${sizeMiB}mib-${mode}`, title: `S3 ${sizeMiB} MiB object: ${mode === 'upload' ? 'SDK v3 Upload (multipart, 16 MiB parts)' : 'streamed PutObject'}, GetObject streamed to /dev/null; server VmRSS`, date: new Date().toISOString(), goal: `RSS growth < ${goalMb} MB`, targets: {} };
  for (const name of only) {
    const target = all[name];
    if (!target || target.available() !== true) continue;
    console.error(`[bench] ${result.workload}: ${name}`);
    try {
      result.targets[name] = await runOne(target, { sizeBytes: sizeMiB * MiB, mode });
    } catch (e) {
      result.targets[name] = { problems: [e.message] };
    }
    const t = result.targets[name];
    if (t.problems.length > 0) process.exitCode = 1;
    const pass = name === 'nimbus' && t.rssGrowthMb !== undefined ? (t.rssGrowthMb < goalMb ? 'PASS' : 'FAIL') : '';
    console.log(
      t.rssGrowthMb === undefined
        ? `${name}: ${t.problems.join('; ')}`
        : `${name}: RSS ${t.rssBeforeMb.toFixed(1)} MB before, peak ${t.rssPeakUploadMb.toFixed(1)} MB uploading, ${t.rssPeakDownloadMb.toFixed(1)} MB downloading: growth ${t.rssGrowthMb.toFixed(1)} MB ${pass}; ` +
            `up ${t.uploadMBps.toFixed(0)} MiB/s, down ${t.downloadMBps.toFixed(0)} MiB/s; ETag ${t.etag}${t.problems.length ? `; PROBLEMS: ${t.problems.join('; ')}` : ''}`,
    );
  }
  if (save) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${result.workload}-${result.date.slice(0, 10)}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`saved ${file}`);
  }
  return result;
}
