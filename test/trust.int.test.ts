import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import {
  createPrivateTrustStore,
  privateTrustStoreUnavailable,
  type PrivateTrustStore,
  type RunResult,
} from './helpers/private-trust-store';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * Which clients verify `rolecall serve --tls` before and after `rolecall trust`, measured with the
 * real command, the real `update-ca-certificates` and real clients (curl, Python's urllib, Debian's
 * botocore and AWS CLI v2) against a private copy of Debian's CA store. docs/tls.md says what this
 * shows, and nothing more.
 */
const DEBIAN_PYTHON = '/usr/bin/python3';
const AWS_CLI = '/usr/bin/aws';
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const ACCESS_KEY = 'ASIATRUSTSTORE';
const run = promisify(execFile);
const unavailable = await privateTrustStoreUnavailable();
const ownBundlePython = unavailable ? null : await pythonWithOwnBotocoreBundle();

let ws: Workspace;
let store: PrivateTrustStore;
let serve: ServeProcess;
let exports: Record<string, string>;
let envNote: string;
let standInAws: { server: Server; url: string; requests: string[] };

type Outcome = { trusted: boolean; detail: string };
type Client = (env: NodeJS.ProcessEnv) => Promise<Outcome>;

/** Each client asks the container endpoint the way it does by itself. */
const clients: Record<string, Client> = {
  curl: async (env) => {
    // The token goes on stdin, never on a command line.
    const result = await store.run(
      'curl',
      ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', '@-', endpoint(env)],
      { env, input: `Authorization: ${env.AWS_CONTAINER_AUTHORIZATION_TOKEN}\n` },
    );
    return outcome(result, result.stdout === '200');
  },
  "Python's urllib": async (env) => {
    const script = `import os, urllib.request
request = urllib.request.Request(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'], headers={'Authorization': os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']})
print(urllib.request.urlopen(request).status)`;
    const result = await store.run(DEBIAN_PYTHON, ['-c', script], { env });
    return outcome(result, result.stdout.trim() === '200');
  },
  botocore: (env) => botocoreWith(DEBIAN_PYTHON, env),
  'the AWS CLI': async (env) => {
    const result = await store.run(
      AWS_CLI,
      ['configure', 'export-credentials', '--format', 'process'],
      { env },
    );
    return outcome(result, result.code === 0 && result.stdout.includes(`"${ACCESS_KEY}"`));
  },
};

async function botocoreWith(python: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const script = `import botocore.session
print(botocore.session.get_session().get_credentials().access_key)`;
  const result = await store.run(python, ['-c', script], { env });
  return outcome(result, result.stdout.trim() === ACCESS_KEY);
}

function outcome(result: RunResult, trusted: boolean): Outcome {
  return { trusted, detail: `${result.stdout}\n${result.stderr}`.trim() };
}

/** A refusal for the certificate, told apart from any other failure. */
const CERTIFICATE_REFUSED =
  /certificate verify failed|SSL certificate problem|CERTIFICATE_VERIFY_FAILED/i;

function endpoint(env: NodeJS.ProcessEnv): string {
  return env.AWS_CONTAINER_CREDENTIALS_FULL_URI!;
}

