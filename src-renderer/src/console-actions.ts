import type { RolecallApi } from '../../src-shared/api';

/** A browser tab opened at once, while the click still counts as the user's, then sent on. */
export interface PendingTab {
  go(url: string): void;
  close(): void;
}

/** Opens a blank tab, or null where the browser blocked it. */
export type OpenTab = () => PendingTab | null;

export const openBlankTab: OpenTab = () => {
  const tab = window.open('', '_blank');
  if (!tab) return null;
  return {
    go(url) {
      // The console's pages must not reach back into this one through window.opener.
      tab.opener = null;
      tab.location.href = url;
    },
    close: () => tab.close(),
  };
};

export const POPUP_BLOCKED =
  'Your browser blocked the new tab for the AWS console; allow pop-ups for this page and try again.';

/**
 * "Open console" in the web UI: a tab is opened at the click (a tab opened after waiting for
 * Rolecall would be blocked as a pop-up), then sent to a one-time link to this server, which sends
 * it on to AWS's sign-in page — so the sign-in URL never reaches this page. A failure closes the
 * tab again and is thrown for the page to show.
 */
export async function openConsoleInTab(
  api: Pick<RolecallApi, 'consoleSignIn'>,
  profile: string,
  openTab: OpenTab = openBlankTab,
): Promise<void> {
  const tab = openTab();
  if (!tab) throw new Error(POPUP_BLOCKED);
  try {
    const { url } = await api.consoleSignIn({ profile, deliver: 'link' });
    tab.go(url);
  } catch (error) {
    tab.close();
    throw error;
  }
}
