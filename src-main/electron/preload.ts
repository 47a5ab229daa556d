import { contextBridge, ipcRenderer } from 'electron';
import { apiNames, ipcChannel, type ApiOutcome, type RolecallApi } from '../../src-shared/api';

/**
 * Exposes exactly RolecallApi as `window.rolecall` — domain calls only, never ipcRenderer itself.
 * Its type comes from the shared declaration, so there is no hand-kept .d.ts to drift.
 */
const rolecall = Object.fromEntries(
  apiNames.map((name) => [
    name,
    async (args?: unknown) => {
      const outcome = (await ipcRenderer.invoke(ipcChannel(name), args)) as ApiOutcome<unknown>;
      if (outcome.ok) return outcome.value;
      throw new Error(outcome.error.message);
    },
  ]),
) as RolecallApi;

contextBridge.exposeInMainWorld('rolecall', rolecall);
