/**
 * Writes src/models/generated/<endpointPrefix>.ts for each implemented service: one
 * interface per structure its operations use (inputs, outputs, nested, errors), enums
 * as unions of literals, the provider interface `<Service>Operations` (one optional
 * method per operation), `<PREFIX>_OPERATIONS` (operation -> method name) and the
 * union of the model's error codes. Reads the models codegen/models.ts wrote.
 *
 * Run: npx tsx codegen/types.ts [--out DIR] [endpointPrefix ...]
 * (default: every service in IMPLEMENTED_SERVICES, written to src/models/generated).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMPLEMENTED_SERVICES } from './services.js';

interface RawRef { shape: string; streaming?: boolean; deprecated?: boolean; [trait: string]: unknown }
interface RawShape {
  type: string; members?: Record<string, RawRef>; member?: RawRef; key?: RawRef; value?: RawRef; required?: string[];
  enum?: string[]; streaming?: boolean; eventstream?: boolean; document?: boolean; exception?: boolean;
  error?: { code?: string; httpStatusCode?: number };
}
interface RawOperation { name: string; input?: RawRef; output?: RawRef; errors?: RawRef[] }
/** The parts of a botocore model the generator reads. */
export interface RawModel {
  metadata: { serviceId: string; endpointPrefix: string; apiVersion: string };
  operations: Record<string, RawOperation>;
  shapes: Record<string, RawShape>;
}

