import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RolecallApi } from '../../src-shared/api';
import type { ConsoleSignInView } from '../../src-shared/console';
import { openConsole } from './actions';
import { openConsoleInTab, POPUP_BLOCKED, type PendingTab } from './console-actions';
import { useErrorStore } from './stores';

const LINK = 'http://127.0.0.1:4144/console/one-time-code';
const signIn: ConsoleSignInView = {
  profile: 'prod',
  url: LINK,
  delivered: 'link',
  expiresAt: '2026-01-01T00:02:00.000Z',
  sessionEndsAt: null,
  loadedIntoSlot: false,
};

function tab() {
  const visited: string[] = [];
  let closed = false;
  const pending: PendingTab = {
    go: (url) => visited.push(url),
    close: () => {
      closed = true;
    },
  };
  return { pending, visited, closed: () => closed };
}

afterEach(() => {
  vi.unstubAllGlobals();
  useErrorStore.setState({ error: null });
});

describe('openConsoleInTab', () => {
  it('opens the tab first, then sends it to a one-time link, never asking for the sign-in URL', async () => {
    const opened = tab();
    const order: string[] = [];
    const api = {
      consoleSignIn: vi.fn(async (args: Parameters<RolecallApi['consoleSignIn']>[0]) => {
        order.push('signed in');
        expect(args).toEqual({ profile: 'prod', deliver: 'link' });
        return signIn;
      }),
    };
    await openConsoleInTab(api, 'prod', () => {
      order.push('tab opened');
      return opened.pending;
    });
    expect(order).toEqual(['tab opened', 'signed in']);
    expect(opened.visited).toEqual([LINK]);
  });

  it('closes the tab again when Rolecall cannot sign in, and passes the reason on', async () => {
    const opened = tab();
    const api = {
      consoleSignIn: async () => {
        throw new Error('Profile prod cannot be loaded: it sets no credentials.');
      },
    };
    await expect(openConsoleInTab(api, 'prod', () => opened.pending)).rejects.toThrow(
      'Profile prod cannot be loaded',
    );
    expect(opened.closed()).toBe(true);
    expect(opened.visited).toEqual([]);
  });

  it('says so when the browser blocks the tab, and asks Rolecall for nothing', async () => {
    const api = { consoleSignIn: vi.fn() };
    await expect(openConsoleInTab(api, 'prod', () => null)).rejects.toThrow(POPUP_BLOCKED);
    expect(api.consoleSignIn).not.toHaveBeenCalled();
  });
});

describe('openConsole in the desktop window', () => {
  it('asks main to open it, and never for a URL', async () => {
    const bridge = {
      openConsole: vi.fn(async () => ({
        profile: 'prod',
        sessionEndsAt: null,
        loadedIntoSlot: false,
      })),
      consoleSignIn: vi.fn(),
    };
    vi.stubGlobal('window', { rolecall: bridge });
    await openConsole('prod');
    expect(bridge.openConsole).toHaveBeenCalledWith({ profile: 'prod' });
    expect(bridge.consoleSignIn).not.toHaveBeenCalled();
    expect(useErrorStore.getState().error).toBeNull();
  });

  it('shows why it could not, in words', async () => {
    vi.stubGlobal('window', {
      rolecall: {
        openConsole: async () => {
          throw new Error(
            'Opening the console in a browser goes through the credentials server, which is off.',
          );
        },
      },
    });
    await openConsole('prod');
    expect(useErrorStore.getState().error).toBe(
      'Opening the console in a browser goes through the credentials server, which is off.',
    );
  });
});
