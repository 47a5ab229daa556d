import type { DesktopBridge, RolecallApi } from '../../src-shared/api';
import { httpRolecallApi, tradeLinkCode } from './http-api';

declare global {
  interface Window {
    /** Set by the Electron preload; typed from the one shared declaration. */
    rolecall?: DesktopBridge;
  }
}

const SESSION_KEY = 'rolecall-session';
let sessionProblem: string | null = null;

/**
 * Before the first render in a browser: trades the one-time code from the link's fragment for
 * this tab's session token (kept for this tab only), and takes the code out of the address bar
 * and history. The bearer token itself never reaches the browser this way.
 */
export async function startWebSession(): Promise<void> {
  if (window.rolecall) return;
  const code = new URLSearchParams(window.location.hash.slice(1)).get('code');
  if (!code) return;
  history.replaceState(null, '', window.location.pathname);
  const traded = await tradeLinkCode(code);
  if ('problem' in traded) {
    sessionProblem = traded.problem;
    return;
  }
  sessionStorage.setItem(SESSION_KEY, traded.token);
  sessionProblem = null;
}

/** This tab's session token, once the link was traded. */
export function webToken(): string | null {
  return sessionStorage.getItem(SESSION_KEY);
}

let api: RolecallApi | null = null;

/** The only door from the UI into Rolecall: the preload in Electron, HTTP in a browser. */
export function rolecallApi(): RolecallApi {
  if (window.rolecall) return window.rolecall;
  if (api) return api;
  const token = webToken();
  if (!token)
    throw new Error(
      sessionProblem ??
        'Open the web UI with a link from `rolecall ui` (or the one `rolecall serve --ui` printed); each link works once.',
    );
  api = httpRolecallApi(token);
  return api;
}
