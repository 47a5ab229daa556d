import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * One request to the local server. Over HTTPS it trusts exactly the CA file the server announced,
 * so the CLI (and `credential-process`, which AWS CLIs and SDKs run) verifies Rolecall's
 * certificate without any change to the system's trust store.
 */
export async function requestLocal(
  url: URL,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    caFile?: string;
    /** Send it over this Unix socket instead (the URL then gives only the path and Host). */
    socketPath?: string;
    /** Aborting closes the connection, which tells the server the caller has gone. */
    signal?: AbortSignal;
  },
): Promise<HttpAnswer> {
  const ca =
    url.protocol === 'https:' && options.caFile
      ? await readFile(options.caFile, 'utf8')
      : undefined;
  // node:https (and TLS with it) is loaded only for a server that serves HTTPS.
  const send =
    url.protocol === 'https:' ? process.getBuiltinModule('node:https').request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method,
        headers: options.headers,
        ...(ca ? { ca } : {}),
        ...(options.socketPath ? { socketPath: options.socketPath } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
