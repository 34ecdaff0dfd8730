import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksumOf } from './checksums.js';

// Reference values: the SDK's own checksum implementations over the same bytes ("Hello world").
test('checksums of "Hello world" match the published values', async () => {
  const data = Buffer.from('Hello world');
  assert.equal(await checksumOf('CRC32', data), 'i9aeUg==');
  assert.equal(await checksumOf('CRC32C', data), 'crUfeA==');
  assert.equal(await checksumOf('CRC64NVME', data), 'OOJZ0D8xKts=');
  assert.equal(await checksumOf('SHA1', data), 'e1AsOh9IyGCa4hLN+2Od7jlnP14=');
  assert.equal(await checksumOf('SHA256', data), 'ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=');
});
