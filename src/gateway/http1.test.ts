/**
 * nimbus's HTTP/1.1 connection against raw sockets: framing, keep-alive, pipelining,
 * bodies in every split, 100-continue, half-close, refusals, streamed answers.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { request as httpRequest, Agent } from 'node:http';
import { createDualServer, type AnyRequest, type AnyResponse, type DualServer } from './server.js';
import { readBody, requestStream, writeResponse } from './exchange.js';

let server: DualServer;
let port = 0;

/** Echoes method, url, selected headers and the body; /stream answers a streamed body; /slow reads the body slowly. */
async function listener(req: AnyRequest, res: AnyResponse): Promise<void> {
  const url = req.url ?? '/';
  if (url === '/ignore-body') {
    writeResponse(res, { statusCode: 400, headers: { 'content-type': 'text/plain' }, body: 'refused' });
    return;
  }
  if (url.startsWith('/stream')) {
    await readBody(req, 1 << 20);
    const n = parseInt(url.split('=')[1] ?? '3', 10);
    const chunks = Array.from({ length: n }, (_, i) => Buffer.from(`part${i};`));
    const headers: Record<string, string> = url.includes('len') ? { 'content-length': String(chunks.reduce((s, c) => s + c.length, 0)) } : {};
    writeResponse(res, { statusCode: 200, headers, body: Readable.from(chunks) });
    return;
  }
  if (url === '/slow') {
    const stream = requestStream(req);
    let size = 0;
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      await new Promise((r) => setTimeout(r, 1));
    }
    writeResponse(res, { statusCode: 200, headers: {}, body: `size=${size}` });
    return;
  }
  const body = await readBody(req, 1 << 20);
  const echo = JSON.stringify({ method: req.method, url, host: req.headers.host, x: req.headers['x-multi'], cookie: req.headers.cookie, body: body.toString() });
  writeResponse(res, { statusCode: 200, headers: { 'content-type': 'application/json', 'x-list': ['a', 'b'] as unknown as string }, body: echo });
}

before(async () => {
  server = createDualServer((req, res) => {
    listener(req, res).catch((e) => {
      res.destroy();
      throw e;
    });
  });
  port = await server.listen(0, '127.0.0.1');
});
after(() => server.close());

/** Writes the given pieces (with a pause between them) and reads until the server closes or `until` matches. */
function exchange(pieces: (string | Buffer)[], opts: { until?: RegExp; end?: boolean; gapMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      socket.destroy();
      resolve(got);
    };
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (opts.until && opts.until.test(got)) done();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    socket.on('connect', async () => {
      for (const p of pieces) {
        socket.write(p);
        if (opts.gapMs !== 0) await new Promise((r) => setTimeout(r, opts.gapMs ?? 5));
      }
      if (opts.end) socket.end();
    });
  });
}

/** The bodies of the answers in a raw response stream (Content-Length framed). */
function bodies(raw: string): string[] {
  const out: string[] = [];
  let rest = raw;
  while (rest.length) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.slice(0, end);
    const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    out.push(rest.slice(end + 4, end + 4 + len));
    rest = rest.slice(end + 4 + len);
  }
  return out;
}

const GET = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: h\r\n${extra}\r\n`;

test('keep-alive: several requests on one connection, each answered with Date and Content-Length', async () => {
  const raw = await exchange([GET('/a'), GET('/b'), `${GET('/c', 'Connection: close\r\n')}`]);
  const answers = bodies(raw).map((b) => JSON.parse(b) as { url: string });
  assert.deepEqual(answers.map((a) => a.url), ['/a', '/b', '/c']);
  assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(raw, /\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n/);
  assert.match(raw, /\r\nx-list: a\r\nx-list: b\r\n/);
  assert.match(raw, /\r\nConnection: close\r\n/);
});

test('pipelined requests in one write are answered in order', async () => {
  const post = (p: string, body: string): string => `POST ${p} HTTP/1.1\r\nHost: h\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const raw = await exchange([post('/1', 'one') + GET('/2') + post('/3', 'three') + GET('/4', 'Connection: close\r\n')]);
  const answers = bodies(raw).map((b) => JSON.parse(b) as { url: string; body: string });
  assert.deepEqual(answers.map((a) => [a.url, a.body]), [['/1', 'one'], ['/2', ''], ['/3', 'three'], ['/4', '']]);
});

test('a body split at every byte boundary arrives whole', async () => {
  const req = Buffer.from('POST /split HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world');
  for (const cut of [1, 20, 40, req.length - 11, req.length - 5, req.length - 1]) {
    const raw = await exchange([req.subarray(0, cut), req.subarray(cut)]);
    assert.equal((JSON.parse(bodies(raw)[0]) as { body: string }).body, 'hello world', `cut at ${cut}`);
  }
});

