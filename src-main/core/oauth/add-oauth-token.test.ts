import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../secrets/memory-store';
import { addOAuthToken, type NewOAuthToken } from './add-oauth-token';
import { oauthAccount } from './oauth-secrets';

const TOKEN_URL = 'https://issuer.example.com/oauth2/token';
const input: NewOAuthToken = {
  name: 'api',
  tokenUrl: TOKEN_URL,
  clientId: 'cli',
  scopes: [],
  params: {},
  auth: 'basic',
  clientSecret: 'the-secret',
  lazy: false,
};

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-oauth-add-'));
});
afterEach(() => rm(home, { recursive: true, force: true }));

describe('adding a token whose endpoint does not answer now', () => {
  it.each([
    [
      'no connection',
      (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
      /^Token api: .*; nothing was added: run rolecall oauth add again once the token endpoint answers\.$/,
    ],
    [
      'a 503 with Retry-After',
      (() =>
        Promise.resolve(
          new Response('{"error":"temporarily_unavailable"}', {
            status: 503,
            headers: { 'content-type': 'application/json', 'retry-after': '30' },
          }),
        )) as typeof fetch,
      /HTTP 503.*; nothing was added: run rolecall oauth add again once the token endpoint answers\.$/,
    ],
  ])(
    'with %s, says nothing was added rather than that Rolecall tries again',
    async (_, fetch, said) => {
      const secrets = createMemoryStore();
      const added = addOAuthToken(input, { home, secrets, now: Date.now, fetch });
      await expect(added).rejects.toThrow(said);
      await expect(added).rejects.not.toThrow(/tries again/);
      expect(await secrets.get(oauthAccount('api'))).toBeNull();
      expect((await readdir(home)).filter((file) => file === 'tokens.json')).toEqual([]);
    },
  );
});
