import type { EnvFormat } from '../../src-shared/env-formats';
import { copyEnvExports, loadProfile, openConsole, unloadAll, unloadProfile } from './actions';
import type { PaletteAction } from './palette';
import { togglePinned, usePicksStore } from './picks-store';
import { showQuestion } from './question-actions';
import { startSignInAndShow } from './sign-in-actions';
import { useErrorStore, useViewStore } from './stores';
import { toast } from './toasts';

/** The shell this machine most likely runs, for exports copied without asking. */
export function defaultEnvFormat(platform: string = navigator.platform): EnvFormat {
  return platform.startsWith('Win') ? 'powershell' : 'sh';
}

/** Puts the default slot's exports on the clipboard and says how it went, in a note or an error. */
export async function copyDefaultExports(): Promise<void> {
  const outcome = await copyEnvExports(undefined, defaultEnvFormat());
  if (!outcome) return;
  if (outcome.copied) toast('Exports copied: paste them into a shell.');
  else
    useErrorStore.setState({
      error: 'The clipboard refused the exports; copy them from the Server tab instead.',
    });
}

/** Fills the default slot with a profile and says so once it is done. */
export async function switchTo(profile: string): Promise<void> {
  await loadProfile(profile, false);
  if (!useErrorStore.getState().error) toast(`Switched to ${profile}`);
}

/** Shows an account's profiles: unfolds it and brings its heading into view. */
export function goToAccount(account: string): void {
  useViewStore.setState((state) => ({
    tab: 'profiles',
    collapsed: new Set([...state.collapsed].filter((key) => key !== account)),
  }));
  requestAnimationFrame(() => {
    const heading = document.getElementById(accountHeadingId(account));
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  });
}

export function accountHeadingId(account: string): string {
  return `account-${encodeURIComponent(account).replace(/%/g, '_')}`;
}

/** Carries out what a palette command says. */
export async function runCommand(action: PaletteAction): Promise<void> {
  switch (action.kind) {
    case 'switch':
      return switchTo(action.profile);
    case 'load-slot':
      return loadProfile(action.profile, true);
    case 'console':
      return openConsole(action.profile);
    case 'unload':
      return unloadProfile(action.profile);
    case 'unload-all':
      return unloadAll();
    case 'pin': {
      togglePinned(action.profile);
      const pinned = usePicksStore.getState().picks.pinned.includes(action.profile);
      toast(`${pinned ? 'Pinned' : 'Unpinned'} ${action.profile}`);
      return;
    }
    case 'account':
      return goToAccount(action.account);
    case 'sign-in':
      useViewStore.setState({ tab: 'profiles' });
      return startSignInAndShow(action.session);
    case 'answer':
      return showQuestion(action.key);
    case 'copy-exports':
      return copyDefaultExports();
    case 'tab':
      useViewStore.setState({ tab: action.tab });
      return;
  }
}
