import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliTokenCachePath, readCliToken, removeCliToken, writeCliToken } from './cli-token-cache';
import type { SsoSessionRef } from './types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-sso-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const corp: SsoSessionRef = {
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
};
const legacy: SsoSessionRef = {
  name: null,
  startUrl: 'https://old.awsapps.com/start',
  region: 'us-east-1',
};

describe('AWS CLI token cache', () => {
  it('names files like the AWS CLI: sha1 of the session name, or of the start URL', () => {
    // sha1("corp") and sha1("https://old.awsapps.com/start"), as `aws sso login` names them.
    expect(cliTokenCachePath(corp, dir)).toBe(
      join(dir, 'ee0bfd2552fbd840c02cc48b6e823320543c450f.json'),
    );
    expect(cliTokenCachePath(legacy, dir)).toBe(
      join(dir, '33d5ca4bf3b1a62edb96b47f7c203034a43ac435.json'),
    );
  });

  it('writes only what a client needs while the token is valid, in a 0600 file', async () => {
    await writeCliToken(
      corp,
      {
        accessToken: 'access',
        expiresAt: Date.parse('2026-01-01T08:00:00.123Z'),
        refreshToken: 'refresh-secret',
        registration: { clientId: 'id', clientSecret: 'client-secret', expiresAt: 0 },
        startUrl: corp.startUrl,
        region: corp.region,
      },
      dir,
    );
    const path = cliTokenCachePath(corp, dir);
    const text = await readFile(path, 'utf8');
    expect(JSON.parse(text)).toEqual({
      startUrl: corp.startUrl,
      region: 'eu-west-1',
      accessToken: 'access',
      expiresAt: '2026-01-01T08:00:00Z',
    });
    expect(text).not.toContain('refresh-secret');
    expect(text).not.toContain('client-secret');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('reads a token written by the AWS CLI, refresh material included', async () => {
    await writeFile(
      cliTokenCachePath(corp, dir),
      JSON.stringify({
        startUrl: corp.startUrl,
        region: 'eu-west-1',
        accessToken: 'cli-access',
        expiresAt: '2026-01-01T08:00:00Z',
        clientId: 'cid',
        clientSecret: 'csecret',
        registrationExpiresAt: '2026-03-01T00:00:00Z',
        refreshToken: 'cli-refresh',
      }),
    );
    expect(await readCliToken(corp, dir)).toEqual({
      accessToken: 'cli-access',
      expiresAt: Date.parse('2026-01-01T08:00:00Z'),
      refreshToken: 'cli-refresh',
      registration: {
        clientId: 'cid',
        clientSecret: 'csecret',
        expiresAt: Date.parse('2026-03-01T00:00:00Z'),
      },
      startUrl: corp.startUrl,
      region: 'eu-west-1',
    });
  });

  it('treats a missing, damaged or foreign file as no token', async () => {
    expect(await readCliToken(corp, dir)).toBeNull();
    for (const content of [
      '{',
      '[]',
      '{"accessToken": "x"}',
      '{"accessToken": "x", "expiresAt": "soon"}',
    ]) {
      await writeFile(cliTokenCachePath(corp, dir), content);
      expect(await readCliToken(corp, dir)).toBeNull();
    }
    await removeCliToken(corp, dir);
    await removeCliToken(corp, dir);
  });
});
