import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RolecallError } from '../errors';
import { oauthAccount } from '../oauth/oauth-secrets';
import { underTokenLock } from '../oauth/oauth-source';
import type { SecretStore } from '../secrets/secret-store';
import {
  changeTokenDefinitions,
  rawName,
  readTokenDefinitions,
  strategyOf,
  type TokenDefinitionBase,
} from './token-definitions';
import { knownTokenKinds, tokenKinds, type TokenSourceDeps } from './token-kinds';
import { plannedTokenRefreshAt } from './token-refresh-plan';
import type { TokenSet, TokenSource } from './token-source';

/**
 * What the `rolecall oauth` commands do, in their own process: the keychain and tokens.json are
 * shared with a running Rolecall, and every renewal holds the token's lock, so a command and a
 * server never renew one token at once.
 */

export interface TokenRow {
  name: string;
  kind: string;
  description: string;
  /** RFC 3339, or null when the token held names no expiry or none is held. */
  expiresAt: string | null;
  state: 'valid' | 'expired' | 'none';
  refresh: TokenDefinitionBase['refresh'];
}

/** The defined tokens with what the keychain holds of each (never the token), and warnings. */
export async function listTokens(
  deps: TokenSourceDeps,
): Promise<{ rows: TokenRow[]; warnings: string[] }> {
  const file = await readTokenDefinitions(deps.home, knownTokenKinds);
  const rows: TokenRow[] = [];
  for (const definition of file.definitions) {
    const source = sourceOf(definition, file.raw, deps);
    if (typeof source === 'string') {
      file.warnings.push(`Token ${definition.name} is left out: ${source}.`);
      continue;
    }
    const held = await source.held?.().catch(() => null);
    const expiresAt = held?.token.expiresAt;
    rows.push({
      name: definition.name,
      kind: definition.kind,
      description: source.description,
      expiresAt: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
      state: !held
        ? 'none'
        : expiresAt !== undefined && expiresAt <= deps.now()
          ? 'expired'
          : 'valid',
      refresh: definition.refresh,
    });
  }
  return { rows: rows.sort((a, b) => (a.name < b.name ? -1 : 1)), warnings: file.warnings };
}

/**
 * The token to use now: the one held, unless it is past its renewal point (the definition's
 * strategy), else a renewal under the token's lock.
 */
export async function currentToken(name: string, deps: TokenSourceDeps): Promise<TokenSet> {
  const file = await readTokenDefinitions(deps.home, knownTokenKinds);
  const definition = file.definitions.find((entry) => entry.name === name);
  if (!definition) throw unknownToken(name, file.warnings);
  const source = sourceOf(definition, file.raw, deps);
  if (typeof source === 'string') {
    throw new RolecallError('token-definition', `Token ${name} cannot be used: ${source}.`, 400);
  }
  const strategy = strategyOf(definition);
  const freshEnough = (token: TokenSet, obtainedAt: number) =>
    (token.expiresAt === undefined || token.expiresAt > deps.now()) &&
    plannedTokenRefreshAt(obtainedAt, token.expiresAt, strategy, () => 0) > deps.now();
  const held = await source.held?.();
  if (held && freshEnough(held.token, held.obtainedAt)) return held.token;
  return source.fetch({ signal: new AbortController().signal, freshEnough });
}

/** Removes a token's definition, its keychain item and its exchange note. False: there was none. */
export async function removeToken(
  name: string,
  deps: { home: string; secrets: SecretStore },
): Promise<boolean> {
  let found = false;
  await changeTokenDefinitions(deps.home, knownTokenKinds, (raw) =>
    raw.filter((entry) => {
      const same = rawName(entry) === name;
      found ||= same;
      return !same;
    }),
  );
  // Under the token's lock, so a renewal in a running server cannot write the item back.
  const deleted = await underTokenLock(deps.home, name, async () => {
    const gone = await deps.secrets.delete(oauthAccount(name));
    await rm(join(deps.home, 'oauth', `${name}.exchange`), { force: true });
    return gone;
  });
  return found || deleted;
}

export function unknownToken(name: string, warnings: string[] = []): RolecallError {
  const why = warnings.length > 0 ? ` (${warnings.join(' ')})` : '';
  return new RolecallError(
    'unknown-token',
    `No token is named ${JSON.stringify(name)}${why}; \`rolecall oauth list\` names those there are.`,
    404,
  );
}

function sourceOf(
  base: TokenDefinitionBase,
  raw: unknown[],
  deps: TokenSourceDeps,
): TokenSource | string {
  const kind = tokenKinds.get(base.kind)!;
  const definition = kind.read(raw.find((entry) => rawName(entry) === base.name));
  return typeof definition === 'string' ? definition : kind.source(definition, deps);
}
