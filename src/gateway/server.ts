/**
 * One TCP port serving HTTP/1.1 and cleartext HTTP/2 with prior knowledge (h2c):
 * the first bytes of a connection tell which. HTTP/1.1 connections are served by
 * nimbus's own connection (http1.ts: a third of node:http's cost per request);
 * HTTP/2 ones are handed to node's http2 server. The current Kinesis client speaks
 * HTTP/2 even to http://.
 */
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { Http1Connection, type Http1Request, type Http1Response, type HttpParseError } from './http1.js';

/** The request and response objects of either HTTP version. */
export type AnyRequest = Http1Request | Http2ServerRequest;
export type AnyResponse = Http1Response | Http2ServerResponse;

/** The handler both servers call. */
export type RequestListener = (req: AnyRequest, res: AnyResponse) => void;

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Requests node refuses before any handler runs (oversized or malformed headers)
 * still get an AWS error body; S3's wording, the service most often sent large
 * metadata headers.
 */
function answerClientError(err: HttpParseError, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const code = tooLarge ? 'RequestHeaderSectionTooLarge' : 'BadRequest';
  const message = tooLarge ? 'Your request header section exceeds the maximum allowed size.' : 'An error occurred when parsing the HTTP request.';
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** A listening dual-protocol server. */
export interface DualServer {
  readonly net: NetServer;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

/** Creates the HTTP/1.1 + h2c server around one request listener. */
export function createDualServer(listener: RequestListener): DualServer {
  const h2 = createHttp2Server({ maxSessionMemory: 64 }, listener as (req: Http2ServerRequest, res: Http2ServerResponse) => void);
  const h1 = listener as (req: Http1Request, res: Http1Response) => void;
  const sockets = new Set<Socket>();
  // Half-open as node's own HTTP servers are: a client's FIN still gets the pending answers.
  const net = createNetServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      const isH2 = first.length >= 3 && first.subarray(0, Math.min(first.length, PREFACE.length)).equals(PREFACE.subarray(0, Math.min(first.length, PREFACE.length)));
      if (isH2) {
        // http2 reads the preface itself from the stream's buffer.
        socket.pause();
        socket.unshift(first);
        h2.emit('connection', socket);
      } else new Http1Connection(socket, h1, answerClientError).onData(first);
    });
  });
  return {
    net,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        net.once('error', reject);
        net.listen(port, host, () => {
          net.off('error', reject);
          const addr = net.address();
          resolve(typeof addr === 'object' && addr ? addr.port : port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        net.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
