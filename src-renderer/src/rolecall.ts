import type { RolecallApi } from '../../src-shared/api';

declare global {
  interface Window {
    /** Set by the Electron preload; typed from the one shared declaration. */
    rolecall?: RolecallApi;
  }
}

/** The only door from the UI into Rolecall. */
export function rolecallApi(): RolecallApi {
  if (!window.rolecall) throw new Error('Rolecall is not connected to this window.');
  return window.rolecall;
}
