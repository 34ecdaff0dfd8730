import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksumOf, createHasher } from './checksums.js';

// Reference values: the SDK's own checksum implementations over the same bytes ("Hello world").
test('checksums of "Hello world" match the published values', async () => {
  const data = Buffer.from('Hello world');
  assert.equal(await checksumOf('CRC32', data), 'i9aeUg==');
  assert.equal(await checksumOf('CRC32C', data), 'crUfeA==');
  assert.equal(await checksumOf('CRC64NVME', data), 'OOJZ0D8xKts=');
  assert.equal(await checksumOf('SHA1', data), 'e1AsOh9IyGCa4hLN+2Od7jlnP14=');
  assert.equal(await checksumOf('SHA256', data), 'ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=');
});

test('CRC64NVME agrees with the SDK\'s implementation at every length around the 8-byte steps, whole or in chunks', async () => {
  const { Crc64Nvme } = await import('@aws-sdk/crc64-nvme');
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131 + 7) & 0xff));
  for (const length of [0, 1, 7, 8, 9, 15, 16, 17, 1024, 1031, 4999]) {
    const sdk = new Crc64Nvme();
    sdk.update(data.subarray(0, length));
    const expected = Buffer.from(await sdk.digest()).toString('base64');
    assert.equal(checksumOf('CRC64NVME', data.subarray(0, length)), expected, `length ${length}`);
    const chunked = createHasher('CRC64NVME');
    for (let at = 0; at < length; at += 13) chunked.update(data.subarray(at, Math.min(length, at + 13)));
    assert.equal(chunked.digest(), expected, `length ${length} in 13-byte chunks`);
  }
});
