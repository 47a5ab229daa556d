import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLoginSessionSource } from './login-session';

const SESSION = 'arn:aws:iam::111111111111:user/alice';
let dir: string;
let cache: string;
let files: { configFile: string; credentialsFile: string };
let server: Server | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-login-'));
  cache = join(dir, 'login-cache');
  files = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') };
  vi.stubEnv('AWS_LOGIN_CACHE_DIRECTORY', cache);
  await writeFile(
    files.configFile,
    `[profile console]\nlogin_session = ${SESSION}\nregion = eu-west-1\n`,
  );
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** The token file `aws login` writes, named by the session's SHA-256 as the AWS CLI names it. */
async function signedIn(expiresAt: Date): Promise<string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const path = join(cache, `${createHash('sha256').update(SESSION).digest('hex')}.json`);
  await mkdir(cache, { recursive: true });
  await writeFile(
    path,
    JSON.stringify({
      accessToken: {
        accessKeyId: 'ASIALOGIN0000001',
        secretAccessKey: 'login-secret',
        sessionToken: 'login-token',
        accountId: '111111111111',
        expiresAt: expiresAt.toISOString(),
      },
      tokenType: 'aws_sigv4',
      clientId: 'arn:aws:signin:::devtools/same-device',
      refreshToken: 'refresh-token',
      idToken: 'id-token',
      dpopKey: privateKey.export({ format: 'pem', type: 'sec1' }),
    }),
  );
  return path;
}

const source = (profile = 'console') =>
  createLoginSessionSource({ profile, loginSession: SESSION, files });

describe('aws login sessions', () => {
  it("serves the session's credentials from the AWS CLI's cache", async () => {
    const expiresAt = new Date(Date.now() + 3600_000);
    await signedIn(expiresAt);
    await expect(source().fetch()).resolves.toEqual({
      accessKeyId: 'ASIALOGIN0000001',
      secretAccessKey: 'login-secret',
      sessionToken: 'login-token',
      expiresAt: expiresAt.getTime(),
      accountId: '111111111111',
    });
  });

  it('says to sign in again with aws login when there is no session', async () => {
    await expect(source().fetch()).rejects.toMatchObject({
      failure: 'sign-in-required',
      message: `Profile console: there is no \`aws login\` session for it in ${cache}: it has not signed in on this computer, or the session was removed. Sign in again with \`aws login --profile console\`.`,
    });
  });

  it('says to sign in again when AWS ends the session at renewal', async () => {
    const requests: string[] = [];
    server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url} dpop:${request.headers.dpop ? 'yes' : 'no'}`);
      response.writeHead(400, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'AccessDeniedException',
      });
      response.end(JSON.stringify({ error: 'TOKEN_EXPIRED', message: 'Session expired' }));
    });
    await new Promise<void>((listening) => server!.listen(0, '127.0.0.1', listening));
    vi.stubEnv(
      'AWS_ENDPOINT_URL_SIGNIN',
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    const path = await signedIn(new Date(Date.now() - 60_000));
    const before = await readFile(path, 'utf8');
    await expect(source().fetch()).rejects.toMatchObject({
      failure: 'sign-in-required',
      message:
        'Profile console: its `aws login` session has ended. Sign in again with `aws login --profile console`.',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^POST .* dpop:yes$/);
    // A refused renewal leaves the AWS CLI's cache as it was.
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it("refuses a profile name the AWS SDK's reader does not read as the AWS CLI does", async () => {
    await writeFile(files.configFile, `[profile "console two"]\nlogin_session = ${SESSION}\n`);
    await signedIn(new Date(Date.now() + 3600_000));
    await expect(source('console two').fetch()).rejects.toMatchObject({
      failure: 'not-loadable',
      message: expect.stringContaining('does not read its login_session'),
    });
  });
});
