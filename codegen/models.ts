/**
 * Reads botocore's full service models (service-2.json.gz: shapes, http bindings,
 * validation traits, error shapes) and writes:
 *  - src/models/generated/index.json: every AWS service's routing facts, so that any
 *    request can be attributed to a service and operation (501 for the unimplemented);
 *  - src/models/generated/<endpointPrefix>.model.json: the full model, documentation
 *    stripped, for each service nimbus serves or tests a codec with.
 *
 * The aws-sdk v2 `apis/*.min.json` files lack enums, lengths, patterns and error
 * shapes, so botocore (pinned by the version recorded in index.json) is the source.
 *
 * Run: npx tsx codegen/models.ts [--botocore DIR]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_SERVICES } from './services.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/models/generated');

function botocoreDir(): { dir: string; version: string } {
  const flag = process.argv.indexOf('--botocore');
  if (flag > 0) return { dir: process.argv[flag + 1], version: 'unknown' };
  const out = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__));print(botocore.__version__)'], { encoding: 'utf8' });
  const [dir, version] = out.trim().split('\n');
  return { dir, version };
}

function readJson(path: string): any {
  const raw = path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path);
  return JSON.parse(raw.toString('utf8'));
}

const DROP = new Set(['documentation', 'documentationUrl', 'examples', 'deprecatedMessage']);
function strip(value: any): any {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) if (!DROP.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}

function latestModel(dataDir: string, name: string): string | undefined {
  const versions = readdirSync(join(dataDir, name)).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort();
  for (const v of versions.reverse()) {
    for (const f of ['service-2.json.gz', 'service-2.json']) {
      const p = join(dataDir, name, v, f);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

const { dir, version } = botocoreDir();
const dataDir = join(dir, 'data');
mkdirSync(outDir, { recursive: true });

const services: Record<string, unknown> = {};
const metadata: Record<string, unknown> = {};
for (const name of readdirSync(dataDir).sort()) {
  if (!existsSync(join(dataDir, name)) || name.endsWith('.json')) continue;
  const file = latestModel(dataDir, name);
  if (!file) continue;
  const model = readJson(file);
  const md = model.metadata;
  const rest = md.protocol === 'rest-json' || md.protocol === 'rest-xml';
  const operations: Record<string, unknown> = {};
  for (const [opName, op] of Object.entries<any>(model.operations)) {
    operations[opName] = rest ? [op.http?.method ?? 'POST', op.http?.requestUri ?? '/'] : 0;
  }
  const entry = {
    botocoreName: name,
    endpointPrefix: md.endpointPrefix,
    signingName: md.signingName ?? md.endpointPrefix,
    serviceId: md.serviceId,
    apiVersion: md.apiVersion,
    protocol: md.protocol,
    protocols: md.protocols ?? [md.protocol],
    jsonVersion: md.jsonVersion,
    targetPrefix: md.targetPrefix,
    awsQueryCompatible: md.awsQueryCompatible ? true : undefined,
    operations,
  };
  // Several botocore names can share an endpoint prefix (old and new APIs); keep the newest model.
  const key = md.endpointPrefix + (services[md.endpointPrefix] ? `#${name}` : '');
  services[key] = entry;
  if (MODEL_SERVICES.includes(md.endpointPrefix) && !key.includes('#')) {
    const stripped = strip(model);
    stripped.metadata.botocoreName = name;
    writeFileSync(join(outDir, `${md.endpointPrefix}.model.json`), JSON.stringify(stripped));
    metadata[md.endpointPrefix] = stripped.metadata;
  }
}
// The metadata alone, so the gateway can index served services without loading their models at startup.
writeFileSync(join(outDir, 'metadata.json'), JSON.stringify(metadata));
writeFileSync(join(outDir, 'index.json'), JSON.stringify({ botocoreVersion: version, services }));
console.log(`botocore ${version}: ${Object.keys(services).length} services indexed, ${MODEL_SERVICES.length} models written`);
