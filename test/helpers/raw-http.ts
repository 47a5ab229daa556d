import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** Header names in lower case, as node gives them. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `request` byte for byte to a fresh connection to 127.0.0.1:`port` and reads one
 * response (framed by Content-Length, or by the server closing). No HTTP client in between,
 * so nothing is normalised, re-escaped or added on the way.
 */
export function sendRaw(port: number, request: Buffer | string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (answer: RawAnswer | Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (answer instanceof Error) reject(answer);
      else resolve(answer);
    };
    const tryParse = (closed: boolean) => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (closed) finish(new Error(`connection closed mid-head: ${received.toString()}`));
        return;
      }
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = received.subarray(end + 4);
      const length = headers['content-length'];
      if (length !== undefined ? body.length < Number(length) : !closed) return;
      finish({
        status: Number(statusLine!.split(' ')[1]),
        headers,
        body: body.subarray(0, length === undefined ? body.length : Number(length)).toString(),
      });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('error', (error) => finish(error));
    socket.write(request);
  });
}
