/**
 * The runtime form of an AWS service model (botocore's format): shapes with their
 * references resolved, operations with their http bindings, errors by code.
 * Codecs compile plans from these objects once and cache them on the shapes.
 */
import { readFileSync } from 'node:fs';
import { resourcePath } from '../shared/resources.js';

/** A scalar or aggregate shape type as botocore names it. */
export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double'
  | 'boolean' | 'timestamp' | 'blob' | 'bigdecimal' | 'biginteger' | 'byte' | 'short' | 'character';

/** Where a member of an input or output travels in a REST request or response. */
export type MemberLocation = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

/** A member of a structure, or the member/key/value of a list or map: a shape plus the traits of the reference. */
export interface Member {
  /** The member's name in the structure (the wire name unless locationName/queryName say otherwise). */
  readonly name: string;
  readonly shape: Shape;
  readonly location?: MemberLocation;
  readonly locationName?: string;
  readonly queryName?: string;
  readonly xmlNamespace?: { prefix?: string; uri: string };
  readonly xmlAttribute?: boolean;
  readonly flattened?: boolean;
  readonly timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
  readonly jsonvalue?: boolean;
  readonly idempotencyToken?: boolean;
  readonly hostLabel?: boolean;
  readonly eventpayload?: boolean;
  readonly eventheader?: boolean;
  readonly streaming?: boolean;
  readonly deprecated?: boolean;
}

/** A named shape of the model, with its validation traits and (for exceptions) its error facts. */
export interface Shape {
  readonly name: string;
  readonly type: ShapeType;
  readonly members: Readonly<Record<string, Member>>;
  readonly memberList: readonly Member[];
  readonly required: readonly string[];
  readonly member?: Member;
  readonly key?: Member;
  readonly value?: Member;
  readonly flattened?: boolean;
  readonly locationName?: string;
  readonly xmlNamespace?: { prefix?: string; uri: string };
  readonly xmlOrder?: readonly string[];
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
  readonly streaming?: boolean;
  readonly requiresLength?: boolean;
  readonly eventstream?: boolean;
  readonly event?: boolean;
  readonly union?: boolean;
  readonly document?: boolean;
  readonly sensitive?: boolean;
  readonly payload?: string;
  readonly exception?: boolean;
  readonly fault?: boolean;
  readonly error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  readonly wrapper?: boolean;
  /** Compiled per-codec plans, keyed by codec name. */
  readonly plans: Map<string, unknown>;
}

/** An operation: its http binding, input and output shapes, and modelled errors. */
export interface Operation {
  readonly name: string;
  readonly http: { method: string; requestUri: string; responseCode?: number };
  readonly input?: Shape;
  readonly output?: Shape;
  /** The query protocol's result wrapper element (e.g. GetCallerIdentityResult). */
  readonly resultWrapper?: string;
  readonly errors: readonly Shape[];
  readonly endpoint?: { hostPrefix: string };
  readonly httpChecksum?: { requestChecksumRequired?: boolean; requestAlgorithmMember?: string; requestValidationModeMember?: string; responseAlgorithms?: string[] };
  readonly authtype?: string;
  readonly deprecated?: boolean;
  /** Compiled per-codec plans, keyed by codec name. */
  readonly plans: Map<string, unknown>;
}

/** Service-wide facts from the model's metadata. */
export interface ServiceMetadata {
  readonly apiVersion: string;
  readonly endpointPrefix: string;
  readonly signingName?: string;
  readonly serviceId: string;
  readonly protocol: string;
  readonly protocols?: readonly string[];
  readonly jsonVersion?: string;
  readonly targetPrefix?: string;
  readonly awsQueryCompatible?: Record<string, never>;
  readonly xmlNamespace?: string;
  readonly globalEndpoint?: string;
  readonly botocoreName?: string;
}

interface RawRef { shape: string; [trait: string]: unknown }
interface RawShape { type: ShapeType; members?: Record<string, RawRef>; member?: RawRef; key?: RawRef; value?: RawRef; [trait: string]: unknown }
interface RawModel {
  metadata: ServiceMetadata;
  operations: Record<string, { name: string; http?: { method: string; requestUri: string; responseCode?: number }; input?: RawRef; output?: RawRef & { resultWrapper?: string }; errors?: RawRef[]; [trait: string]: unknown }>;
  shapes: Record<string, RawShape>;
}

