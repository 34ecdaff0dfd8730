// Real SDK clients as load: `concurrency` workers in this process each await one call
// after another. The SDK's own CPU cost (signing, serializing, parsing) dominates, so
// these figures are client-bound: they show what an application sees, not server limits.
import { percentile } from './http.mjs';

/**
 * Runs `call()` (one SDK operation, rejecting on failure) from `concurrency` workers for
 * `durationS` seconds after `warmupS` unmeasured seconds, stopping early at `maxOps`.
 * `onStart`/`onEnd` bracket the measured window. Failed calls count as requests (and
 * errors), as wrk counts error responses. Latencies in ms.
 */
export async function runSdkLoad(call, { concurrency = 16, durationS = 3, warmupS = 0.5, maxOps = 1_000_000, onStart, onEnd } = {}) {
  const drive = async (seconds, record) => {
    const deadline = performance.now() + seconds * 1000;
    let budget = maxOps;
    let errors = 0;
    let firstError;
    const worker = async () => {
      while (budget-- > 0 && performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await call();
        } catch (err) {
          errors++;
          firstError ??= err;
        }
        record?.(performance.now() - t0);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { elapsedMs: performance.now() - started, errors, firstError };
  };

  if (warmupS > 0) await drive(warmupS);
  const latencies = [];
  onStart?.();
  const cpuBefore = process.cpuUsage();
  const { elapsedMs, errors, firstError } = await drive(durationS, (ms) => latencies.push(ms));
  const cpu = process.cpuUsage(cpuBefore);
  onEnd?.();
  latencies.sort((a, b) => a - b);
  return {
    tool: `sdk x${concurrency}`,
    requests: latencies.length,
    errors,
    firstError: firstError ? `${firstError.name}: ${firstError.message}` : undefined,
    durationS: elapsedMs / 1000,
    opsPerSec: (latencies.length * 1000) / elapsedMs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    // Near 1.0 means this process's one JS thread was the bottleneck.
    clientCpuCores: (cpu.user + cpu.system) / 1000 / elapsedMs,
  };
}
