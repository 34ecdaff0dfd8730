/**
 * One TCP port serving HTTP/1.1 and cleartext HTTP/2 with prior knowledge (h2c):
 * the first bytes of a connection tell which, and the socket is handed to the
 * matching node server. The current Kinesis client speaks HTTP/2 even to http://.
 */
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';

/** The request and response objects of either HTTP version. */
export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** The handler both servers call. */
export type RequestListener = (req: AnyRequest, res: AnyResponse) => void;

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Requests node refuses before any handler runs (oversized or malformed headers)
 * still get an AWS error body; S3's wording, the service most often sent large
 * metadata headers.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
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
  const h1 = createHttp1Server({ keepAliveTimeout: 65_000, headersTimeout: 60_000, requestTimeout: 0, maxHeaderSize: 64 * 1024 }, listener);
  const h2 = createHttp2Server({ maxSessionMemory: 64 }, listener);
  h1.on('clientError', answerClientError);
  const sockets = new Set<Socket>();
  const net = createNetServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const isH2 = first.length >= 3 && first.subarray(0, Math.min(first.length, PREFACE.length)).equals(PREFACE.subarray(0, Math.min(first.length, PREFACE.length)));
      // http2 reads the buffered preface itself; resuming would hand it to nobody.
      if (isH2) h2.emit('connection', socket);
      else {
        h1.emit('connection', socket);
        socket.resume();
      }
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
        h1.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
}
