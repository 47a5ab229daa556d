import { watch } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import type { TokenEntries } from '../broker/token-entries';
import { TOKENS_FILE, readTokenDefinitions, strategyOf, tokensFile } from './token-definitions';
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

  /**
   * Syncs whenever tokens.json is replaced (`rolecall oauth add` in another process), so a new
   * token is renewed from the start, not only once a request asks for it. Returns the stop.
   */
  async watch(): Promise<() => void> {
    await mkdir(this.options.home, { recursive: true, mode: 0o700 });
    const watcher = watch(this.options.home, { persistent: false }, (_event, file) => {
      if (file === null || file === TOKENS_FILE) this.sync().catch(() => {});
    });
    // A watcher that fails (the directory removed) leaves the sync on each request.
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
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
