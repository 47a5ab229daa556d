import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  changeTokenDefinitions,
  readTokenDefinitions,
  strategyOf,
  tokensFile,
} from './token-definitions';

let home: string;
const kinds = new Set(['oauth2']);

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-tokens-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const write = (text: string) => writeFile(tokensFile(home), text);

describe('tokens.json', () => {
  it('is an empty list when missing', async () => {
    expect(await readTokenDefinitions(home, kinds)).toMatchObject({
      definitions: [],
      warnings: [],
      unreadable: false,
    });
  });

  it.each([
    ['not JSON', '{"version": 1, "tokens": [', 'it is not JSON'],
    ['another shape', '[]', 'it is not {"version": 1, "tokens": [...]}'],
    [
      'another version',
      '{"version": 2, "tokens": []}',
      'it is not {"version": 1, "tokens": [...]}',
    ],
  ])('is a warning and an empty list when %s, and is never written over', async (_, text, why) => {
    await write(text);
    const read = await readTokenDefinitions(home, kinds);
    expect(read.definitions).toEqual([]);
    expect(read.warnings).toEqual([
      `${tokensFile(home)} cannot be read (${why}), so no token is served from it.`,
    ]);
    await expect(changeTokenDefinitions(home, kinds, () => [])).rejects.toThrow(
      'Fix or move it first; Rolecall will not write over it.',
    );
    expect(await readFile(tokensFile(home), 'utf8')).toBe(text);
  });

  it('leaves out a bad entry, an unknown kind and a second of one name, keeping them in the file', async () => {
    const entries = [
      { name: 'api', kind: 'oauth2', refresh: { everySeconds: 60 } },
      { name: 'bad name!', kind: 'oauth2' },
      { name: 'pool', kind: 'cognito' },
      { name: 'api', kind: 'oauth2' },
    ];
    await write(JSON.stringify({ version: 1, tokens: entries }));
    const read = await readTokenDefinitions(home, kinds);
    expect(read.definitions.map((entry) => entry.name)).toEqual(['api']);
    expect(read.warnings).toHaveLength(3);
    expect(read.warnings[1]).toBe(
      `Token pool in ${tokensFile(home)} is of kind "cognito", which this Rolecall does not know; it is left out.`,
    );
    expect(strategyOf(read.definitions[0]!)).toEqual({
      beforeExpiryMs: null,
      everyMs: 60_000,
      lazy: false,
    });
    await changeTokenDefinitions(home, kinds, (raw) => raw.slice(0, 3));
    const after = JSON.parse(await readFile(tokensFile(home), 'utf8')) as { tokens: unknown[] };
    expect(after.tokens).toEqual(entries.slice(0, 3));
  });
});