test('chunked request bodies, with extensions and trailers, split anywhere', async () => {
  const req = 'POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-trailer: t\r\n\r\n';
  for (const cut of [10, 70, 80, 90, req.length - 3]) {
    const raw = await exchange([req.slice(0, cut), req.slice(cut)]);
    assert.equal((JSON.parse(bodies(raw)[0]) as { body: string }).body, 'hello world', `cut at ${cut}`);
  }
});

test('Expect: 100-continue gets 100 Continue before the body is sent', async () => {
  const head = 'PUT /cont HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n';
  const raw = await exchange([head, 'body'], { gapMs: 30 });
  assert.match(raw, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  assert.equal((JSON.parse(bodies(raw.slice(raw.indexOf('HTTP/1.1 200')))[0]) as { body: string }).body, 'body');
});

test('repeated headers: joined with commas, cookies with semicolons, single ones keep the first', async () => {
  const raw = await exchange([GET('/h', 'X-Multi: 1\r\nX-Multi: 2\r\nCookie: a=1\r\nCookie: b=2\r\nHost: other\r\nConnection: close\r\n')]);
  const a = JSON.parse(bodies(raw)[0]) as { x: string; cookie: string; host: string };
  assert.deepEqual([a.x, a.cookie, a.host], ['1, 2', 'a=1; b=2', 'h']);
});

test('HTTP/1.0 closes unless keep-alive is asked for', async () => {
  const raw = await exchange(['GET /old HTTP/1.0\r\nHost: h\r\n\r\n']);
  assert.match(raw, /Connection: close/);
  const kept = await exchange(['GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', 'GET /k2 HTTP/1.0\r\n\r\n']);
  assert.equal(bodies(kept).length, 2);
  assert.match(kept, /Connection: keep-alive/);
});

test('a client that half-closes still gets its answers', async () => {
  const raw = await exchange([GET('/x') + GET('/y')], { end: true, gapMs: 0 });
  assert.deepEqual(bodies(raw).map((b) => (JSON.parse(b) as { url: string }).url), ['/x', '/y']);
});

test('an unread body is drained so the next request on the connection parses', async () => {
  const big = 'z'.repeat(200_000);
  const raw = await exchange([`POST /ignore-body HTTP/1.1\r\nHost: h\r\nContent-Length: ${big.length}\r\n\r\n${big}${GET('/after', 'Connection: close\r\n')}`]);
  const b = bodies(raw);
  assert.equal(b[0], 'refused');
  assert.equal((JSON.parse(b[1]) as { url: string }).url, '/after');
});

test('a slow reader gets the whole body (backpressure pauses the socket)', async () => {
  const size = 3 * 1024 * 1024;
  const raw = await exchange([`POST /slow HTTP/1.1\r\nHost: h\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`, Buffer.alloc(size, 7)]);
  assert.equal(bodies(raw)[0], `size=${size}`);
});

test('streamed answers: chunked without a length, raw with one; HEAD has no body', async () => {
  const chunked = await exchange([GET('/stream=3', 'Connection: close\r\n')]);
  assert.match(chunked, /Transfer-Encoding: chunked\r\n\r\n6\r\npart0;\r\n6\r\npart1;\r\n6\r\npart2;\r\n0\r\n\r\n$/);
  const sized = await exchange([GET('/stream=2&len', 'Connection: close\r\n')]);
  assert.match(sized, /content-length: 12\r\n[\s\S]*\r\n\r\npart0;part1;$/);
  const head = await exchange(['HEAD /h HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n']);
  assert.match(head, /content-length: \d+\r\n/i);
  assert.ok(head.endsWith('\r\n\r\n'), 'no body after the head');
});

test('malformed requests get 400 and a closed connection; oversized heads the S3 error', async () => {
  for (const bad of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET / HTTP/1.1\r\nBad Header: x\r\n\r\n', 'POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', 'POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']) {
    const raw = await exchange([bad]);
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/, JSON.stringify(bad));
    assert.match(raw, /<Code>BadRequest<\/Code>/);
  }
  const raw = await exchange([`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\n\r\n`]);
  assert.match(raw, /<Code>RequestHeaderSectionTooLarge<\/Code>/);
});

test("node's own http client works over keep-alive, with chunked uploads", async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (path: string, body?: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      const r = httpRequest({ port, host: '127.0.0.1', path, method: body ? 'POST' : 'GET', agent }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve(Buffer.concat(parts).toString()));
      });
      r.on('error', reject);
      for (const b of body ?? []) r.write(b);
      r.end();
    });
  for (let i = 0; i < 5; i++) {
    assert.equal((JSON.parse(await call(`/n${i}`)) as { url: string }).url, `/n${i}`);
    assert.equal((JSON.parse(await call('/up', ['ab', 'cd'])) as { body: string }).body, 'abcd');
  }
  assert.equal(await call('/stream=4'), 'part0;part1;part2;part3;');
  agent.destroy();
});