const REF_TRAITS = ['location', 'locationName', 'queryName', 'xmlNamespace', 'xmlAttribute', 'flattened', 'timestampFormat',
  'jsonvalue', 'idempotencyToken', 'hostLabel', 'eventpayload', 'eventheader', 'streaming', 'deprecated'] as const;

/** A loaded service model. */
export class ServiceModel {
  readonly metadata: ServiceMetadata;
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly operations: ReadonlyMap<string, Operation>;
  /** Error shapes by the code clients see (the shape name, or the awsQueryCompatible/query code). */
  readonly errorsByCode: ReadonlyMap<string, Shape>;

  constructor(raw: RawModel) {
    this.metadata = raw.metadata;
    const shapes = new Map<string, Shape>();
    // First pass: create every shape object, so that references (including cycles) resolve.
    for (const [name, rs] of Object.entries(raw.shapes)) {
      const { members: _m, member: _l, key: _k, value: _v, required, ...traits } = rs;
      shapes.set(name, { ...traits, name, members: {}, memberList: [], required: (required as string[]) ?? [], plans: new Map() } as unknown as Shape);
    }
    const ref = (r: RawRef, name: string): Member => {
      const shape = shapes.get(r.shape);
      if (!shape) throw new Error(`model ${raw.metadata.serviceId}: unknown shape ${r.shape}`);
      const m: Record<string, unknown> = { name, shape };
      for (const t of REF_TRAITS) if (r[t] !== undefined) m[t] = r[t];
      return m as unknown as Member;
    };
    for (const [name, rs] of Object.entries(raw.shapes)) {
      const s = shapes.get(name) as { -readonly [K in keyof Shape]: Shape[K] };
      if (rs.members) {
        const members: Record<string, Member> = {};
        for (const [mn, mr] of Object.entries(rs.members)) members[mn] = ref(mr, mn);
        s.members = members;
        s.memberList = Object.values(members);
      }
      if (rs.member) s.member = ref(rs.member, 'member');
      if (rs.key) s.key = ref(rs.key, 'key');
      if (rs.value) s.value = ref(rs.value, 'value');
    }
    this.shapes = shapes;

    const errorsByCode = new Map<string, Shape>();
    for (const s of shapes.values()) {
      if (!s.exception) continue;
      errorsByCode.set(s.name, s);
      if (s.error?.code) errorsByCode.set(s.error.code, s);
    }
    this.errorsByCode = errorsByCode;

    const operations = new Map<string, Operation>();
    for (const [name, ro] of Object.entries(raw.operations)) {
      const { http, input, output, errors, ...traits } = ro;
      operations.set(name, {
        ...traits,
        name,
        http: http ?? { method: 'POST', requestUri: '/' },
        input: input ? shapes.get(input.shape) : undefined,
        output: output ? shapes.get(output.shape) : undefined,
        resultWrapper: output?.resultWrapper,
        errors: (errors ?? []).map((e) => shapes.get(e.shape)!).filter(Boolean),
        plans: new Map(),
      } as Operation);
    }
    this.operations = operations;
  }

  /** The name the service signs with (SigV4 credential scope). */
  get signingName(): string {
    return this.metadata.signingName ?? this.metadata.endpointPrefix;
  }

  /** Every protocol the model declares, the preferred first. */
  get protocols(): readonly string[] {
    return this.metadata.protocols ?? [this.metadata.protocol];
  }
}

const loaded = new Map<string, ServiceModel>();
let metadataTable: Record<string, ServiceMetadata> | undefined;

/** A served service's metadata without loading its model (src/models/generated/metadata.json). */
export function loadMetadata(endpointPrefix: string): ServiceMetadata {
  metadataTable ??= JSON.parse(readFileSync(resourcePath('models', 'generated', 'metadata.json'), 'utf8')) as Record<string, ServiceMetadata>;
  const md = metadataTable[endpointPrefix];
  if (!md) throw new Error(`no generated model for ${endpointPrefix}`);
  return md;
}

/** Loads (once) the full model of a service by endpoint prefix. */
export function loadModel(endpointPrefix: string): ServiceModel {
  let model = loaded.get(endpointPrefix);
  if (!model) {
    const raw = JSON.parse(readFileSync(resourcePath('models', 'generated', `${endpointPrefix}.model.json`), 'utf8')) as RawModel;
    model = new ServiceModel(raw);
    loaded.set(endpointPrefix, model);
  }
  return model;
}

/** Builds a model from raw botocore JSON (tests use small hand-written models). */
export function modelFromJson(raw: unknown): ServiceModel {
  return new ServiceModel(raw as RawModel);
}
