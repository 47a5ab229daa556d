import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { SettingsView } from '../../src-shared/settings';
import { refreshSettings, saveSettings } from './actions';
import {
  draftOf,
  patchOf,
  recheck,
  refreshLeadWarning,
  SDK_REFRESH_MINUTES,
  type Draft,
  type FieldProblems,
  type TypedField,
} from './settings-draft';
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
  const [problems, setProblems] = useState<FieldProblems>({});
  // Why the core refused a change it was sent (a port in use, a settings file broken by hand).
  const [refused, setRefused] = useState<string | null>(null);
  const id = useId();
  const inputId = (name: TypedField) => `${id}-${name}`;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    const next = { ...draft, [key]: value };
    setDraft(next);
    setRefused(null);
    setProblems((shown) => recheck(shown, next, view));
  };
  const field = (name: TypedField) => ({ id: inputId(name), problem: problems[name] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { patch, problems: found, other } = patchOf(draft, view);
    setProblems(found);
    setRefused(other.length ? other.join(' ') : null);
    setStatus('');
    const first = typedFields.find((name) => found[name]);
    if (first) {
      // Focus reads the field's label and, through aria-describedby, what is wrong with it.
      document.getElementById(inputId(first))?.focus();
      return;
    }
    if (other.length) return;
    if (Object.keys(patch).length === 0) {
      setStatus('Nothing changed.');
      return;
    }
    const refusal = await saveSettings(patch);
    if (refusal) setRefused(refusal);
    else setStatus(`Saved to ${view.file}.`);
  };

  const pending =
    view.inEffect.port !== null &&
    (view.inEffect.port !== view.server.port || view.inEffect.tls !== view.server.tls);

  return (
    <form className="settings" onSubmit={(event) => void submit(event)} noValidate>
      <h2>Settings</h2>
      <fieldset>
        <legend>Renewal</legend>
        <TypedInput
          label="Renew credentials when fewer than this many minutes remain"
          numeric
          value={draft.refreshLead}
          onChange={(value) => set('refreshLead', value)}
          {...field('refreshLead')}
          warning={refreshLeadWarning(draft.refreshLead)}
          hint={
            <>
              AWS SDKs fetch again when fewer than {SDK_REFRESH_MINUTES} minutes remain, so keep it
              at {SDK_REFRESH_MINUTES} or more. Credentials too short-lived for this are renewed
              halfway through their life.
            </>
          }
        />
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
        <TypedInput
          label="Warn this many minutes before (comma-separated)"
          value={draft.warnBefore}
          disabled={!draft.notify}
          onChange={(value) => set('warnBefore', value)}
          {...field('warnBefore')}
          hint={
            <>
              Shown by the desktop app; <code>rolecall serve</code> writes these warnings to its
              log.
            </>
          }
        />
      </fieldset>
      <fieldset>
        <legend>Credentials server</legend>
        <TypedInput
          label="Port"
          numeric
          value={draft.port}
          onChange={(value) => set('port', value)}
          {...field('port')}
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
        {refused && (
          <p role="alert" className="field-error">
            <MessageText text={refused} />
          </p>
        )}
        <p role="status" className="muted">
          {status}
        </p>
      </div>
    </form>
  );
}

const typedFields: TypedField[] = ['refreshLead', 'warnBefore', 'port'];

/**
 * A typed field with, beside it, what is wrong with it (aria-invalid), a warning about an allowed
 * but unwise value, and its hint, all read with it through aria-describedby.
 */
function TypedInput({
  id,
  label,
  value,
  onChange,
  numeric = false,
  disabled = false,
  problem,
  warning,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  numeric?: boolean;
  disabled?: boolean;
  problem?: string | undefined;
  warning?: string | null;
  hint?: ReactNode;
}) {
  const describedBy = [
    problem && `${id}-problem`,
    warning && `${id}-warning`,
    hint && `${id}-hint`,
  ].filter(Boolean);
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy.length ? describedBy.join(' ') : undefined}
        {...(numeric ? { inputMode: 'numeric' as const } : {})}
      />
      {problem && (
        <p id={`${id}-problem`} className="field-error">
          {problem}
        </p>
      )}
      {warning && (
        <p id={`${id}-warning`} className="field-warning">
          {warning}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </>
  );
}
