import { CommandPalette, usePaletteShortcut } from './CommandPalette';
import { SearchIcon, WindowIcon } from './design/icons';
import { Toasts } from './design/Toasts';
import { MessageText } from './MessageText';
import { ProfileList } from './ProfileList';
import { MoveInDialog } from './MoveInDialog';
import { QuestionDialog, QuestionList } from './QuestionDialog';
import { addressOf } from './route';
import { ServerPanel } from './ServerPanel';
import { SessionList } from './SessionList';
import { SettingsPanel } from './SettingsPanel';
import { SlotList } from './SlotList';
import { useErrorStore, useViewStore, type TabId } from './stores';
import { Tabs } from './Tabs';
import { TokenList } from './TokenList';
import { Teach, useTeaching } from './Teach';
import { UpdateNotice } from './UpdateNotice';
import { useLiveRolecall } from './use-live';

/** Ctrl or ⌘, as this machine writes it. */
export const commandKey = () => (/Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl');

/** The profile window: what is loaded (live) and every profile to load; the server; settings. */
export function App() {
  const error = useErrorStore((state) => state.error);
  const tab = useViewStore((state) => state.tab);
  const teaching = useTeaching();
  useLiveRolecall();
  usePaletteShortcut();
  // A state that teaches says the error in its own words, with its fix.
  const errorTaught = teaching?.kind === 'server-off' || teaching?.kind === 'keychain-locked';

  return (
    <main className="window">
      <header className="app-header">
        <h1>
          <span className="brand-mark" aria-hidden="true" />
          Rolecall
        </h1>
        <button
          type="button"
          className="palette-trigger"
          onClick={() => useViewStore.setState({ paletteOpen: true })}
          aria-keyshortcuts="Control+K Meta+K"
        >
          <SearchIcon className="icon" />
          <span className="palette-trigger-text">Search profiles and actions</span>
          <kbd>{commandKey()}</kbd>
          <kbd>K</kbd>
        </button>
        {!window.rolecall && (
          <a className="header-link" href={addressOf('popover', window.location.pathname)}>
            <WindowIcon className="icon" />
            Tray view
          </a>
        )}
      </header>
      <UpdateNotice />
      {error && !errorTaught && (
        <p role="alert" className="alert">
          <MessageText text={error} />
        </p>
      )}
      <Tabs
        label="Rolecall"
        selected={tab}
        onSelect={(id) => useViewStore.setState({ tab: id as TabId })}
        tabs={[
          {
            id: 'profiles',
            label: 'Profiles',
            panel: (
              <>
                {teaching && <Teach teaching={teaching} />}
                <QuestionList />
                <section aria-labelledby="slots-heading">
                  <div className="section-head">
                    <h2 id="slots-heading">Loaded</h2>
                  </div>
                  <SlotList />
                </section>
                <TokenList />
                <SessionList />
                <ProfileList />
              </>
            ),
          },
          { id: 'server', label: 'Server', panel: <ServerPanel /> },
          { id: 'settings', label: 'Settings', panel: <SettingsPanel /> },
        ]}
      />
      <QuestionDialog onSignIn={() => useViewStore.setState({ tab: 'profiles' })} />
      <MoveInDialog />
      <CommandPalette />
      <Toasts />
    </main>
  );
}