/** A shell that ran `eval "$(rolecall env)"` — and nothing else from this machine's environment. */
function shellEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${process.env.PATH}:/usr/sbin:/sbin`,
    LANG: 'C.UTF-8',
    // The user's session bus, where the keychain the credential-process helper reads is.
    ...(process.env.DBUS_SESSION_BUS_ADDRESS && {
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    }),
    HOME: ws.dir,
    ROLECALL_HOME: ws.home,
    AWS_CONFIG_FILE: ws.configFile,
    AWS_SHARED_CREDENTIALS_FILE: ws.credentialsFile,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...exports,
    ...extra,
  };
}

function rolecall(args: string[]): Promise<RunResult> {
  return store.run(process.execPath, [CLI, ...args], { env: { ...ws.env, PATH: shellEnv().PATH } });
}

// Python and the AWS CLI take seconds to start on a busy machine; each test runs several.
describe.skipIf(unavailable !== null)(
  `rolecall trust, with a private copy of Debian's CA store${unavailable ? ` (needs ${unavailable})` : ''}`,
  { timeout: 90_000 },
  () => {
    beforeAll(async () => {
      ws = await createWorkspace();
      const dev = await ws.script('dev', credentialScript({ accessKeyId: ACCESS_KEY }));
      await ws.writeConfig(
        `[profile dev]\ncredential_process = ${dev}\n` +
          `[profile via-rolecall]\ncredential_process = ${process.execPath} ${CLI} credential-process --profile dev\n`,
      );
      const standIn = await standInAwsCertificates(ws.dir);
      // The stand-in for AWS's public CA is in the system store from the start, as Amazon's is.
      store = await createPrivateTrustStore((localDir) =>
        run('cp', [standIn.caFile, join(localDir, 'stand-in-aws-root.crt')]).then(() => {}),
      );
      standInAws = await startStandInSts(standIn);
      serve = await startServe(ws.env, ['--tls']);
      expect((await runCli(['load', 'dev'], ws.env)).code).toBe(0);
      const printed = await runCli(['env', '--format', 'json'], ws.env);
      exports = JSON.parse(printed.stdout) as Record<string, string>;
      envNote = printed.stderr;
    });

    afterAll(async () => {
      await serve?.stop();
      await new Promise((resolve) => standInAws?.server.close(resolve));
      await store?.dispose();
      await ws?.dispose();
    });

    it('exports no AWS_CA_BUNDLE, only the CA for Node, and points Python at the helper', () => {
      expect(envNote).toContain('credential_process = rolecall credential-process');
      expect(Object.keys(exports).sort()).toEqual([
        'AWS_CONTAINER_AUTHORIZATION_TOKEN',
        'AWS_CONTAINER_CREDENTIALS_FULL_URI',
        'NODE_EXTRA_CA_CERTS',
      ]);
    });

    describe('before `rolecall trust`', () => {
      it('no client verifies the endpoint; AWS_CA_BUNDLE does not help botocore or the AWS CLI', async () => {
        const withBundle = shellEnv({ AWS_CA_BUNDLE: exports.NODE_EXTRA_CA_CERTS });
        for (const [name, client] of Object.entries(clients)) {
          const { trusted, detail } = await client(
            name === 'botocore' || name === 'the AWS CLI' ? withBundle : shellEnv(),
          );
          expect(trusted, `${name}: ${detail}`).toBe(false);
          expect(detail, name).toMatch(CERTIFICATE_REFUSED);
        }
      });

      it('the credential-process helper gives botocore and the AWS CLI credentials', async () => {
        // A shell with no container variables, only a profile that runs the helper.
        const env: NodeJS.ProcessEnv = { ...shellEnv(), AWS_PROFILE: 'via-rolecall' };
        for (const name of Object.keys(exports)) delete env[name];
        for (const name of ['botocore', 'the AWS CLI']) {
          const { trusted, detail } = await clients[name]!(env);
          expect(trusted, `${name}: ${detail}`).toBe(true);
        }
      });
    });

    describe('after `rolecall trust`', () => {
      beforeAll(async () => {
        const trusted = await rolecall(['trust']);
        expect(trusted.code, trusted.stderr).toBe(0);
        expect(trusted.stderr).toContain('Added ');
      });

      it("curl and Python's urllib verify the endpoint", async () => {
        for (const name of ['curl', "Python's urllib"]) {
          const { trusted, detail } = await clients[name]!(shellEnv());
          expect(trusted, `${name}: ${detail}`).toBe(true);
        }
      });

      it("so do Debian's botocore and AWS CLI, because their CA bundle is the system's", async () => {
        const where = await store.run(
          DEBIAN_PYTHON,
          ['-c', 'from botocore.httpsession import where; print(where())'],
          { env: shellEnv() },
        );
        expect(where.stdout.trim()).toBe(SYSTEM_BUNDLE);
        for (const name of ['botocore', 'the AWS CLI']) {
          const { trusted, detail } = await clients[name]!(shellEnv());
          expect(trusted, `${name}: ${detail}`).toBe(true);
        }
      });

      it.skipIf(!ownBundlePython)(
        `a botocore with its own CA bundle (pip's, with certifi) still does not${ownBundlePython ? '' : ' (no such Python here)'}`,
        async () => {
          const { trusted, detail } = await botocoreWith(ownBundlePython!, shellEnv());
          expect(trusted, detail).toBe(false);
          expect(detail).toMatch(CERTIFICATE_REFUSED);
        },
      );

      it('the AWS CLI in that shell reaches AWS endpoints, which AWS_CA_BUNDLE=ca.pem would break', async () => {
        const call = (extra: NodeJS.ProcessEnv) =>
          store.run(
            AWS_CLI,
            [
              'sts',
              'get-caller-identity',
              '--endpoint-url',
              standInAws.url,
              '--region',
              'us-east-1',
            ],
            { env: shellEnv(extra) },
          );
        const reached = await call({});
        expect(reached.code, reached.stderr).toBe(0);
        expect(JSON.parse(reached.stdout).Account).toBe('123456789012');
        // Signed with the credentials Rolecall served.
        expect(standInAws.requests.at(-1)).toContain(`Credential=${ACCESS_KEY}/`);

        const before = standInAws.requests.length;
        const broken = await call({ AWS_CA_BUNDLE: exports.NODE_EXTRA_CA_CERTS });
        expect(broken.code).not.toBe(0);
        expect(broken.stderr).toMatch(CERTIFICATE_REFUSED);
        expect(standInAws.requests.length).toBe(before);
      });
    });

    describe('after `rolecall trust --remove`', () => {
      beforeAll(async () => {
        const removed = await rolecall(['trust', '--remove']);
        expect(removed.code, removed.stderr).toBe(0);
      });

      it('curl no longer verifies the endpoint', async () => {
        const { trusted, detail } = await clients.curl!(shellEnv());
        expect(trusted, detail).toBe(false);
        expect(detail).toMatch(CERTIFICATE_REFUSED);
      });
    });
  },
);