/** PascalCase of a serviceId: STS -> Sts, "DynamoDB Streams" -> DynamoDbStreams, EC2 -> Ec2. */
export function servicePascalName(serviceId: string): string {
  const words = serviceId.match(/[A-Z]+(?=v\d)|v\d+|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [];
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
}

/** The provider method name of an operation: the name with its first letter lower-cased. */
export function operationMethodName(operation: string): string {
  return operation.charAt(0).toLowerCase() + operation.slice(1);
}

// Names the generated file uses itself, or that TypeScript reserves; a shape with one of them
// gets a leading underscore, as the AWS SDK v3 does (Kinesis's Record becomes _Record).
const RESERVED = new Set([
  'Array', 'AsyncIterable', 'Buffer', 'Date', 'Promise', 'Record', 'Uint8Array', 'RequestContext',
  'Object', 'Error', 'String', 'Number', 'Boolean', 'Symbol', 'Function', 'Map', 'Set',
  'BlobOutput', 'StreamingBlobInput', 'StreamingBlobOutput',
  'any', 'unknown', 'never', 'number', 'string', 'boolean', 'symbol', 'object', 'void', 'undefined', 'null', 'bigint',
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'return', 'super', 'switch',
  'this', 'throw', 'true', 'try', 'typeof', 'var', 'while', 'with', 'type', 'interface',
]);

const IDENT = /^[A-Za-z_$][\w$]*$/;

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function prop(name: string): string {
  return IDENT.test(name) ? name : quote(name);
}

/** Generates the TypeScript source for one model. */
export function generateTypes(model: RawModel, botocoreVersion: string): string {
  const { serviceId, endpointPrefix, apiVersion } = model.metadata;
  const service = servicePascalName(serviceId);
  const operationsType = `${service}Operations`;
  const errorCodeType = `${service}ErrorCode`;
  const operationsConst = `${endpointPrefix.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_OPERATIONS`;
  const taken = new Set([...RESERVED, operationsType, errorCodeType, operationsConst]);
  const typeName = (shape: string) => (taken.has(shape) || !IDENT.test(shape) ? `_${shape.replace(/[^\w$]/g, '_')}` : shape);
  const shapeOf = (name: string): RawShape => {
    const s = model.shapes[name];
    if (!s) throw new Error(`${endpointPrefix}: unknown shape ${name}`);
    return s;
  };

  // Which named types are used, and which structures an input reaches (their required members stay required).
  const structures: string[] = [];
  const enums: string[] = [];
  const inputSide = new Set<string>();
  const seenIn = new Set<string>();
  const seenOut = new Set<string>();
  const visit = (name: string, input: boolean) => {
    const seen = input ? seenIn : seenOut;
    if (seen.has(name)) return;
    seen.add(name);
    const s = shapeOf(name);
    if (s.type === 'structure' && !s.document) {
      if (input) inputSide.add(name);
      if (!structures.includes(name)) structures.push(name);
      for (const ref of Object.values(s.members ?? {})) visit(ref.shape, input);
    } else if (s.type === 'list' && s.member) {
      visit(s.member.shape, input);
    } else if (s.type === 'map') {
      if (s.key) visit(s.key.shape, input);
      if (s.value) visit(s.value.shape, input);
    } else if (s.type === 'string' && s.enum && !enums.includes(name)) {
      enums.push(name);
    }
  };
  const ops = Object.values(model.operations);
  for (const op of ops) {
    if (op.input) visit(op.input.shape, true);
    if (op.output) visit(op.output.shape, false);
    for (const e of op.errors ?? []) visit(e.shape, false);
  }

  const used = { blobOutput: false, streamingInput: false, streamingOutput: false };
  const typeOf = (ref: RawRef, input: boolean): string => {
    const s = shapeOf(ref.shape);
    switch (s.type) {
      case 'structure':
        if (s.document) return 'unknown';
        return s.eventstream ? `AsyncIterable<${typeName(ref.shape)}>` : typeName(ref.shape);
      case 'list': {
        const element = s.member ? typeOf(s.member, input) : 'unknown';
        return IDENT.test(element) ? `${element}[]` : `Array<${element}>`;
      }
      case 'map':
        return `Record<string, ${s.value ? typeOf(s.value, input) : 'unknown'}>`;
      case 'string':
        return s.enum ? typeName(ref.shape) : 'string';
      case 'character': case 'bigdecimal': case 'biginteger':
        return 'string';
      case 'integer': case 'long': case 'short': case 'byte': case 'float': case 'double':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'timestamp':
        return 'Date';
      case 'blob':
        if (ref.streaming || s.streaming) {
          if (input) used.streamingInput = true;
          else used.streamingOutput = true;
          return input ? 'StreamingBlobInput' : 'StreamingBlobOutput';
        }
        if (input) return 'Buffer';
        used.blobOutput = true;
        return 'BlobOutput';
      default:
        return 'unknown';
    }
  };

  const roles = new Map<string, string>();
  for (const op of ops) {
    if (op.input && !roles.has(op.input.shape)) roles.set(op.input.shape, `The input of ${op.name}.`);
    if (op.output && !roles.has(op.output.shape)) roles.set(op.output.shape, `The output of ${op.name}.`);
  }
  const body: string[] = [];
  for (const name of structures) {
    const s = shapeOf(name);
    const input = inputSide.has(name);
    const required = new Set(input ? s.required ?? [] : []);
    const role = roles.get(name)
      ?? (s.exception ? `The error ${s.error?.code ?? name}${s.error?.httpStatusCode ? ` (HTTP ${s.error.httpStatusCode})` : ''}.` : `The ${name} structure.`);
    const lines = [`/** ${role} */`, `export interface ${typeName(name)} {`];
    for (const [member, ref] of Object.entries(s.members ?? {})) {
      if (ref.deprecated) lines.push('  /** @deprecated */');
      lines.push(`  ${prop(member)}${required.has(member) ? '' : '?'}: ${typeOf(ref, input)};`);
    }
    lines.push('}');
    body.push(lines.join('\n'));
  }
  for (const name of enums) {
    const values = shapeOf(name).enum ?? [];
    body.push(`/** The ${name} enum. */\nexport type ${typeName(name)} = ${values.map(quote).join(' | ') || 'never'};`);
  }

  const methods = ops.map((op) => {
    const input = op.input ? typeName(op.input.shape) : 'Record<string, never>';
    const output = op.output ? typeName(op.output.shape) : 'Record<string, never> | void';
    return `  ${operationMethodName(op.name)}?(ctx: RequestContext, input: ${input}): Promise<${output}>;`;
  });
  const codes = new Set<string>();
  for (const [name, s] of Object.entries(model.shapes)) {
    if (!s.exception) continue;
    codes.add(name);
    if (s.error?.code) codes.add(s.error.code);
  }

  const aliases: string[] = [];
  if (used.blobOutput) aliases.push('/** A blob in an output: bytes or text. */\nexport type BlobOutput = Buffer | Uint8Array | string;');
  if (used.streamingInput) aliases.push("/** A streaming payload as providers receive it: the request body stream. */\nexport type StreamingBlobInput = import('node:stream').Readable;");
  if (used.streamingOutput) aliases.push("/** A streaming payload as providers return it. */\nexport type StreamingBlobOutput = Buffer | string | import('node:stream').Readable;");

  return [
    '/**',
    ` * ${serviceId} (${endpointPrefix}, API ${apiVersion}): the types of its operations and the provider interface.`,
    ` * Generated by codegen/types.ts from botocore ${botocoreVersion}. Do not edit: rerun \`npx tsx codegen/types.ts\`.`,
    ' */',
    "import type { RequestContext } from '../../gateway/context.js';",
    '',
    ...aliases.map((a) => `${a}\n`),
    `/** The ${serviceId} operations a provider implements; operations left out answer 501. */`,
    `export interface ${operationsType} {`,
    ...methods,
    '}',
    '',
    `/** Operation name -> provider method name. */`,
    `export const ${operationsConst} = {`,
    ...ops.map((op) => `  ${prop(op.name)}: ${quote(operationMethodName(op.name))},`),
    '} as const;',
    '',
    `/** The error codes of the ${serviceId} model (shape names, and the codes query clients see where they differ). */`,
    `export type ${errorCodeType} =${codes.size ? '' : ' never'}`,
    ...[...codes].sort().map((c, i, all) => `  | ${quote(c)}${i === all.length - 1 ? ';' : ''}`),
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const modelsDir = join(root, 'src/models/generated');
  const args = process.argv.slice(2);
  let outDir = modelsDir;
  const prefixes: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') outDir = args[++i];
    else prefixes.push(args[i]);
  }
  const services = prefixes.length ? prefixes : IMPLEMENTED_SERVICES;
  const { botocoreVersion } = JSON.parse(readFileSync(join(modelsDir, 'index.json'), 'utf8')) as { botocoreVersion: string };
  mkdirSync(outDir, { recursive: true });
  for (const prefix of services) {
    const model = JSON.parse(readFileSync(join(modelsDir, `${prefix}.model.json`), 'utf8')) as RawModel;
    const file = join(outDir, `${prefix}.ts`);
    writeFileSync(file, generateTypes(model, botocoreVersion));
    console.log(`wrote ${file}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
