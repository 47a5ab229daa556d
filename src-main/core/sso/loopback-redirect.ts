import { createServer, type Server, type ServerResponse } from 'node:http';
import { RolecallError } from '../errors';

export interface RedirectResult {
  code: string;
  /**
   * Answers the browser, which waits on the redirect until then, with how the sign-in ended —
   * after the code was exchanged for a token, so the page never says "signed in" when it was not.
   */
  finish(outcome: SignInOutcome): Promise<void>;
}

export type SignInOutcome = { signedIn: true; session: string } | { error: string };

export interface LoopbackRedirect {
  /** http://127.0.0.1:<port>/oauth/callback */
  redirectUri: string;
  /** Resolves with the code once the browser comes back with the expected state. */
  result: Promise<RedirectResult>;
  /** Stops listening; a browser still waiting is told the sign-in did not finish. */
  close(): Promise<void>;
}

function page(title: string, text: string): string {
  return `<!doctype html><meta charset="utf-8"><title>Rolecall</title>
<body style="font-family:system-ui;margin:4em;max-width:40em"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

function send(response: ServerResponse, status: number, html: string): Promise<void> {
  return new Promise((resolve) => {
    if (response.writableEnded || response.destroyed) return resolve();
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html, resolve);
  });
}

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
  // Keeps an unhandled rejection from surfacing when nobody awaits the result any more.
  result.catch(() => undefined);
  let waiting: ServerResponse | null = null;
  let answered = false;

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/oauth/callback') {
      response.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('state') !== state) {
      void send(
        response,
        400,
        page('Sign-in failed', 'The answer did not match this sign-in. Start the sign-in again.'),
      );
      return;
    }
    if (answered) {
      void send(response, 409, page('Already answered', 'This sign-in has already been answered.'));
      return;
    }
    answered = true;
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error || !code) {
      const description = url.searchParams.get('error_description');
      const reason = `${error ?? 'no code'}${description ? `: ${description}` : ''}`;
      void send(response, 200, page('Sign-in failed', `IAM Identity Center said ${reason}.`));
      settle.reject(new RolecallError('sso-access-denied', `Sign-in was denied (${reason}).`, 403));
      return;
    }
    waiting = response;
    settle.resolve({
      code,
      finish: (outcome) => {
        waiting = null;
        return 'signedIn' in outcome
          ? send(
              response,
              200,
              page(
                'Signed in',
                `Signed in to ${outcome.session}. You can close this tab and return to Rolecall.`,
              ),
            )
          : send(response, 200, page('Sign-in failed', outcome.error));
      },
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = async () => {
    if (waiting) {
      const browser = waiting;
      waiting = null;
      await send(
        browser,
        200,
        page(
          'Sign-in failed',
          'The sign-in did not finish; Rolecall says why where you started it.',
        ),
      );
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  signal?.addEventListener(
    'abort',
    () =>
      settle.reject(
        signal.reason instanceof RolecallError
          ? signal.reason
          : new RolecallError('sso-cancelled', 'Sign-in was cancelled.', 499),
      ),
    { once: true },
  );
  return { redirectUri: `http://127.0.0.1:${port}/oauth/callback`, result, close };
}
