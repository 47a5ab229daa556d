import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { EnterIcon, SearchIcon } from './design/icons';
import { paletteCommands, searchCommands, type Command } from './palette';
import { usePicksStore } from './picks-store';
import { runCommand } from './run-command';
import { useProfilesStore, useSessionsStore, useSnapshotStore, useViewStore } from './stores';

export const closePalette = () => useViewStore.setState({ paletteOpen: false });

/** Ctrl-K (Cmd-K on a Mac) opens and closes the palette from anywhere in the window. */
export function usePaletteShortcut(): void {
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey)) return;
      if (event.altKey || event.shiftKey) return;
      event.preventDefault();
      useViewStore.setState((state) => ({ paletteOpen: !state.paletteOpen }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * The command palette: a modal search over every profile, account and action (palette.ts),
 * the WAI-ARIA combobox pattern — focus stays in the field, arrows move the highlight, Enter
 * runs it, Escape closes and gives focus back.
 */
export function CommandPalette() {
  const open = useViewStore((state) => state.paletteOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocusTo = useRef<Element | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      returnFocusTo.current = document.activeElement;
      element.showModal();
    } else if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="palette"
      aria-label="Command palette"
      onClose={() => {
        closePalette();
        const back = returnFocusTo.current;
        returnFocusTo.current = null;
        if (back instanceof HTMLElement && back.isConnected) back.focus();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === dialog.current) closePalette();
      }}
    >
      {open && <PaletteBody />}
    </dialog>
  );
}

function PaletteBody() {
  const profiles = useProfilesStore((state) => state.profiles);
  const sessions = useSessionsStore((state) => state.sessions);
  const snapshot = useSnapshotStore((state) => state.snapshot);
  const pinned = usePicksStore((state) => state.picks.pinned);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const commands = useMemo(
    () => paletteCommands({ profiles, sessions, snapshot, pinned }),
    [profiles, sessions, snapshot, pinned],
  );
  // Grouped, each group where its best command ranks; arrows follow the order shown.
  const found = useMemo(() => {
    const ranked = searchCommands(commands, query).slice(0, 60);
    const groups = [...new Set(ranked.map((command) => command.group))];
    return groups.flatMap((group) => ranked.filter((command) => command.group === group));
  }, [commands, query]);
  const current = found[Math.min(active, found.length - 1)];

  useEffect(() => {
    if (current) document.getElementById(optionId(current))?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const run = (command: Command) => {
    closePalette();
    void runCommand(command.action);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step !== undefined && found.length > 0) {
      event.preventDefault();
      setActive(
        (index) => (Math.min(index, found.length - 1) + step + found.length) % found.length,
      );
    } else if (event.key === 'Enter' && current) {
      event.preventDefault();
      run(current);
    } else if (event.key === 'Home' || event.key === 'End') {
      if (!event.ctrlKey) return;
      event.preventDefault();
      setActive(event.key === 'Home' ? 0 : found.length - 1);
    }
  };

  const groups = [...new Set(found.map((command) => command.group))];
  return (
    <div className="palette-body">
      <div className="palette-search">
        <SearchIcon className="icon" />
        <input
          autoFocus
          role="combobox"
          aria-label="Search profiles, accounts and actions"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(current) : undefined}
          placeholder="Switch, open console, pin, go to an account…"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <kbd>Esc</kbd>
      </div>
      <div id="palette-list" role="listbox" aria-label="Commands">
        {found.length === 0 && <p className="palette-empty">Nothing matches “{query}”.</p>}
        {groups.map((group) => (
          <div key={group} role="group" aria-labelledby={`palette-group-${group}`}>
            <p className="palette-group" id={`palette-group-${group}`} role="presentation">
              {group}
            </p>
            {found
              .filter((command) => command.group === group)
              .map((command) => (
                <div
                  key={command.id}
                  id={optionId(command)}
                  role="option"
                  aria-selected={command === current}
                  className="palette-option"
                  onMouseMove={() => setActive(found.indexOf(command))}
                  onClick={() => run(command)}
                >
                  <span className="palette-title">{command.title}</span>
                  {command.detail && <span className="palette-detail">{command.detail}</span>}
                  {command === current && <EnterIcon className="icon palette-enter" />}
                </div>
              ))}
          </div>
        ))}
      </div>
      <p className="palette-footer">
        <kbd>↑</kbd> <kbd>↓</kbd> to move, <kbd>Enter</kbd> to run
      </p>
    </div>
  );
}

const optionId = (command: Command) => `palette-option-${command.id}`;
