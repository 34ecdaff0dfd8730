/**
 * Extracts the query wire names that the current models of awsQueryCompatible
 * services (SQS, CloudWatch) no longer carry, from an older botocore whose models
 * still describe those services as `query` (Debian's python3-botocore 1.29):
 * per member reference the effective locationName / flattened / queryName /
 * xmlNamespace / xmlAttribute / timestampFormat, per operation the result wrapper,
 * the service's XML namespace, and per error shape the query error code and status.
 *
 * Error shapes added to the service after botocore 1.29 (SQS's InvalidAddress,
 * ReceiptHandleIsInvalid, Kms*, ...) are absent from that model; their query codes
 * come from the Smithy `awsQueryError` traits that the installed SDK v3 client
 * (@aws-sdk/client-<serviceId>) carries in its exported schemas.
 *
 * Only facts that differ from the current model are written, to
 * src/protocol/quirks/query-compat.json, which the query codec overlays on the model.
 *
 * Run: npx tsx codegen/query-names.ts [--botocore-data DIR] [--out FILE]
 *   DIR defaults to /usr/lib/python3/dist-packages/botocore/data
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { MODEL_SERVICES } from './services.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const generatedDir = join(root, 'src/models/generated');
const outFlag = process.argv.indexOf('--out');
const outFile = outFlag > 0 ? process.argv[outFlag + 1] : join(root, 'src/protocol/quirks/query-compat.json');

/** The wire traits of a reference that the query protocol reads. */
const TRAITS = ['locationName', 'flattened', 'queryName', 'xmlNamespace', 'xmlAttribute', 'timestampFormat'] as const;
type Trait = (typeof TRAITS)[number];

interface RawRef { shape: string; [k: string]: unknown }
interface RawShape { type: string; members?: Record<string, RawRef>; member?: RawRef; key?: RawRef; value?: RawRef; error?: { code?: string; httpStatusCode?: number; senderFault?: boolean }; exception?: boolean; [k: string]: unknown }
interface RawModel {
  metadata: { apiVersion: string; endpointPrefix: string; protocol: string; xmlNamespace?: string; awsQueryCompatible?: unknown; botocoreName?: string };
  operations: Record<string, { output?: { shape: string; resultWrapper?: string } }>;
  shapes: Record<string, RawShape>;
}

function readJson(path: string): RawModel {
  const raw = path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path);
  return JSON.parse(raw.toString('utf8')) as RawModel;
}

function dataDir(): string {
  const flag = process.argv.indexOf('--botocore-data');
  return flag > 0 ? process.argv[flag + 1] : '/usr/lib/python3/dist-packages/botocore/data';
}

function botocoreVersion(dir: string): string {
  const init = join(dir, '..', '__init__.py');
  if (!existsSync(init)) return 'unknown';
  return /__version__ = '([^']+)'/.exec(readFileSync(init, 'utf8'))?.[1] ?? 'unknown';
}

/** A reference's trait as botocore resolves it: the reference's own, else the target shape's. */
function effective(model: RawModel, ref: RawRef, trait: Trait): unknown {
  return ref[trait] ?? model.shapes[ref.shape]?.[trait];
}

/** The references of a shape by name: members of a structure, member of a list, key and value of a map. */
function refsOf(shape: RawShape): [string, RawRef][] {
  const out: [string, RawRef][] = Object.entries(shape.members ?? {});
  for (const part of ['member', 'key', 'value'] as const) {
    const r = shape[part];
    if (r) out.push([part, r]);
  }
  return out;
}

/** An error schema as the SDK v3 exports it: [-3, namespace, name, traits, ...]. */
type SdkErrorSchema = [number, string, string, { awsQueryError?: [string, number]; error?: string }, ...unknown[]];

