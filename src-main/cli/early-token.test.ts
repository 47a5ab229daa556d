import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BEARER_TOKEN_ACCOUNT } from '../core/bearer-token';
import { runtimeFilePath } from '../core/paths';
import { createMemoryStore, type MemoryStore } from '../core/secrets/memory-store';
import type { CliContext } from './context';
import { withTokenReadEarly } from './early-token';

let home: string;
let store: MemoryStore;
let reads: string[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-early-'));
  store = createMemoryStore({ [BEARER_TOKEN_ACCOUNT]: 'the-token', other: 'x' });
  reads = [];
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** A context over the memory store that records each keychain read as it starts. */
function context(): CliContext {
  return {
    home,
    secrets: {
      ...store,
      get: (account) => {
        reads.push(account);
        return store.get(account);
      },
    },
    env: {},
    stdout: () => {},
    stderr: () => {},
    stderrIsTerminal: false,
  };
}

describe('withTokenReadEarly', () => {
  it('starts reading the token at once when a server has announced itself, and hands that read over', async () => {
    await writeFile(runtimeFilePath(home), '{}');
    const ctx = withTokenReadEarly(context());
    expect(reads).toEqual([BEARER_TOKEN_ACCOUNT]);

    expect(await ctx.secrets.get(BEARER_TOKEN_ACCOUNT)).toBe('the-token');
    expect(reads).toEqual([BEARER_TOKEN_ACCOUNT]);
    // Only the first read is the early one: a later one asks the keychain again.
    store.items.set(BEARER_TOKEN_ACCOUNT, 'rotated');
    expect(await ctx.secrets.get(BEARER_TOKEN_ACCOUNT)).toBe('rotated');
    expect(await ctx.secrets.get('other')).toBe('x');
  });

  it('touches no keychain when no server has announced itself', async () => {
    const ctx = withTokenReadEarly(context());
    expect(reads).toEqual([]);
    expect(await ctx.secrets.get(BEARER_TOKEN_ACCOUNT)).toBe('the-token');
  });

  it('tells a failed early read to the read that uses it, and to nobody else', async () => {
    await writeFile(runtimeFilePath(home), '{}');
    store.failWith('The keychain is locked.');
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const ctx = withTokenReadEarly(context());
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      await expect(ctx.secrets.get(BEARER_TOKEN_ACCOUNT)).rejects.toThrow(
        'The keychain is locked.',
      );
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
