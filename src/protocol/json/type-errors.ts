/**
 * The SerializationException messages AWS's JSON front end (Coral) gives when a
 * value has the wrong type for its shape. Wording from DynamoDB's answers
 * (e.g. "NUMBER_VALUE cannot be converted to String",
 * "Start of structure or map found where not expected"); clients grep for them.
 */
import type { Shape } from '../../models/model.js';
import type { ServiceError } from '../../shared/errors.js';
import { serializationError } from './wire-values.js';

const MAP_FOUND = 'Start of structure or map found where not expected';

/** How Coral names a scalar wire value in its messages; undefined for lists and maps. */
function scalarKind(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string': return 'STRING_VALUE';
    case 'boolean': return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
    case 'number': return Number.isInteger(v) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
    case 'bigint': return 'NUMBER_VALUE';
    default:
      if (v instanceof Uint8Array) return 'BLOB_VALUE';
      if (v instanceof Date) return 'TIMESTAMP_VALUE';
      return undefined;
  }
}

/** The Java type Coral would have bound a shape to, as its messages print it. */
function javaType(shape: Shape, ns: string): string {
  switch (shape.type) {
    case 'string': case 'character': return 'java.lang.String';
    case 'boolean': return 'java.lang.Boolean';
    case 'integer': return 'java.lang.Integer';
    case 'long': return 'java.lang.Long';
    case 'short': return 'java.lang.Short';
    case 'byte': return 'java.lang.Byte';
    case 'float': return 'java.lang.Float';
    case 'double': return 'java.lang.Double';
    case 'bigdecimal': return 'java.math.BigDecimal';
    case 'biginteger': return 'java.math.BigInteger';
    case 'timestamp': return 'java.util.Date';
    case 'blob': return 'java.nio.ByteBuffer';
    case 'list': return `java.util.List<${shape.member ? javaType(shape.member.shape, ns) : 'java.lang.Object'}>`;
    case 'map': return `java.util.Map<java.lang.String, ${shape.value ? javaType(shape.value.shape, ns) : 'java.lang.Object'}>`;
    default: return `${ns}.${shape.name}`;
  }
}

const SIMPLE_NAMES: Partial<Record<Shape['type'], string>> = {
  string: 'String', character: 'String', integer: 'Integer', long: 'Long', short: 'Short', byte: 'Byte',
  float: 'Float', double: 'Double', bigdecimal: 'BigDecimal', biginteger: 'BigInteger', timestamp: 'Date',
};

/**
 * The error for value `v` found where `shape` is expected. `asValue` is true for
 * a list element or map value (Coral words a misplaced structure differently there).
 */
export function typeMismatch(shape: Shape, v: unknown, ns: string, asValue: boolean): ServiceError {
  const kind = scalarKind(v);
  const isList = Array.isArray(v);
  switch (shape.type) {
    case 'list':
      return serializationError(isList ? 'Start of list found where not expected' : kind ? 'Unexpected field type' : MAP_FOUND);
    case 'map':
      return serializationError(isList ? `Unrecognized collection type ${javaType(shape, ns)}` : 'Unexpected field type');
    case 'structure':
      if (isList) return serializationError(`Unrecognized collection type class ${ns}.${shape.name}`);
      return serializationError(asValue ? 'Unexpected value type in payload' : 'Unexpected field type');
    default:
      break;
  }
  if (isList) return serializationError(`Unrecognized collection type class ${javaType(shape, ns)}`);
  if (!kind) return serializationError(MAP_FOUND);
  if (shape.type === 'blob') return serializationError('only base-64-encoded strings are convertible to bytes');
  if (shape.type === 'boolean') {
    return serializationError(kind === 'STRING_VALUE' ? 'Unexpected token received from parser' : `${kind} cannot be converted to Boolean`);
  }
  return serializationError(`${kind} cannot be converted to ${SIMPLE_NAMES[shape.type] ?? 'String'}`);
}
