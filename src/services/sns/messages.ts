/**
 * Checks of what Publish and PublishBatch receive (Publish API reference): the
 * message and its size, the subject, MessageStructure=json, message attributes.
 */
import { ServiceError } from '../../shared/errors.js';
import type { MessageAttributeValue } from '../../models/generated/sns.js';
import { invalidParameter } from './errors.js';

/** 256 KiB: the message and its attributes together (Publish API reference). */
export const MAX_MESSAGE_BYTES = 262_144;
const SUBJECT = /^[\x20-\x7e]{1,99}$/;
const TYPE = /^(String|Number|Binary|String\.Array)(\..+)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A message as fanned out: text per protocol when MessageStructure is json. */
export interface PreparedMessage {
  message: string;
  /** For MessageStructure=json: the message per protocol ("default" included). */
  perProtocol: Record<string, string> | undefined;
  subject: string | undefined;
  attributes: Record<string, MessageAttributeValue> | undefined;
}

/** Validates a message and returns it ready to fan out, or throws SNS's error. */
export function prepareMessage(message: string, subject: string | undefined, structure: string | undefined, attributes: Record<string, MessageAttributeValue> | undefined): PreparedMessage {
  if (message === '') throw invalidParameter('Empty message');
  if (subject !== undefined && !SUBJECT.test(subject)) throw invalidParameter('Subject');
  const attrs = attributes && Object.keys(attributes).length ? attributes : undefined;
  let size = Buffer.byteLength(message, 'utf8');
  if (attrs) size += checkAttributes(attrs);
  if (size > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  let perProtocol: Record<string, string> | undefined;
  if (structure !== undefined) {
    if (structure !== 'json') throw invalidParameter('MessageStructure');
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      throw invalidParameter('Message Structure - JSON message body failed to parse');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter('Message Structure - JSON message body failed to parse');
    perProtocol = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === 'string') perProtocol[k] = v;
    }
    if (perProtocol.default === undefined) throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  return { message, perProtocol, subject, attributes: attrs };
}

/** The text a protocol receives: its own entry of a json structure, else the default. */
export function messageFor(m: PreparedMessage, protocol: string): string {
  if (!m.perProtocol) return m.message;
  return m.perProtocol[protocol] ?? m.perProtocol.default;
}

const NAME_CHAR = /^[A-Za-z0-9_.-]$/;

/** Attribute names: letters, digits, '_', '-', '.'; no leading, trailing or doubled '.' ("Amazon SNS message attributes"). */
function checkAttributeName(name: string): void {
  if (Buffer.byteLength(name) > 256) throw new ServiceError('ParameterValueInvalid', 'Length of message attribute name must be less than 256 bytes.');
  if (name.startsWith('.')) throw new ServiceError('ParameterValueInvalid', "Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw new ServiceError('ParameterValueInvalid', "Invalid message attribute name ending with character '.' was found.");
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (!NAME_CHAR.test(c)) {
      throw new ServiceError('ParameterValueInvalid', `Invalid non-alphanumeric character '#x${c.codePointAt(0)!.toString(16).toUpperCase()}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
    if (c === '.' && name[i - 1] === '.') throw new ServiceError('ParameterValueInvalid', "Message attribute name can not have successive '.' character.");
  }
}

/** Validates attributes; returns their size in bytes (names, types and values count). */
function checkAttributes(attributes: Record<string, MessageAttributeValue>): number {
  let size = 0;
  for (const [name, a] of Object.entries(attributes)) {
    checkAttributeName(name);
    const type = a.DataType;
    if (!TYPE.test(type)) {
      throw new ServiceError('ParameterValueInvalid', `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const binary = type.startsWith('Binary');
    const value = binary ? a.BinaryValue : a.StringValue;
    if (value === undefined) {
      throw new ServiceError('ParameterValueInvalid', `The message attribute '${name}' with type '${type}' must use field '${binary ? 'Binary' : 'String'}'.`);
    }
    if (value.length === 0) {
      throw new ServiceError('ParameterValueInvalid', `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (type.startsWith('Number') && !NUMBER.test(a.StringValue!)) {
      throw new ServiceError('ParameterValueInvalid', `Could not cast message attribute '${name}' value to number.`);
    }
    if (type.startsWith('String.Array')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(a.StringValue!);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) throw new ServiceError('ParameterValueInvalid', `The message attribute '${name}' with type 'String.Array' must use a JSON array of strings, numbers, booleans, or null.`);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(type) + (binary ? (value as Buffer).length : Buffer.byteLength(value as string));
  }
  return size;
}
