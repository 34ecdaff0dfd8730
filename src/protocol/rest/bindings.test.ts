/**
 * The HTTP bindings both REST codecs share, on a small hand-written model that
 * uses what S3 and Lambda do not: a query-string map, header lists of dates and
 * quoted strings, a jsonvalue header, a greedy label mid-path, XML maps, and
 * the <ErrorResponse> error form of REST-XML services other than S3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFromJson } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import type { WireRequest } from '../types.js';
import { restJsonCodec } from '../rest-json/index.js';
import { restXmlCodec } from '../rest-xml/index.js';

function makeModel(protocol: 'rest-json' | 'rest-xml') {
  return modelFromJson({
    metadata: { apiVersion: '2020-01-01', endpointPrefix: 'things', serviceId: 'Things', protocol, xmlNamespace: 'https://things.example/doc/2020-01-01/' },
    operations: {
      PutThing: {
        name: 'PutThing', http: { method: 'PUT', requestUri: '/v1/{Owner}/things/{Path+}/attrs?mode=full', responseCode: 201 },
        input: { shape: 'PutThingRequest', locationName: 'PutThingRequest' }, output: { shape: 'PutThingResponse' }, errors: [{ shape: 'ThingNotFound' }],
      },
    },
    shapes: {
      PutThingRequest: {
        type: 'structure', required: ['Owner', 'Path'], locationName: 'PutThingRequest',
        members: {
          Owner: { shape: 'S', location: 'uri', locationName: 'Owner' },
          Path: { shape: 'S', location: 'uri', locationName: 'Path' },
          Count: { shape: 'I', location: 'querystring', locationName: 'count' },
          Labels: { shape: 'SList', location: 'querystring', locationName: 'label' },
          When: { shape: 'T', location: 'querystring', locationName: 'when' },
          Extra: { shape: 'SMap', location: 'querystring' },
          Tags: { shape: 'SList', location: 'header', locationName: 'X-Tags' },
          Dates: { shape: 'TList', location: 'header', locationName: 'X-Dates' },
          Doc: { shape: 'S', location: 'header', locationName: 'X-Doc', jsonvalue: true },
          Enabled: { shape: 'Bool', location: 'header', locationName: 'X-Enabled' },
          Ratio: { shape: 'D', location: 'header', locationName: 'X-Ratio' },
          Meta: { shape: 'SMap', location: 'headers', locationName: 'X-Meta-' },
          Attrs: { shape: 'SMap' },
          FlatAttrs: { shape: 'FlatMap', locationName: 'Attr' },
          Items: { shape: 'ItemList' },
        },
      },
      PutThingResponse: {
        type: 'structure',
        members: {
          Status: { shape: 'I', location: 'statusCode' },
          Version: { shape: 'S', location: 'header', locationName: 'X-Version' },
          Dates: { shape: 'TList', location: 'header', locationName: 'X-Dates' },
          Attrs: { shape: 'SMap' },
          Items: { shape: 'ItemList' },
        },
      },
      ThingNotFound: { type: 'structure', members: { message: { shape: 'S' }, ThingName: { shape: 'S' } }, error: { httpStatusCode: 404 }, exception: true },
      Item: { type: 'structure', members: { Name: { shape: 'S' }, At: { shape: 'T' }, Ratio: { shape: 'D' } } },
      ItemList: { type: 'list', member: { shape: 'Item', locationName: 'Item' } },
      FlatMap: { type: 'map', key: { shape: 'S', locationName: 'Name' }, value: { shape: 'S', locationName: 'Value' }, flattened: true },
      SMap: { type: 'map', key: { shape: 'S' }, value: { shape: 'S' } },
      SList: { type: 'list', member: { shape: 'S' } },
      TList: { type: 'list', member: { shape: 'T' } },
      S: { type: 'string' }, I: { type: 'integer' }, D: { type: 'double' }, Bool: { type: 'boolean' }, T: { type: 'timestamp' },
    },
  });
}

const d1 = new Date('2024-01-02T03:04:05Z');
const d2 = new Date('2025-06-07T08:09:10Z');

function request(body: string): WireRequest {
  return {
    method: 'PUT', path: '/v1/ann/things/a/b%20c/%F0%9F%98%80/attrs', rawQuery: 'mode=full&count=3&label=x&label=y&when=2024-01-02T03%3A04%3A05Z&color=red',
    query: { mode: ['full'], count: ['3'], label: ['x', 'y'], when: ['2024-01-02T03:04:05Z'], color: ['red'] },
    headers: {
      'x-tags': 'plain, "with, comma", "quo\\"te"', 'x-dates': 'Tue, 02 Jan 2024 03:04:05 GMT, Sat, 07 Jun 2025 08:09:10 GMT',
      'x-doc': Buffer.from('{"a":[1,true]}').toString('base64'), 'x-enabled': 'true', 'x-ratio': '-Infinity', 'x-meta-color': 'blue', 'x-meta-__proto__': 'p',
    },
    body: Buffer.from(body), host: 'localhost',
  };
}

const boundInput = {
  Owner: 'ann', Path: 'a/b c/😀', Count: 3, Labels: ['x', 'y'], When: d1, Extra: { color: 'red' },
  Tags: ['plain', 'with, comma', 'quo"te'], Dates: [d1, d2], Doc: { a: [1, true] }, Enabled: true, Ratio: -Infinity,
};

test('labels (greedy mid-path), typed query values, a query map and header lists parse the same in both codecs', () => {
  const xmlBody = '<PutThingRequest xmlns="https://things.example/doc/2020-01-01/"><Attrs><entry><key>k</key><value>v</value></entry></Attrs>'
    + '<Attr><Name>n1</Name><Value>v1</Value></Attr><Attr><Name>n2</Name><Value>v2</Value></Attr>'
    + '<Items><Item><Name>i</Name><At>2024-01-02T03:04:05Z</At><Ratio>NaN</Ratio></Item></Items></PutThingRequest>';
  const jsonBody = '{"Attrs":{"k":"v"},"Attr":{"n1":"v1","n2":"v2"},"Items":[{"Name":"i","At":1704164645,"Ratio":"NaN"}]}';
  for (const [codec, body] of [[restXmlCodec, xmlBody], [restJsonCodec, jsonBody]] as const) {
    const model = makeModel(codec.name as 'rest-json' | 'rest-xml');
    const req = request(body);
    const op = codec.resolveOperation(req, model)!;
    assert.equal(op.name, 'PutThing');
    const input = codec.parseRequest(req, op, model);
    const { Meta, ...rest } = input as { Meta: Record<string, string> };
    assert.deepEqual(rest, { ...boundInput, Attrs: { k: 'v' }, FlatAttrs: { n1: 'v1', n2: 'v2' }, Items: [{ Name: 'i', At: d1, Ratio: NaN }] }, codec.name);
    assert.deepEqual(Object.entries(Meta), [['color', 'blue'], ['__proto__', 'p']]);
    assert.equal(Object.getPrototypeOf(Meta), Object.prototype);
  }
});

test('outputs: statusCode member, header list of dates, XML root named for the output shape with the service namespace', () => {
  const output = { Status: 202, Version: '7', Dates: [d1, d2], Attrs: { k: 'v&' }, Items: [{ Name: 'i', At: d1 }] };
  const xml = makeModel('rest-xml');
  const xr = restXmlCodec.serializeResponse(output, xml.operations.get('PutThing')!, xml, { requestId: 'r1' });
  assert.deepEqual(xr, {
    statusCode: 202,
    headers: { 'x-amzn-RequestId': 'r1', 'X-Version': '7', 'X-Dates': 'Tue, 02 Jan 2024 03:04:05 GMT, Sat, 07 Jun 2025 08:09:10 GMT', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<PutThingResponse xmlns="https://things.example/doc/2020-01-01/"><Attrs><entry><key>k</key><value>v&amp;</value></entry></Attrs>'
      + '<Items><Item><Name>i</Name><At>2024-01-02T03:04:05.000Z</At></Item></Items></PutThingResponse>',
  });
  const json = makeModel('rest-json');
  const jr = restJsonCodec.serializeResponse({ Version: '7', Attrs: {} }, json.operations.get('PutThing')!, json, { requestId: 'r1' });
  assert.deepEqual(jr, { statusCode: 201, headers: { 'x-amzn-RequestId': 'r1', 'X-Version': '7', 'Content-Type': 'application/json' }, body: '{"Attrs":{}}' });
});

test('REST-XML services other than S3 answer errors as <ErrorResponse> with Type, fields and RequestId', () => {
  const model = makeModel('rest-xml');
  const op = model.operations.get('PutThing')!;
  const res = restXmlCodec.serializeError(new ServiceError('ThingNotFound', 'No thing <x>', { fields: { ThingName: 'x' } }), op, model, { requestId: 'r2' });
  assert.deepEqual(res, {
    statusCode: 404,
    headers: { 'x-amzn-RequestId': 'r2', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://things.example/doc/2020-01-01/"><Error><Type>Sender</Type><Code>ThingNotFound</Code>'
      + '<Message>No thing &lt;x&gt;</Message><ThingName>x</ThingName></Error><RequestId>r2</RequestId></ErrorResponse>',
  });
  const internal = restXmlCodec.serializeError(new ServiceError('InternalFailure', 'oops', { status: 500, senderFault: false }), undefined, model, { requestId: 'r3' });
  assert.equal(internal.statusCode, 500);
  assert.match(String(internal.body), /<Type>Receiver<\/Type><Code>InternalFailure<\/Code>/);
});

test('a path that does not fit the template, or a missing literal query, does not route', () => {
  const model = makeModel('rest-json');
  const base = request('');
  assert.equal(restJsonCodec.resolveOperation({ ...base, path: '/v1/ann/things/attrs' }, model), undefined);
  assert.equal(restJsonCodec.resolveOperation({ ...base, path: '/v1//things/a/attrs' }, model), undefined);
  assert.equal(restJsonCodec.resolveOperation({ ...base, query: { ...base.query, mode: ['brief'] } }, model), undefined);
  assert.equal(restJsonCodec.resolveOperation({ ...base, path: '/v1/ann/things/a/attrs/' }, model)?.name, 'PutThing');
});
