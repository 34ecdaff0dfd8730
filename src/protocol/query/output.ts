/**
 * Compiled XML writers for query and ec2 response bodies, naming elements the way
 * botocore's and SDK v3's XML parsers look for them: a member by its locationName
 * (else its name); a flattened list repeats the element named by its list member's
 * locationName; a list wraps items in `<member>` (or the member's locationName,
 * EC2's `<item>`); a map wraps `<entry><key/><value/></entry>` (flattened: repeats
 * the member element), key and value named by their locationNames.
 * One writer per shape and dialect, cached in `shape.plans`.
 */
import type { Member, Shape } from '../../models/model.js';
import { queryTrait, type QueryCompat } from '../quirks/query-compat.js';
import { escapeXml, formatBlob, formatFloat, formatTimestamp } from '../xml/writer.js';

/** Writes the members of a structure value (without its own element). */
export type StructWriter = (value: Record<string, unknown>) => string;

/** Writes the element(s) of one value under a fixed element name. */
type ElementWriter = (value: unknown) => string;

interface StructPlan {
  members: { readonly name: string; readonly write: ElementWriter }[];
}

function scalarFormat(parent: Shape, ref: Member, compat: QueryCompat | undefined): (v: unknown) => string {
  switch (ref.shape.type) {
    case 'boolean':
      return (v) => (v === true || v === 'true' ? 'true' : 'false');
    case 'float': case 'double':
      return formatFloat;
    case 'timestamp': {
      const format = queryTrait(compat, parent, ref, 'timestampFormat');
      return (v) => formatTimestamp(v, format);
    }
    case 'blob':
      return formatBlob;
    case 'integer': case 'long': case 'short': case 'byte': case 'bigdecimal': case 'biginteger':
      return (v) => String(v);
    default:
      return (v) => escapeXml(typeof v === 'string' ? v : String(v));
  }
}

/** Compiles output writers for one dialect, with the awsQueryCompatible overlay (query only). */
export class OutputCompiler {
  private readonly planKey: string;

  constructor(dialect: 'query' | 'ec2', private readonly compat: QueryCompat | undefined) {
    this.planKey = `${dialect}:out`;
  }

  /** The writer of a structure's members. */
  structWriter(shape: Shape): StructWriter {
    const plan = this.structPlan(shape);
    return (value) => writeStruct(plan, value);
  }

  /** The writer of a structure's members, leaving out some (an error's Message, written by the envelope). */
  structWriterExcept(shape: Shape, skip: ReadonlySet<string>): StructWriter {
    const plan = this.structPlan(shape);
    const partial: StructPlan = { members: plan.members.filter((m) => !skip.has(m.name)) };
    return (value) => writeStruct(partial, value);
  }

  private structPlan(shape: Shape): StructPlan {
    let plan = shape.plans.get(this.planKey) as StructPlan | undefined;
    if (plan) return plan;
    plan = { members: [] };
    // Registered before its members compile, so recursive shapes resolve to it.
    shape.plans.set(this.planKey, plan);
    for (const member of shape.memberList) {
      if (member.location) continue;
      plan.members.push({ name: member.name, write: this.memberWriter(shape, member) });
    }
    return plan;
  }

  private memberWriter(parent: Shape, member: Member): ElementWriter {
    const c = this.compat;
    const shape = member.shape;
    let tag = queryTrait(c, parent, member, 'locationName') ?? member.name;
    if (shape.type === 'list' && shape.member && queryTrait(c, parent, member, 'flattened')) {
      tag = queryTrait(c, shape, shape.member, 'locationName') ?? tag;
    }
    return this.elementWriter(parent, member, tag);
  }

  private elementWriter(parent: Shape, ref: Member, tag: string): ElementWriter {
    const c = this.compat;
    const shape = ref.shape;
    const open = `<${tag}>`;
    const close = `</${tag}>`;
    switch (shape.type) {
      case 'structure': {
        let plan: StructPlan | undefined;
        return (v) => {
          plan ??= this.structPlan(shape);
          return open + writeStruct(plan, v as Record<string, unknown>) + close;
        };
      }
      case 'list': {
        const item = shape.member!;
        if (queryTrait(c, parent, ref, 'flattened')) {
          let each: ElementWriter | undefined;
          return (v) => {
            each ??= this.elementWriter(shape, item, tag);
            return writeEach(v, each);
          };
        }
        const itemTag = queryTrait(c, shape, item, 'locationName') ?? 'member';
        const empty = `<${tag}/>`;
        let each: ElementWriter | undefined;
        return (v) => {
          each ??= this.elementWriter(shape, item, itemTag);
          const inner = writeEach(v, each);
          return inner ? open + inner + close : empty;
        };
      }
      case 'map': {
        const keyTag = queryTrait(c, shape, shape.key!, 'locationName') ?? 'key';
        const valueTag = queryTrait(c, shape, shape.value!, 'locationName') ?? 'value';
        const writeKey = scalarFormat(shape, shape.key!, c);
        const keyOpen = `<${keyTag}>`, keyClose = `</${keyTag}>`;
        let writeValue: ElementWriter | undefined;
        const entry = (k: string, v: unknown): string => keyOpen + writeKey(k) + keyClose + (writeValue ??= this.elementWriter(shape, shape.value!, valueTag))(v);
        if (queryTrait(c, parent, ref, 'flattened')) {
          return (v) => {
            let out = '';
            for (const [k, val] of Object.entries(v as Record<string, unknown>)) if (val != null) out += open + entry(k, val) + close;
            return out;
          };
        }
        const empty = `<${tag}/>`;
        return (v) => {
          let out = '';
          for (const [k, val] of Object.entries(v as Record<string, unknown>)) if (val != null) out += '<entry>' + entry(k, val) + '</entry>';
          return out ? open + out + close : empty;
        };
      }
      default: {
        const format = scalarFormat(parent, ref, c);
        return (v) => open + format(v) + close;
      }
    }
  }
}

function writeEach(list: unknown, each: ElementWriter): string {
  let out = '';
  if (!Array.isArray(list)) return out;
  for (const item of list) if (item != null) out += each(item);
  return out;
}

function writeStruct(plan: StructPlan, value: Record<string, unknown>): string {
  let out = '';
  const members = plan.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    const v = value[m.name];
    if (v != null) out += m.write(v);
  }
  return out;
}
