// The load generators must send exactly the prepared bytes: method, path, headers, body.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { findWrk, runLoad } from './load.mjs';

/** A server recording the first request seen per path, answering 200. */
async function captureServer() {
  const seen = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (!seen.has(req.url)) seen.set(req.url, { method: req.method, headers: req.rawHeaders, body: Buffer.concat(chunks) });
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, port: server.address().port };
}

const body = Buffer.from('Action=X&Quote="\\"&Bytes=\u00e9\n\u0000end');
const request = (path, port) => ({
  method: 'PUT',
  path,
  headers: { host: `127.0.0.1:${port}`, 'content-type': 'text/plain', 'x-odd': 'a "quoted" \\ value', 'content-length': String(body.length) },
  body,
});

for (const count of [1, 2]) {
  test(`wrk replays ${count} prepared request(s) byte for byte`, { skip: !findWrk() && 'wrk not installed' }, async () => {
    const { server, seen, port } = await captureServer();
    try {
      const requests = Array.from({ length: count }, (_, i) => request(`/p${i}?q=${i}`, port));
      const result = await runLoad(port, requests, { connections: 2, threads: 1, durationS: 1, warmupS: 0 });
      assert.equal(result.errors, 0);
      assert.ok(result.requests > 10);
      for (let i = 0; i < count; i++) {
        const got = seen.get(`/p${i}?q=${i}`);
        assert.equal(got.method, 'PUT');
        assert.deepEqual(got.body, body);
        const headers = Object.fromEntries(got.headers.reduce((pairs, v, j, all) => (j % 2 ? pairs : [...pairs, [all[j].toLowerCase(), all[j + 1]]]), []));
        assert.equal(headers.host, `127.0.0.1:${port}`);
        assert.equal(headers['x-odd'], 'a "quoted" \\ value');
        assert.equal(headers['content-length'], String(body.length));
        assert.equal(got.headers.filter((h) => h.toLowerCase() === 'host').length, 1);
      }
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
}
