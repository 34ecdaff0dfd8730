/**
 * The CBOR decoder and sink against two independent implementations: the
 * SDK's own CBOR serde (@smithy/core/cbor) and cbor-x, plus hand-made items
 * neither produces (indefinite-length strings, float16) and malformed input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cbor, tag } from '@smithy/core/cbor';
import { encode as cborxEncode, Decoder } from 'cbor-x';
import { CborError, decodeCbor } from './decode.js';
import { CborSink } from './sink.js';
import { writeUntyped } from './cbor-writer.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('decodes what the SDK and cbor-x encode', () => {
  const value = {
    s: 'héllo ✓ 𝄞', empty: '', long: 'x'.repeat(70000), i: 0, small: 23, byte: 24, u16: 65535, u32: 4294967295, u53: 2 ** 53 - 1,
    neg: -1, neg8: -256, neg32: -4294967296, f: 1.5, tiny: 5e-324, nan: Number.NaN, inf: -Infinity, t: true, fa: false, nil: null,
    list: [1, 'two', [3], { four: 4 }], map: { a: { b: { c: [] } } }, bytes: Buffer.from([0, 1, 255]),
  };
  for (const encoded of [Buffer.from(cbor.serialize(value)), Buffer.from(cborxEncode(value))]) {
    assert.deepEqual(decodeCbor(encoded), value);
  }
});

test('tags: 1 is a Date (integer or float seconds), 2/3 bignums, 4 decimal fractions, others their content', () => {
  assert.deepEqual(decodeCbor(hex('c1 1a 6553 f100')), new Date(1700000000000));
  assert.deepEqual(decodeCbor(hex('c1 fb 41d954fc4007df3b')), new Date(1700000000123));
  assert.deepEqual(decodeCbor(Buffer.from(cbor.serialize({ t: tag({ tag: 1, value: 1700000000.5 }) }))), { t: new Date(1700000000500) });
  assert.equal(decodeCbor(hex('c2 49 010000000000000000')), 2n ** 64n);
  assert.equal(decodeCbor(hex('c3 49 010000000000000000')), -(2n ** 64n) - 1n);
  assert.equal(decodeCbor(hex('c4 82 21 196ab3')), '273.15');
  assert.equal(decodeCbor(hex('c4 82 02 03')), '300');
  assert.equal(decodeCbor(hex('d8 20 63 616263')), 'abc');
  assert.equal(decodeCbor(hex('1b 001fffffffffffff')), 2 ** 53 - 1);
  assert.equal(decodeCbor(hex('1b 0020000000000000')), 2n ** 53n);
  assert.equal(decodeCbor(hex('1b ffffffffffffffff')), 2n ** 64n - 1n);
});

test('indefinite-length strings, lists and maps; float16', () => {
  assert.equal(decodeCbor(hex('7f 62 6162 61 63 ff')), 'abc');
  assert.deepEqual(decodeCbor(hex('5f 42 0102 41 03 ff')), Buffer.from([1, 2, 3]));
  assert.deepEqual(decodeCbor(hex('9f 01 9f ff 82 02 03 ff')), [1, [], [2, 3]]);
  assert.deepEqual(decodeCbor(hex('bf 61 61 01 61 62 9f ff ff')), { a: 1, b: [] });
  assert.equal(decodeCbor(hex('f9 3c00')), 1);
  assert.equal(decodeCbor(hex('f9 c400')), -4);
  assert.equal(decodeCbor(hex('f9 7c00')), Infinity);
  assert.ok(Number.isNaN(decodeCbor(hex('f9 7e00'))));
  assert.equal(decodeCbor(hex('f9 0001')), 5.960464477539063e-8);
  assert.equal(decodeCbor(hex('fa 47c35000')), 100000);
});

test('a "__proto__" key stays a plain own property', () => {
  const v = decodeCbor(hex('a1 69 5f5f70726f746f5f5f a1 61 78 01')) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.deepEqual(Object.keys(v), ['__proto__']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(v, '__proto__')?.value, { x: 1 });
});

test('malformed input throws CborError', () => {
  const bad = [
    '', '19 01', '62 61', 'a1 01 02', '82 01', 'ff', '1c', 'f8 20', '7f 41 00 ff', '5f 5f ff ff', '01 02',
    '9b 00000000ffffffff', 'c1 61 61', 'c4 01', '7f 61 61',
  ];
  for (const b of bad) assert.throws(() => decodeCbor(hex(b)), CborError, b);
  assert.throws(() => decodeCbor(Buffer.alloc(2000, 0x81)), CborError);
});

test('the sink writes what the SDK and cbor-x decode back', () => {
  const sink = new CborSink();
  const value = {
    s: 'héllo ✓ 𝄞', long: 'y'.repeat(300), longer: 'z'.repeat(70000), ints: [0, 23, 24, 255, 256, 65535, 65536, 4294967295, 4294967296, 2 ** 53 - 1, -1, -24, -25, -4294967297],
    f: [1.5, -0.25, Number.NaN, Infinity], b: Buffer.from('bytes'), t: true, n: null, nested: [{ a: [] }],
  };
  sink.reset();
  writeUntyped(sink, value);
  const bytes = sink.take();
  assert.deepEqual(decodeCbor(bytes), value);
  assert.deepEqual(cbor.deserialize(bytes), value);
  // int64AsNumber is a cbor-x option its typings omit; without it 64-bit integers come back as bigints.
  const cborxOptions = { int64AsNumber: true, mapsAsObjects: true };
  assert.deepEqual(new Decoder(cborxOptions).decode(bytes), value);
  // Integers beyond 32 bits stay integers (cbor-x's encoder would write them as floats).
  sink.reset();
  sink.integer(4294967296);
  assert.deepEqual(sink.take(), hex('1b 0000000100000000'));
  sink.reset();
  sink.integer(-(2n ** 64n) - 1n);
  assert.deepEqual(sink.take(), hex('c3 49 010000000000000000'));
  sink.reset();
  sink.timestamp(1700000000);
  assert.deepEqual(sink.take(), hex('c1 1a 6553f100'));
});
