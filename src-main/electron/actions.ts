import { clipboard, dialog, shell } from 'electron';
import { loadProfiles } from '../core/config/profiles';
import { errorMessage } from '../core/errors';
import type { RunningHost } from '../core/host';
import { pickSession } from '../core/sso/sso-sessions';
import type { TrayAction } from './models/tray-menu';
import type { OpenConsoleRequest } from './open-console';

/**
 * What tray clicks do. Each is a call into the core; failures become a dialog with the core's own
 * sentence, never a silent no-op.
 */
export function createActionHandler(deps: {
  host: RunningHost;
  openWindow: () => void;
  /** Opens the window on an open question's dialog. */
  showQuestion: (key: string) => void;
  /** Opens the AWS console in the browser, signed in as a profile. */
  openConsole: (request: OpenConsoleRequest) => Promise<unknown>;
  quit: () => void;
  /** Puts the `rolecall` command on the PATH; resolves with the sentence to show. */
  installCli?: () => Promise<string>;
  /** Quits and installs the downloaded update. */
  installUpdate?: () => void;
}) {
  const { host } = deps;
  const api = host.core.api;

  async function run(action: TrayAction): Promise<void> {
    switch (action.kind) {
      case 'load':
        await api.loadProfile({ profile: action.profile, slot: action.slot });
        return;
      case 'unload':
        await api.unloadProfile({ profile: action.profile });
        return;
      case 'open-console':
        await deps.openConsole({ profile: action.profile });
        return;
      case 'copy-env': {
        if (!host.serving())
          throw new Error('The credentials server is off; turn it on from the tray first.');
        const { text } = await api.getEnvExports({
          format: process.platform === 'win32' ? 'powershell' : 'sh',
          ...(action.profile ? { profile: action.profile } : {}),
        });
        await clipboard.writeText(text);
        return;
      }
      // Also "Sign in again" for a session whose profiles wait: the finished sign-in answers
      // their question (core.ts hears it from the SSO services).
      case 'sign-in': {
        const session = pickSession(await loadProfiles(), action.session);
        await host.sso.signInAndDiscover(session, {
          flow: 'pkce',
          prompt: { openUrl: async (url) => (await shell.openExternal(url), true) },
        });
        return;
      }
      case 'sign-out':
        await api.signOut({ session: action.session });
        return;
      case 'open-window':
        deps.openWindow();
        return;
      case 'answer':
        deps.showQuestion(action.key);
        return;
      case 'toggle-server':
        await host.setServing(!host.serving());
        return;
      case 'install-cli': {
        if (!deps.installCli) throw new Error('Only the installed app can install the command.');
        const sentence = await deps.installCli();
        await dialog.showMessageBox({ type: 'info', title: 'Rolecall', message: sentence });
        return;
      }
      case 'install-update':
        deps.installUpdate?.();
        return;
      case 'quit':
        deps.quit();
        return;
    }
  }

  /** Settles when the action has finished; never rejects (a failure is shown in a dialog). */
  return (action: TrayAction): Promise<void> =>
    run(action).catch((error: unknown) => dialog.showErrorBox('Rolecall', errorMessage(error)));
}
