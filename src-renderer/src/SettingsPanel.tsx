import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SettingsView } from '../../src-shared/settings';
import { refreshSettings, saveSettings } from './actions';
import { draftOf, patchOf, type Draft } from './settings-draft';
import { useSettingsStore } from './stores';
import { MessageText } from './MessageText';

export function SettingsPanel() {
  const view = useSettingsStore((state) => state.view);
  const [status, setStatus] = useState('');
  useEffect(() => void refreshSettings(), []);
  if (!view) return <p className="empty">Loading settings…</p>;
  // A new form whenever the saved settings change, so it always starts from what is saved.
  return (
    <SettingsForm key={JSON.stringify(view)} view={view} status={status} setStatus={setStatus} />
  );
}

function SettingsForm({
  view,
  status,
  setStatus,
}: {
  view: SettingsView;
  status: string;
  setStatus: (status: string) => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(view));
  const [problems, setProblems] = useState<string[]>([]);
  const id = useId();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { patch, problems: found } = patchOf(draft, view);
    setProblems(found);
    setStatus('');
    if (found.length) return;
    if (Object.keys(patch).length === 0) {
      setStatus('Nothing changed.');
      return;
    }
    if (await saveSettings(patch)) setStatus(`Saved to ${view.file}.`);
  };

  const pending =
    view.inEffect.port !== null &&
    (view.inEffect.port !== view.server.port || view.inEffect.tls !== view.server.tls);

  return (
    <form className="settings" onSubmit={(event) => void submit(event)} noValidate>
      <h2>Settings</h2>
      {problems.length > 0 && (
        <div role="alert" className="alert">
          {problems.map((problem) => (
            <p key={problem}>{problem}</p>
          ))}
        </div>
      )}
      <fieldset>
        <legend>Renewal</legend>
        <label htmlFor={`${id}-lead`}>
          Renew credentials when fewer than this many minutes remain
        </label>
        <input
          id={`${id}-lead`}
          inputMode="numeric"
          value={draft.refreshLead}
          onChange={(event) => set('refreshLead', event.target.value)}
          aria-describedby={`${id}-lead-hint`}
        />
        <p id={`${id}-lead-hint`} className="hint">
          AWS SDKs fetch again when fewer than 15 minutes remain, so keep it above 15. Credentials
          too short-lived for this are renewed halfway through their life.
        </p>
      </fieldset>
      <fieldset>
        <legend>Notifications</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.notify}
            onChange={(event) => set('notify', event.target.checked)}
          />
          Warn before sign-ins and credentials that cannot be renewed run out
        </label>
        <label htmlFor={`${id}-warn`}>Warn this many minutes before (comma-separated)</label>
        <input
          id={`${id}-warn`}
          value={draft.warnBefore}
          disabled={!draft.notify}
          onChange={(event) => set('warnBefore', event.target.value)}
          aria-describedby={`${id}-warn-hint`}
        />
        <p id={`${id}-warn-hint`} className="hint">
          Shown by the desktop app; <code>rolecall serve</code> writes these warnings to its log.
        </p>
      </fieldset>
      <fieldset>
        <legend>Credentials server</legend>
        <label htmlFor={`${id}-port`}>Port</label>
        <input
          id={`${id}-port`}
          inputMode="numeric"
          value={draft.port}
          onChange={(event) => set('port', event.target.value)}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={draft.tls}
            onChange={(event) => set('tls', event.target.checked)}
          />
          Serve HTTPS with a local certificate authority
        </label>
        {(pending || view.serverNote) && (
          <p className="hint" aria-live="polite">
            {pending &&
              `In effect now: port ${view.inEffect.port}, ${view.inEffect.tls ? 'HTTPS' : 'HTTP'}. `}
            {view.serverNote && <MessageText text={view.serverNote} />}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Start</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.launchAtLogin}
            disabled={view.launchAtLogin === null}
            onChange={(event) => set('launchAtLogin', event.target.checked)}
            aria-describedby={view.launchAtLogin === null ? `${id}-login-hint` : undefined}
          />
          Start Rolecall when I log in
        </label>
        {view.launchAtLogin === null && (
          <p id={`${id}-login-hint`} className="hint">
            Available in the desktop app; run <code>rolecall serve</code> from your system’s service
            manager instead.
          </p>
        )}
      </fieldset>
      <div className="row">
        <button type="submit">Save settings</button>
        <p role="status" className="muted">
          {status}
        </p>
      </div>
    </form>
  );
}
