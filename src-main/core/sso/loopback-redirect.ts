import { createServer, type Server } from 'node:http';
import { RolecallError } from '../errors';

export interface RedirectResult {
  code: string;
}

export interface LoopbackRedirect {
  /** http://127.0.0.1:<port>/oauth/callback */
  redirectUri: string;
  /** Resolves with the code once the browser comes back with the expected state. */
  result: Promise<RedirectResult>;
  close(): void;
}

const DONE_PAGE = `<!doctype html><meta charset="utf-8"><title>Rolecall</title>
<body style="font-family:system-ui;margin:4em"><h1>Signed in</h1><p>You can close this tab and return to Rolecall.</p>`;
const FAILED_PAGE = (
  reason: string,
) => `<!doctype html><meta charset="utf-8"><title>Rolecall</title>
<body style="font-family:system-ui;margin:4em"><h1>Sign-in failed</h1><p>${reason}</p>`;

/**
 * A one-shot HTTP listener on loopback for the authorization-code redirect (RFC 8252 §7.3). Only a
 * request carrying the `state` we generated is accepted, so another page can't inject a code.
 */
export async function listenForRedirect(
  state: string,
  signal?: AbortSignal,
): Promise<LoopbackRedirect> {
  let settle!: { resolve: (value: RedirectResult) => void; reject: (error: Error) => void };
  const result = new Promise<RedirectResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/oauth/callback') {
      response.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('state') !== state) {
      response
        .writeHead(400, { 'content-type': 'text/html' })
        .end(FAILED_PAGE('The answer did not match this sign-in.'));
      return;
    }
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error || !code) {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(FAILED_PAGE('Access was denied.'));
      settle.reject(
        new RolecallError('sso-access-denied', `Sign-in was denied (${error ?? 'no code'}).`, 403),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end(DONE_PAGE);
    settle.resolve({ code });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = () => {
    server.close();
    server.closeAllConnections();
  };
  signal?.addEventListener(
    'abort',
    () => settle.reject(new RolecallError('sso-cancelled', 'Sign-in was cancelled.', 499)),
    {
      once: true,
    },
  );
  void result.then(close, close);
  return { redirectUri: `http://127.0.0.1:${port}/oauth/callback`, result, close };
}