/** Query error facts by shape name from the SDK v3 client's schemas (empty when the client is not installed). */
function sdkQueryErrors(serviceId: string): Record<string, { code: string; httpStatusCode: number; senderFault: boolean }> {
  const pkg = `@aws-sdk/client-${serviceId.toLowerCase().replace(/ /g, '-')}`;
  let exported: Record<string, unknown>;
  try {
    exported = createRequire(join(root, 'package.json'))(pkg) as Record<string, unknown>;
  } catch {
    return {};
  }
  const out: Record<string, { code: string; httpStatusCode: number; senderFault: boolean }> = {};
  for (const value of Object.values(exported)) {
    if (!Array.isArray(value) || value[0] !== -3) continue;
    const [, , name, traits] = value as SdkErrorSchema;
    const q = traits?.awsQueryError;
    if (q) out[name] = { code: q[0], httpStatusCode: q[1], senderFault: traits.error === 'client' };
  }
  return out;
}

function oldModelFile(dir: string, botocoreName: string, apiVersion: string): string | undefined {
  for (const f of ['service-2.json', 'service-2.json.gz']) {
    const p = join(dir, botocoreName, apiVersion, f);
    if (existsSync(p)) return p;
  }
  return undefined;
}

const dir = dataDir();
const services: Record<string, unknown> = {};
for (const prefix of MODEL_SERVICES) {
  const current = readJson(join(generatedDir, `${prefix}.model.json`));
  if (!current.metadata.awsQueryCompatible) continue;
  const name = current.metadata.botocoreName ?? prefix;
  const file = oldModelFile(dir, name, current.metadata.apiVersion);
  if (!file) throw new Error(`no query model for ${name} ${current.metadata.apiVersion} under ${dir}`);
  const old = readJson(file);
  if (old.metadata.protocol !== 'query') throw new Error(`${file} is not a query model`);

  const refs: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [shapeName, oldShape] of Object.entries(old.shapes)) {
    const newShape = current.shapes[shapeName];
    if (!newShape) continue;
    const newRefs = new Map(refsOf(newShape));
    for (const [refName, oldRef] of refsOf(oldShape)) {
      const newRef = newRefs.get(refName);
      if (!newRef) continue;
      const diff: Record<string, unknown> = {};
      for (const t of TRAITS) {
        const was = effective(old, oldRef, t);
        // null records a trait the query model lacks and the current model has.
        if (was !== effective(current, newRef, t)) diff[t] = was ?? null;
      }
      if (Object.keys(diff).length) (refs[shapeName] ??= {})[refName] = diff;
    }
  }

  const resultWrappers: Record<string, string> = {};
  for (const [opName, op] of Object.entries(old.operations)) {
    const wrapper = op.output?.resultWrapper;
    if (wrapper && current.operations[opName] && current.operations[opName].output?.resultWrapper !== wrapper) resultWrappers[opName] = wrapper;
  }

  const errors: Record<string, unknown> = {};
  for (const [shapeName, oldShape] of Object.entries(old.shapes)) {
    if (!oldShape.exception || !oldShape.error || !current.shapes[shapeName]) continue;
    if (JSON.stringify(oldShape.error) !== JSON.stringify(current.shapes[shapeName].error)) errors[shapeName] = oldShape.error;
  }
  const fromSdk = sdkQueryErrors((current.metadata as { serviceId?: string }).serviceId ?? name);
  for (const [shapeName, facts] of Object.entries(fromSdk)) {
    const shape = current.shapes[shapeName];
    if (!shape?.exception || errors[shapeName] || old.shapes[shapeName]?.error || shape.error) continue;
    errors[shapeName] = facts;
  }

  const entry: Record<string, unknown> = { botocoreName: name, apiVersion: old.metadata.apiVersion };
  if (old.metadata.xmlNamespace && old.metadata.xmlNamespace !== current.metadata.xmlNamespace) entry.xmlNamespace = old.metadata.xmlNamespace;
  entry.resultWrappers = resultWrappers;
  entry.refs = refs;
  entry.errors = errors;
  services[prefix] = entry;
}

writeFileSync(outFile, JSON.stringify({ source: `botocore ${botocoreVersion(dir)}`, services }, null, 1) + '\n');
console.log(`query-compat: ${Object.keys(services).join(', ')} -> ${outFile}`);
