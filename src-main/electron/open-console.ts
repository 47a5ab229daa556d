import type { z } from 'zod';
import type { ApiHandlers, openConsoleArgsSchema } from '../../src-shared/api';
import type { ConsoleOpenedView } from '../../src-shared/console';

export type OpenConsoleRequest = z.output<typeof openConsoleArgsSchema>;

/**
 * "Open console" from the window or the tray: the core signs in and hands back a one-time link
 * to the running server, which the system's browser is given (on Linux through xdg-open's
 * command line, where the sign-in URL itself must never be). Neither the link nor the URL
 * reaches the window.
 */
export function consoleOpener(
  api: Pick<ApiHandlers, 'consoleSignIn'>,
  openExternal: (url: string) => Promise<void>,
) {
  return async (request: OpenConsoleRequest): Promise<ConsoleOpenedView> => {
    const signIn = await api.consoleSignIn({ ...request, deliver: 'link' });
    await openExternal(signIn.url);
    return {
      profile: signIn.profile,
      sessionEndsAt: signIn.sessionEndsAt,
      ...(signIn.note ? { note: signIn.note } : {}),
      loadedIntoSlot: signIn.loadedIntoSlot,
    };
  };
}
