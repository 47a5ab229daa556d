import { useEffect, useId, useState } from 'react';
import type { EnvFormat } from '../../src-shared/env-formats';
import { copyEnvExports, refreshServerInfo, revealToken, rotateToken } from './actions';
import { useServerStore, useSnapshotStore } from './stores';

const formatNames: Record<EnvFormat, string> = {
  sh: 'bash / zsh (sh)',
  fish: 'fish',
  powershell: 'PowerShell',
  json: 'JSON',
};

/** Where the credentials server listens, how to point a shell at it, and its bearer token. */
export function ServerPanel() {
  const info = useServerStore((state) => state.info);
  useEffect(() => void refreshServerInfo(), []);

  return (
    <section aria-labelledby="server-heading">
      <h2 id="server-heading">Credentials server</h2>
      {info ? (
        <dl className="facts">
          <dt>Address</dt>
          <dd>
            <code>{info.url}</code>
          </dd>
          <dt>Encryption</dt>
          <dd>
            {info.tls ? (
              <>
                HTTPS. Clients trust the certificate authority in <code>{info.caFile}</code>.
              </>
            ) : (
              'Plain HTTP on this machine only (HTTPS can be turned on in Settings).'
            )}
          </dd>
          <dt>Running</dt>
          <dd>
            Rolecall {info.version}, process {info.pid}, since{' '}
            {new Date(info.startedAt).toLocaleString()}
          </dd>
        </dl>
      ) : (
        <p className="empty">
          The credentials server is off; AWS tools get no credentials from it.
        </p>
      )}
      {info && <ExportsForm />}
      <TokenControls />
    </section>
  );
}

function ExportsForm() {
  const defaultProfile = useSnapshotStore((state) => state.snapshot.defaultProfile);
  const slots = useSnapshotStore((state) => state.snapshot.slots);
  const [target, setTarget] = useState('');
  const [format, setFormat] = useState<EnvFormat>(
    navigator.platform.startsWith('Win') ? 'powershell' : 'sh',
  );
  const [status, setStatus] = useState('');
  const [manual, setManual] = useState<string | null>(null);
  const ids = { target: useId(), format: useId() };

  const copy = async () => {
    setStatus('');
    setManual(null);
    const outcome = await copyEnvExports(target || undefined, format);
    if (!outcome) return;
    if (outcome.copied) {
      const slot = target ? `the ${target} slot` : 'the default slot';
      setStatus(
        format === 'json'
          ? `Copied as JSON; the variables point AWS tools at ${slot}.`
          : `Copied. Paste it into a ${formatNames[format]} shell; AWS tools started there use ${slot}.`,
      );
    } else {
      setManual(outcome.text);
      setStatus('The clipboard refused; select the text below and copy it yourself.');
    }
  };

  return (
    <form
      className="exports"
      onSubmit={(event) => {
        event.preventDefault();
        void copy();
      }}
    >
      <h3>Shell exports</h3>
      <div className="row">
        <label htmlFor={ids.target}>Credentials from</label>
        <select id={ids.target} value={target} onChange={(event) => setTarget(event.target.value)}>
          <option value="">
            the default slot{defaultProfile ? ` (now ${defaultProfile})` : ''}
          </option>
          {slots.map((profile) => (
            <option key={profile} value={profile}>
              the slot of {profile}
            </option>
          ))}
        </select>
        <label htmlFor={ids.format}>Shell</label>
        <select
          id={ids.format}
          value={format}
          onChange={(event) => setFormat(event.target.value as EnvFormat)}
        >
          {Object.entries(formatNames).map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>
        <button type="submit">Copy exports</button>
      </div>
      <p role="status" className="muted">
        {status}
      </p>
      {manual && (
        <textarea
          readOnly
          aria-label="Exports to copy"
          className="manual-copy"
          value={manual}
          rows={manual.split('\n').length}
          onFocus={(event) => event.target.select()}
        />
      )}
    </form>
  );
}

function TokenControls() {
  // Only in this component's state while shown: never in a store, gone when hidden.
  const [shown, setShown] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState('');

  const rotate = async () => {
    setConfirming(false);
    const authorization = await rotateToken();
    if (!authorization) return;
    setShown((current) => (current ? authorization : null));
    setStatus(
      'Rotated. Programs using the old token now get 401; give them new exports (copy them above, or run `rolecall env`).',
    );
  };

  return (
    <div className="token">
      <h3>Bearer token</h3>
      <p className="muted">
        AWS tools send it as <code>AWS_CONTAINER_AUTHORIZATION_TOKEN</code>; the copied exports
        include it. It is kept in the system keychain.
      </p>
      <div className="row">
        <button
          type="button"
          aria-expanded={shown !== null}
          aria-controls="token-value"
          onClick={async () => setShown(shown ? null : await revealToken())}
        >
          {shown ? 'Hide token' : 'Reveal token'}
        </button>
        <button type="button" onClick={() => setConfirming(true)} disabled={confirming}>
          Rotate token…
        </button>
      </div>
      <p id="token-value">{shown && <code className="secret">{shown}</code>}</p>
      {confirming && (
        <div className="confirm" role="group" aria-labelledby="rotate-question">
          <p id="rotate-question">
            Replace the token now? Every program using the current one gets 401 until it is given
            new exports.
          </p>
          <button type="button" className="danger" onClick={() => void rotate()} autoFocus>
            Rotate now
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <p role="status" className="muted">
        {status}
      </p>
    </div>
  );
}