/** A CA standing in for AWS's public one, and a certificate for 127.0.0.1 that it signed. */
async function standInAwsCertificates(dir: string) {
  const caFile = join(dir, 'stand-in-aws-root.pem');
  const caKey = join(dir, 'stand-in-aws-root.key');
  const certFile = join(dir, 'stand-in-sts.pem');
  const keyFile = join(dir, 'stand-in-sts.key');
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2'];
  await run('openssl', [
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    caKey,
    '-out',
    caFile,
    '-subj',
    '/CN=Stand-in AWS root',
  ]);
  await run('openssl', [
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-subj',
    '/CN=stand-in STS',
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-addext',
    'basicConstraints=critical,CA:FALSE',
  ]);
  return { caFile, certFile, keyFile };
}

/** Answers GetCallerIdentity as STS does, and keeps each request's Authorization header. */
async function startStandInSts(files: { certFile: string; keyFile: string }) {
  const requests: string[] = [];
  const server = createServer(
    { cert: await readFile(files.certFile), key: await readFile(files.keyFile) },
    (request, response) => {
      requests.push(String(request.headers.authorization));
      request.resume();
      response.setHeader('content-type', 'text/xml');
      response.end(
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          '<Arn>arn:aws:sts::123456789012:assumed-role/Dev/rolecall</Arn><UserId>AROAEXAMPLE:rolecall</UserId>' +
          '<Account>123456789012</Account></GetCallerIdentityResult>' +
          '<ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/**
 * A Python on PATH whose botocore verifies against a bundle of its own (certifi's copy, as pip
 * installs it) rather than the system's; null when this machine has none.
 */
async function pythonWithOwnBotocoreBundle(): Promise<string | null> {
  try {
    const { stdout } = await run('python3', [
      '-c',
      'import sys; from botocore.httpsession import where; print(sys.executable); print(where())',
    ]);
    const [executable, bundle] = stdout.trim().split('\n');
    return executable && bundle && executable !== DEBIAN_PYTHON && bundle !== SYSTEM_BUNDLE
      ? executable
      : null;
  } catch {
    return null;
  }
}
