import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { JSON_CONTENT_TYPE } from './credentials-body';
import { errorBody } from './errors';

/** Every TLS connection starts with a handshake record: content type 22. */
const TLS_HANDSHAKE_RECORD = 0x16;
/** Every HTTP/1 request starts with its method, in capitals. */
const HTTP_METHOD_LETTER = /^[A-Z]$/;
/** As long as node's TLS server waits for a handshake, the wait this puts in front of it. */
const FIRST_BYTE_TIMEOUT_MS = 120_000;

/**
 * A client still set up for plain HTTP (a shell exported before the server was restarted with
 * `--tls`) would get a TLS alert, which botocore and the SDKs report as a protocol or
 * connection error. This looks at the first byte of each connection: a TLS handshake goes to
 * the TLS server as before; a request in plain HTTP gets a plain HTTP 400 that says what to do.
 * Nothing is served over plain HTTP but that sentence.
 *
 * The cost is one read of one byte per connection, not per request: keep-alive connections
 * pay it once.
 */
export function answerPlainHttpOnTlsPort(server: HttpsServer): void {
  // Node's own TLS connection listener, to hand TLS connections to after the first byte.
  const tlsListeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  const plain = createServer(answerPlainRequest);
  plain.keepAliveTimeout = 0;
  plain.requestTimeout = 10_000;

  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), FIRST_BYTE_TIMEOUT_MS);
    const onError = () => socket.destroy();
    const onReadable = () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) return;
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('error', onError);
      socket.off('close', onClose);
      // Put the byte back: whoever takes the socket reads it from the start.
      socket.unshift(first);
      if (
        first[0] !== TLS_HANDSHAKE_RECORD &&
        HTTP_METHOD_LETTER.test(String.fromCharCode(first[0]!))
      ) {
        plain.emit('connection', socket);
        return;
      }
      for (const listener of tlsListeners) listener.call(server, socket);
    };
    const onClose = () => clearTimeout(timer);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('readable', onReadable);
  });
}

function answerPlainRequest(request: IncomingMessage, response: ServerResponse): void {
  const { localAddress, localPort } = request.socket;
  const host = localAddress?.includes(':') ? `[${localAddress}]` : (localAddress ?? '127.0.0.1');
  const body = JSON.stringify(
    errorBody(
      400,
      `Rolecall now serves HTTPS on this port; this client asked in plain HTTP. Run \`eval "$(rolecall env)"\` again to point this shell at https://${host}:${localPort}/.`,
    ),
  );
  response.writeHead(400, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  response.end(body);
}
