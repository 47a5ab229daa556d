import { apiNames, UI_SESSION_ROUTE, type RolecallApi } from '../../src-shared/api';
import type { Snapshot } from '../../src-shared/snapshot';

/**
 * RolecallApi over HTTP, for the web UI of `rolecall serve --ui`: one POST per call.
 * `onSessionRefused` runs when the server refuses the page's own session token (a 401 with its
 * `WWW-Authenticate` challenge) rather than answering the call with an error of its own.
 */
export function httpRolecallApi(token: string, onSessionRefused: () => void): RolecallApi {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return Object.fromEntries(
    apiNames.map((name) => [
      name,
      async (args?: unknown) => {
        const response = await fetch(`/api/${name}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(args ?? {}),
        });
        const body = (await response.json().catch(() => null)) as { message?: string } | null;
        if (response.status === 401 && response.headers.has('www-authenticate')) {
          onSessionRefused();
        }
        if (!response.ok) throw new Error(body?.message ?? `Rolecall answered ${response.status}.`);
        return body;
      },
    ]),
  ) as RolecallApi;
}

/** Trades the one-time code of a web UI link for this tab's session token. */
export async function tradeLinkCode(
  code: string,
): Promise<{ token: string } | { problem: string }> {
  try {
    const response = await fetch(UI_SESSION_ROUTE, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    const body = (await response.json().catch(() => null)) as {
      token?: string;
      message?: string;
    } | null;
    if (response.ok && body?.token) return { token: body.token };
    return { problem: body?.message ?? `Rolecall answered ${response.status}.` };
  } catch (error) {
    return { problem: `Rolecall did not answer: ${String(error)}` };
  }
}

/**
 * Live snapshots from GET /api/events (server-sent events read through fetch, because
 * EventSource cannot send the Authorization header). Returns a function that stops listening.
 */
export function subscribeSnapshots(
  token: string,
  onSnapshot: (snapshot: Snapshot) => void,
  onError: (message: string) => void,
): () => void {
  const controller = new AbortController();
  void (async () => {
    try {
      const response = await fetch('/api/events', {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      if (!response.ok || !response.body)
        throw new Error(`Live updates refused (${response.status}).`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').find((line) => line.startsWith('data: '));
          if (data) onSnapshot(JSON.parse(data.slice(6)) as Snapshot);
        }
      }
      onError('Live updates stopped; reload the page.');
    } catch (error) {
      if (!controller.signal.aborted)
        onError(error instanceof Error ? error.message : String(error));
    }
  })();
  return () => controller.abort();
}
