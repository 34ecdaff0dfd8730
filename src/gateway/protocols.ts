/**
 * The codec for a request: a service is served in every protocol current clients
 * speak to it (SQS and CloudWatch as JSON 1.0 from the SDK v3 and as query from
 * older CLIs; CloudWatch also as CBOR), detected per request from its headers.
 */
import type { ProtocolCodec, ProtocolName } from '../protocol/types.js';
import type { ServiceModel } from '../models/model.js';
import type { Exchange } from './exchange.js';
import { jsonCodec } from '../protocol/json/index.js';
import { cborCodec } from '../protocol/cbor/index.js';
import { queryCodec } from '../protocol/query/index.js';
import { ec2Codec } from '../protocol/ec2/index.js';
import { restJsonCodec } from '../protocol/rest-json/index.js';
import { restXmlCodec } from '../protocol/rest-xml/index.js';

const CODECS: Record<ProtocolName, ProtocolCodec> = {
  json: jsonCodec,
  'smithy-rpc-v2-cbor': cborCodec,
  query: queryCodec,
  ec2: ec2Codec,
  'rest-json': restJsonCodec,
  'rest-xml': restXmlCodec,
};

/** The codec of a protocol by name. */
export function codecByName(name: string): ProtocolCodec | undefined {
  return CODECS[name as ProtocolName];
}

/** Chooses the codec for this request among the protocols the service speaks. */
export function chooseCodec(x: Exchange, model: ServiceModel): ProtocolCodec {
  const protocols = model.protocols;
  const primary = model.metadata.protocol;
  if (x.header('smithy-protocol') === 'rpc-v2-cbor' && protocols.includes('smithy-rpc-v2-cbor')) return cborCodec;
  const ct = x.header('content-type') ?? '';
  if (x.header('x-amz-target') && (ct.startsWith('application/x-amz-json') || primary === 'json') && (protocols.includes('json'))) return jsonCodec;
  if (primary === 'ec2') return ec2Codec;
  const queryCapable = protocols.includes('query') || model.metadata.awsQueryCompatible !== undefined;
  if (queryCapable && (ct.startsWith('application/x-www-form-urlencoded') || (x.method === 'GET' && x.rawQuery.includes('Action=')))) return queryCodec;
  return CODECS[primary as ProtocolName] ?? (protocols.includes('json') ? jsonCodec : queryCodec);
}
