// node:http clients for benchmarks: one-off requests (readiness, checks) and the
// concurrency-1 latency run (one keep-alive connection, sequential requests).
import http from 'node:http';

/** Sends one raw request ({method, path, headers, body}) to 127.0.0.1:port; resolves {status, headers, body}. */
export function sendOnce(port, request, { agent = false, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers, agent },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

/** The p-th percentile (0..100, nearest rank) of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Latency at concurrency 1: one keep-alive connection sends the prepared requests in
 * turn, each after the previous response ends. Runs `warmup` unmeasured requests, then
 * up to `count` measured ones or until `maxMs` passes; `onStart`/`onEnd` bracket the
 * measured ones. Latencies in ms.
 */
export async function runSequential(port, requests, { count = 5000, warmup = 500, maxMs = 10000, onStart, onEnd } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  let errors = 0;
  try {
    for (let i = 0; i < warmup; i++) await sendOnce(port, requests[i % requests.length], { agent });
    onStart?.();
    const started = performance.now();
    const deadline = started + maxMs;
    for (let i = 0; i < count && performance.now() < deadline; i++) {
      const t0 = performance.now();
      const res = await sendOnce(port, requests[i % requests.length], { agent });
      latencies.push(performance.now() - t0);
      if (res.status < 200 || res.status >= 300) errors++;
    }
    const elapsedMs = performance.now() - started;
    onEnd?.();
    latencies.sort((a, b) => a - b);
    return {
      tool: 'node:http c1',
      requests: latencies.length,
      errors,
      opsPerSec: (latencies.length * 1000) / elapsedMs,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    agent.destroy();
  }
}
