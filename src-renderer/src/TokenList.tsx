import { useState } from 'react';
import type { TokenView } from '../../src-shared/snapshot';
import { formatTimeLeft } from '../../src-shared/time';
import { removeToken, renewToken } from './actions';
import { Chip } from './design/Chip';
import { TimeBar } from './design/TimeBar';
import { MessageText } from './MessageText';
import { useSnapshotStore } from './stores';
import { tokenTimeLeft } from './time-left';
import { useNow } from './use-now';

const stateWords: Record<TokenView['state'], string> = {
  fresh: 'fresh',
  refreshing: 'renewing…',
  stale: 'renewal failing',
  expired: 'expired',
  failed: 'failed',
  'needs-input': 'waiting for you',
};

/** Adding asks for a secret: that happens in a terminal, with hidden input, never in a form. */
const ADD_COMMAND = 'rolecall oauth add <name> --token-url URL --client-id ID';

/**
 * The bearer tokens Rolecall keeps fresh (tokens.json): each one's state, time left and why it
 * fails, with Renew and Remove. Shown only when there are tokens, so a window without any looks
 * as it did.
 */
export function TokenList() {
  // The array itself: a new `[]` on each read would re-render without end.
  const tokens = useSnapshotStore((state) => state.snapshot.tokens);
  const now = useNow();
  if (!tokens || tokens.length === 0) return null;
  return (
    <section aria-labelledby="tokens-heading">
      <div className="section-head">
        <h2 id="tokens-heading">Tokens</h2>
      </div>
      <div className="card">
        <table className="slots tokens" aria-label="Tokens">
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">State</th>
              <th scope="col">Time left</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <TokenRow key={token.name} token={token} now={now} />
            ))}
          </tbody>
        </table>
        <p className="muted">
          Add one in a terminal (it asks for the secret with hidden input and keeps it in the system
          keychain): <code>{ADD_COMMAND}</code>
        </p>
      </div>
    </section>
  );
}

function TokenRow({ token, now }: { token: TokenView; now: number }) {
  const [confirming, setConfirming] = useState(false);
  const shown = tokenTimeLeft(token, now);
  const left = token.expiresAt ? formatTimeLeft(Date.parse(token.expiresAt) - now) : 'never';
  return (
    <tr data-state={token.state}>
      <td className="slot">
        <span className="slot-name">{token.name}</span>
        <span className="slot-url muted">
          {token.description}
          {token.lazy ? ' · renewed when used' : ''}
        </span>
      </td>
      <td>
        <Chip tone={token.state} className="state">
          {stateWords[token.state]}
        </Chip>
        {token.lastError && (
          <p className="error-detail">
            <MessageText text={token.lastError} />
          </p>
        )}
      </td>
      <td className="time-cell">
        <span className="time-left">
          <span className="time-left-words">
            <span className="countdown">{left}</span>
            <span className="time-words">{shown.words}</span>
          </span>
          <TimeBar {...shown} />
        </span>
      </td>
      <td className="actions">
        {confirming ? (
          <span className="confirm" role="group" aria-labelledby={`remove-${token.name}`}>
            <span id={`remove-${token.name}`}>
              Remove {token.name} and its secrets from the keychain?
            </span>
            <button
              type="button"
              className="danger"
              autoFocus
              onClick={() => {
                setConfirming(false);
                void removeToken(token.name);
              }}
            >
              Remove
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <>
            <button
              type="button"
              className="ghost"
              disabled={token.state === 'refreshing'}
              onClick={() => void renewToken(token.name)}
              aria-label={`Renew ${token.name}`}
            >
              Renew
            </button>
            <button
              type="button"
              className="ghost"
              onClick={() => setConfirming(true)}
              aria-label={`Remove ${token.name}…`}
            >
              Remove…
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
