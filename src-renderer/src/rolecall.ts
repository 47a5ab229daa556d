import type { DesktopBridge, RolecallApi } from '../../src-shared/api';
import { httpRolecallApi, tradeLinkCode } from './http-api';
import { useAccessStore } from './stores';

declare global {
  interface Window {
    /** Set by the Electron preload; typed from the one shared declaration. */
    rolecall?: DesktopBridge;
  }
}

const SESSION_KEY = 'rolecall-session';
let api: RolecallApi | null = null;

export const NO_LINK =
  'Open the web UI with a link from `rolecall ui` (or the one `rolecall serve --ui` printed); each link works once.';

/** Sessions live in the server's memory, so the only way one ends is the server stopping. */
export const SESSION_ENDED =
  'This page’s session ended when Rolecall was restarted. Run `rolecall ui` for a new link.';

/**
 * Before the first render in a browser: trades the one-time code from the link's fragment for
 * this tab's session token (kept for this tab only), and takes the code out of the address bar
 * and history. The bearer token itself never reaches the browser this way. A tab that ends up
 * with no session is told what to do next instead of being shown an empty window.
 */
export async function startWebSession(): Promise<void> {
  if (window.rolecall) return;
  let problem = NO_LINK;
  const code = new URLSearchParams(window.location.hash.slice(1)).get('code');
  if (code) {
    history.replaceState(null, '', window.location.pathname + window.location.search);
    const traded = await tradeLinkCode(code);
    if ('problem' in traded) problem = traded.problem;
    else {
      sessionStorage.setItem(SESSION_KEY, traded.token);
      api = null;
    }
  }
  // A tab that has a session keeps it, even when a used link is opened in it again.
  useAccessStore.setState({ problem: webToken() ? null : problem });
}

/**
 * A link pasted into a tab already showing the web UI differs only in its fragment, so the
 * browser does not load the page again: trade its code all the same.
 */
export function followNewLinks(): void {
  window.addEventListener('hashchange', () => void startWebSession());
}

/** This tab's session token, once the link was traded. */
export function webToken(): string | null {
  return sessionStorage.getItem(SESSION_KEY);
}

/** The server no longer knows this tab's session: forget it, and say what to do next. */
function endWebSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
  api = null;
  useAccessStore.setState({ problem: SESSION_ENDED });
}

/** The only door from the UI into Rolecall: the preload in Electron, HTTP in a browser. */
export function rolecallApi(): RolecallApi {
  if (window.rolecall) return window.rolecall;
  if (api) return api;
  const token = webToken();
  if (!token) throw new Error(useAccessStore.getState().problem ?? NO_LINK);
  api = httpRolecallApi(token, endWebSession);
  return api;
}
