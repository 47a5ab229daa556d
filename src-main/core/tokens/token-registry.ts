import { stat } from 'node:fs/promises';
import type { TokenEntries } from '../broker/token-entries';
import { readTokenDefinitions, strategyOf, tokensFile } from './token-definitions';
import { tokenKinds, type TokenKind, type TokenSourceDeps } from './token-kinds';

export interface TokenRegistryOptions extends TokenSourceDeps {
  entries: TokenEntries;
  kinds?: ReadonlyMap<string, TokenKind>;
}

/**
 * Keeps the broker's token entries as tokens.json says: read at start, and again whenever the
 * file has changed when a request or a listing comes (`rolecall oauth add` and `remove` write
 * the file from another process). A token whose definition is unchanged keeps its entry, and so
 * its renewal plan.
 */
export class TokenRegistry {
  private readonly loaded = new Map<string, string>();
  private seen: string | null = null;
  private syncing: Promise<void> | null = null;

  constructor(private readonly options: TokenRegistryOptions) {}

  /** Reads the file again if it changed since the last look; warnings go to `onWarning`. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const path = tokensFile(this.options.home);
    const stamp = await stat(path).then(
      (info) => `${info.mtimeMs}:${info.size}:${info.ino}`,
      () => 'absent',
    );
    if (stamp === this.seen) return;
    this.seen = stamp;
    const kinds = this.options.kinds ?? tokenKinds;
    const file = await readTokenDefinitions(this.options.home, new Set(kinds.keys()));
    for (const warning of file.warnings) this.options.onWarning?.(warning);
    const wanted = new Map<string, string>();
    for (const base of file.definitions) {
      const kind = kinds.get(base.kind)!;
      const raw = file.raw.find((entry) => (entry as { name?: unknown }).name === base.name);
      const definition = kind.read(raw);
      if (typeof definition === 'string') {
        this.options.onWarning?.(`Token ${base.name} in ${path} is left out: ${definition}.`);
        continue;
      }
      const text = JSON.stringify(definition);
      wanted.set(definition.name, text);
      if (this.loaded.get(definition.name) === text) continue;
      const source = kind.source(definition, this.options);
      const held = await source.held?.().catch(() => null);
      this.options.entries.set(definition.name, source, strategyOf(definition), held ?? null);
      this.loaded.set(definition.name, text);
    }
    for (const name of [...this.loaded.keys()]) {
      if (wanted.has(name)) continue;
      this.loaded.delete(name);
      this.options.entries.remove(name);
    }
  }
}
