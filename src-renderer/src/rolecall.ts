import type { RolecallApi } from '../../src-shared/api';
import { httpRolecallApi } from './http-api';

declare global {
  interface Window {
    /** Set by the Electron preload; typed from the one shared declaration. */
    rolecall?: RolecallApi;
  }
}

const TOKEN_KEY = 'rolecall-token';

/**
 * The token of the web UI: from the one-time link's fragment (then removed from the address bar
 * and history), kept for this tab only.
 */
export function webToken(): string | null {
  const fromLink = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromLink) {
    sessionStorage.setItem(TOKEN_KEY, fromLink);
    history.replaceState(null, '', window.location.pathname);
    return fromLink;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** After the token is rotated from this page, the page goes on with the new one. */
export function replaceWebToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  api = httpRolecallApi(token);
}

let api: RolecallApi | null = null;

/** The only door from the UI into Rolecall: the preload in Electron, HTTP in a browser. */
export function rolecallApi(): RolecallApi {
  if (window.rolecall) return window.rolecall;
  if (api) return api;
  const token = webToken();
  if (!token) throw new Error('Open the web UI with the link `rolecall serve --ui` printed.');
  api = httpRolecallApi(token);
  return api;
}
