/**
 * The REST-XML body documents of an operation: reading the request's payload or
 * body members, writing the response's, with the root element names and the
 * service namespace AWS uses.
 */
import type { Member, Operation, ServiceModel, Shape } from '../../models/model.js';
import type { BindingPlan } from '../rest/bindings.js';
import type { RestServiceQuirks } from '../quirks/rest-services.js';
import { malformedXml, memberReader, parseXmlDocument, shapeReader } from './xml-reader.js';
import { compileScalarText, escapeText, memberWriter, namespaceAttr, shapeWriter, XML_DECLARATION } from './xml-writer.js';

const namespaces = new WeakMap<ServiceModel, { attr: string }>();

/**
 * The service's default namespace attribute: the model's metadata when it names one, else the
 * namespace its request documents declare (S3: http://s3.amazonaws.com/doc/2006-03-01/),
 * which the service also puts on its response roots.
 */
export function serviceNamespaceAttr(model: ServiceModel): string {
  let hit = namespaces.get(model);
  if (!hit) {
    let uri = model.metadata.xmlNamespace;
    if (!uri) {
      outer: for (const op of model.operations.values()) {
        for (const m of op.input?.memberList ?? []) {
          if (m.xmlNamespace && !m.xmlNamespace.prefix) { uri = m.xmlNamespace.uri; break outer; }
        }
      }
    }
    hit = { attr: uri ? namespaceAttr({ uri }) : '' };
    namespaces.set(model, hit);
  }
  return hit.attr;
}

/** Reads the request's XML payload member or body members into `out`; an empty body sets nothing. */
export function readXmlBody(plan: BindingPlan, input: Shape, body: Buffer, out: Record<string, unknown>): void {
  const payload = plan.payload;
  if (body.length === 0) {
    // S3 answers a missing required document (PutBucketTagging, DeleteObjects without a body) as MalformedXML.
    if (payload && input.required.includes(payload.name)) throw malformedXml();
    return;
  }
  if (payload) {
    const root = parseXmlDocument(body);
    out[payload.name] = memberReader(payload.member)(root.node);
    return;
  }
  if (plan.bodyMembers.length === 0) return;
  const root = parseXmlDocument(body);
  Object.assign(out, shapeReader(input)(root.node));
}

function rootAttrs(model: ServiceModel, own: { prefix?: string; uri: string } | undefined, shape: Shape): string {
  // The shape's own namespace trait is written by its writer; otherwise the service's goes on the root.
  if (shape.xmlNamespace) return '';
  return own ? namespaceAttr(own) : serviceNamespaceAttr(model);
}

/** Writes the document of an output's structure payload member, or undefined when it has no value. */
export function writeXmlPayload(member: Member, value: unknown, model: ServiceModel): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = member.shape;
  const name = member.locationName ?? shape.locationName ?? shape.name;
  const attrs = rootAttrs(model, member.xmlNamespace, shape);
  if (shape.type === 'structure' || shape.type === 'list' || shape.type === 'map') return XML_DECLARATION + shapeWriter(shape)(value, name, attrs);
  return XML_DECLARATION + memberWriter(member)(value, name, attrs);
}

/** Writes the document of an output's body members under the root element AWS uses for the operation. */
export function writeXmlOutput(op: Operation, output: Record<string, unknown>, model: ServiceModel, quirks: RestServiceQuirks): string {
  const shape = op.output!;
  const name = quirks.outputRoots.get(shape.name) ?? shape.locationName ?? shape.name;
  const attrs = rootAttrs(model, undefined, shape);
  if (quirks.textRootOutputs.has(shape.name)) {
    // S3 GetBucketLocation: `<LocationConstraint xmlns="…">eu-west-1</LocationConstraint>`, empty for us-east-1.
    const m = shape.memberList.find((x) => !x.location)!;
    const v = output[m.name];
    return `${XML_DECLARATION}<${name}${attrs}>${v === undefined || v === null ? '' : escapeText(compileScalarText(m)(v))}</${name}>`;
  }
  return XML_DECLARATION + shapeWriter(shape)(output, name, attrs);
}
