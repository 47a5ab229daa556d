import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromContainerMetadata, fromProcess } from '@aws-sdk/credential-providers';
import { CLI, runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';
import { withEnv } from './helpers/with-env';

/** HTTPS end to end: a real `rolecall serve --tls`, real clients, trust only through Rolecall's CA. */
let ws: Workspace;
let serve: ServeProcess;
let vars: Record<string, string>;

beforeAll(async () => {
  ws = await createWorkspace();
  const dev = await ws.script('dev', credentialScript({ accessKeyId: 'ASIATLS' }));
  await ws.writeConfig(
    `[profile dev]\ncredential_process = ${dev}\n[profile via-rolecall]\ncredential_process = ${process.execPath} ${CLI} credential-process --profile dev\n`,
  );
  serve = await startServe(ws.env, ['--tls']);
  expect((await runCli(['load', 'dev'], ws.env)).code).toBe(0);
  vars = JSON.parse((await runCli(['env', '--format', 'json'], ws.env)).stdout) as Record<
    string,
    string
  >;
});

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

describe('rolecall serve --tls', () => {
  it('serves HTTPS only, and env points clients at the CA', async () => {
    expect(serve.info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(serve.info.url);
    // botocore would verify every AWS endpoint against this CA alone (test/trust.int.test.ts).
    expect(vars).not.toHaveProperty('AWS_CA_BUNDLE');
    expect(await readFile(vars.NODE_EXTRA_CA_CERTS!, 'utf8')).toContain('BEGIN CERTIFICATE');
    const plain = await fetch(serve.info.url.replace('https:', 'http:')).then(
      (response) => response.status,
      () => 'refused',
    );
    expect(plain).not.toBe(200);
  });

  it('gives the AWS SDK default credential chain credentials over HTTPS, trusting only the CA', async () => {
    // NODE_EXTRA_CA_CERTS is read at start-up, so the SDK runs in its own process.
    const script = `
      const { fromNodeProviderChain } = require('@aws-sdk/credential-providers');
      fromNodeProviderChain()().then((c) => console.log(c.accessKeyId), (e) => { console.error(e.message); process.exit(1); });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      env: { ...ws.env, ...vars },
      cwd: process.cwd(),
    });
    expect(stdout.trim()).toBe('ASIATLS');
  });

  it('is refused by the SDK for JavaScript v3 fromContainerMetadata, which takes only http: (docs/tls.md)', async () => {
    await withEnv(vars, async () => {
      await expect(fromContainerMetadata()()).rejects.toThrow('Protocol "https:" not supported');
    });
  });

  it('refuses a client that does not trust the CA, and answers 401 to one that trusts it but sends no token', async () => {
    const ca = await readFile(vars.NODE_EXTRA_CA_CERTS!, 'utf8');
    const get = (trust?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(serve.info.url, trust ? { ca: trust } : {}, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    await expect(get()).rejects.toThrow(/self-signed|unable to (verify|get)|certificate/i);
    expect(await get(ca)).toBe(401);
  });

  it('serves the credential-process helper from a TLS-only server with no trust changes', async () => {
    await withEnv({ ROLECALL_HOME: ws.home, HOME: ws.dir }, async () => {
      const credentials = await fromProcess({
        profile: 'via-rolecall',
        configFilepath: ws.configFile,
        filepath: ws.credentialsFile,
      })();
      expect(credentials.accessKeyId).toBe('ASIATLS');
    });
  });

  it('shows the certificate it serves', async () => {
    const cert = JSON.parse((await runCli(['cert', '--json'], ws.env)).stdout);
    expect(cert.subjectAltNames).toEqual([
      'DNS:localhost',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
    ]);
    expect(cert.trustFile).toBe(vars.NODE_EXTRA_CA_CERTS);
  });
});
