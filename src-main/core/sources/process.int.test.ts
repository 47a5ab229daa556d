import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessSource, type ProcessSourceOptions } from './process';
import { SourceError, type SourceFailure } from './source';
import { testFetchContext } from '../../../test/helpers/fetch-context';

/**
 * Runs real child processes: small sh scripts written to a temp dir. Every time-out here is
 * short, so the whole file stays well under a few seconds.
 */
let dir: string;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const CONFIG = '/home/me/.aws/config';
const GOOD_JSON = JSON.stringify({
  Version: 1,
  AccessKeyId: 'ASIAPROCESSTEST',
  SecretAccessKey: 'process-test-secret',
  SessionToken: 'process-test-token',
  Expiration: '2030-01-01T01:00:00Z',
  AccountId: '123456789012',
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-process-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes an executable sh script and returns its path. */
async function script(name: string, body: string, mode = 0o755): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
}

function source(command: string, options: Partial<ProcessSourceOptions> = {}) {
  return createProcessSource({
    profile: 'dev',
    command,
    definedIn: CONFIG,
    now: () => NOW,
    timeoutMs: 5_000,
    ...options,
  });
}

/** The SourceError a fetch fails with, checked for its kind. */
async function failure(
  command: string,
  failureKind: SourceFailure,
  options: Partial<ProcessSourceOptions> = {},
): Promise<SourceError> {
  const error: unknown = await source(command, options)
    .fetch()
    .then(
      () => new Error('expected the fetch to fail'),
      (thrown: unknown) => thrown,
    );
  expect(error).toBeInstanceOf(SourceError);
  const sourceError = error as SourceError;
  expect(sourceError.failure).toBe(failureKind);
  expect(sourceError.profile).toBe('dev');
  expect(sourceError.message).toContain('profile dev');
  expect(sourceError.message).not.toContain('    at ');
  return sourceError;
}

/** Whether a process is still running (a zombie waiting to be reaped counts as gone). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe('createProcessSource', () => {
  it('runs the command and returns its credentials', async () => {
    const path = await script('good', `printf '%s' '${GOOD_JSON}'`);
    const creds = source(path);
    expect(creds.profile).toBe('dev');
    expect(await creds.fetch()).toEqual({
      accessKeyId: 'ASIAPROCESSTEST',
      secretAccessKey: 'process-test-secret',
      sessionToken: 'process-test-token',
      expiresAt: Date.parse('2030-01-01T01:00:00Z'),
      accountId: '123456789012',
    });
  });

  it('runs the command again on every fetch', async () => {
    const counter = join(dir, 'count');
    const path = await script('counting', `echo x >> '${counter}'\nprintf '%s' '${GOOD_JSON}'`);
    const creds = source(path);
    await creds.fetch();
    await creds.fetch();
    expect((await readFile(counter, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('passes quoted arguments and paths with spaces, without a shell', async () => {
    await mkdir(join(dir, 'my tools'), { recursive: true });
    // The script puts its arguments, one per line, in the secret so the test can see them.
    const path = join(dir, 'my tools', 'echo args');
    await writeFile(
      path,
      `#!/bin/sh\nargs=$(printf '%s|' "$@")\nprintf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"%s"}' "$args"\n`,
    );
    await chmod(path, 0o755);
    const creds = await source(`"${path}" 'two words' $HOME "\${USER}" plain`).fetch();
    expect(creds.secretAccessKey).toBe('two words|$HOME|$USER|plain|');
  });

  it('runs a relative command from cwd', async () => {
    await script('relative', `printf '%s' '${GOOD_JSON}'`);
    expect((await source('./relative', { cwd: dir }).fetch()).accessKeyId).toBe('ASIAPROCESSTEST');
  });

  it("hides Rolecall's token and the container-credentials variables from the command", async () => {
    const seen = join(dir, 'env-seen');
    const path = await script('env', `env > '${seen}'\nprintf '%s' '${GOOD_JSON}'`);
    await source(path, {
      env: {
        PATH: process.env.PATH,
        KEPT: 'yes',
        ROLECALL_SOURCE_PROFILE: 'dev',
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer leaked-bearer',
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/leaked/token-file',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'https://127.0.0.1:1/leaked-uri',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/leaked-relative',
        ROLECALL_BEARER_TOKEN: 'leaked-rolecall-token',
      },
    }).fetch();
    const env = await readFile(seen, 'utf8');
    expect(env).toContain('KEPT=yes');
    expect(env).toContain('ROLECALL_SOURCE_PROFILE=dev');
    expect(env).not.toContain('leaked');
  });

  it('uses what a command printed once it exits, though a process it started keeps its output open', async () => {
    const pidFile = join(dir, 'lingering.pid');
    const path = await script(
      'lingering',
      `printf '%s' '${GOOD_JSON}'\nsleep 90 &\necho $! > '${pidFile}'`,
    );
    try {
      // Before, this waited for the background sleep, and failed at the 5-second time-out.
      const credentials = await source(path).fetch();
      expect(credentials.accessKeyId).toBe('ASIAPROCESSTEST');
    } finally {
      process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGKILL');
    }
  });

  describe('failures', () => {
    it('reports a non-zero exit with the end of stderr, and never stdout', async () => {
      const path = await script(
        'exit3',
        `printf '%s' '${GOOD_JSON}'\necho 'token for team expired; run sso-login' >&2\nexit 3`,
      );
      const error = await failure(path, 'exit');
      expect(error.message).toBe(
        `credential_process for profile dev exited with code 3. Fix the command in ${CONFIG} and load the profile again. Its stderr ended with: token for team expired; run sso-login`,
      );
      expect(error.message).not.toContain('process-test-secret');
      expect(error.status).toBe(502);
    });

    it('says nothing about stderr when there was none', async () => {
      const error = await failure(await script('exit1', 'exit 1'), 'exit');
      expect(error.message).toBe(
        `credential_process for profile dev exited with code 1. Fix the command in ${CONFIG} and load the profile again.`,
      );
    });

    it('keeps only the last 2 KiB of stderr', async () => {
      const path = await script(
        'noisy',
        `i=0\nwhile [ $i -lt 500 ]; do echo "noise line $i" >&2; i=$((i+1)); done\necho 'the real problem' >&2\nexit 2`,
      );
      const error = await failure(path, 'exit');
      expect(error.message).toMatch(/Its stderr ended with: ….*the real problem$/s);
      expect(error.message).not.toContain('noise line 1\n');
      expect(error.message.length).toBeLessThan(2048 + 300);
    });

    it('reports a command killed by a signal', async () => {
      const error = await failure(await script('killed', 'echo dying >&2\nkill -TERM $$'), 'exit');
      expect(error.message).toBe(
        `credential_process for profile dev was killed by signal SIGTERM. Fix the command in ${CONFIG} and load the profile again. Its stderr ended with: dying`,
      );
    });

    it('reports a command that does not exist, naming it', async () => {
      const error = await failure('/nonexistent/get-creds --profile x', 'spawn-failed');
      expect(error.message).toBe(
        `credential_process for profile dev could not start: command not found: /nonexistent/get-creds. Use a full path, or a command on PATH, in ${CONFIG}.`,
      );
      const onPath = await failure('rolecall-test-no-such-command', 'spawn-failed');
      expect(onPath.message).toContain('command not found: rolecall-test-no-such-command');
    });

    it('reports a command that is not executable', async () => {
      const path = await script('not-executable', 'exit 0', 0o644);
      const error = await failure(path, 'spawn-failed');
      expect(error.message).toBe(
        `credential_process for profile dev could not start: permission denied running ${path}. Make it executable (chmod +x) or fix the path in ${CONFIG}.`,
      );
    });

    it('refuses shell syntax before running anything', async () => {
      const marker = join(dir, 'never-created');
      const error = await failure(`touch ${marker} && echo hi`, 'spawn-failed');
      expect(error.message).toBe(
        `credential_process for profile dev can't be run: it has the shell operator "&&". Rolecall runs credential_process without a shell, like the AWS CLI does; put shell syntax in a script and point credential_process at the script, in ${CONFIG}.`,
      );
      await expect(readFile(marker)).rejects.toThrow();
      expect((await failure('get-creds | jq .', 'spawn-failed')).message).toContain('"|"');
      expect((await failure('  ', 'spawn-failed')).message).toContain("can't be run: it is empty.");
    });

    it('stops a command that takes too long, with everything it started', async () => {
      const pidFile = join(dir, 'grandchild.pid');
      const path = await script(
        'slow',
        `sleep 30 &\necho $! > '${pidFile}'\necho 'waiting for MFA' >&2\nwait`,
      );
      const started = Date.now();
      const error = await failure(path, 'timeout', { timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error.message).toBe(
        `credential_process for profile dev did not finish within 0.3 seconds, so Rolecall stopped it and every process it started. It gets no input and no terminal, so it must not wait for either. Fix the command in ${CONFIG} and load the profile again. Its stderr ended with: waiting for MFA`,
      );
      const grandchild = Number(await readFile(pidFile, 'utf8'));
      expect(grandchild).toBeGreaterThan(0);
      await expect.poll(() => isRunning(grandchild), { timeout: 2_000 }).toBe(false);
    });

    it('stops a command, with everything it started, when its fetch is aborted', async () => {
      const pidFile = join(dir, 'abandoned.pid');
      const path = await script('abandoned', `sleep 30 &\necho $! > '${pidFile}'\nwait`);
      const controller = new AbortController();
      const fetching = source(path).fetch(testFetchContext({ signal: controller.signal }));
      await expect
        .poll(() => readFile(pidFile, 'utf8').catch(() => ''), { timeout: 3_000 })
        .not.toBe('');
      const started = Date.now();
      controller.abort();
      const error: unknown = await fetching.catch((thrown: unknown) => thrown);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error).toMatchObject({
        failure: 'cancelled',
        message:
          'credential_process for profile dev was stopped, with every process it started, because nothing waits for its credentials any more.',
      });
      const grandchild = Number(await readFile(pidFile, 'utf8'));
      await expect.poll(() => isRunning(grandchild), { timeout: 2_000 }).toBe(false);
    });

    it('stops a command that prints too much', async () => {
      const error = await failure(
        await script('flood', 'echo flooding >&2\nexec yes'),
        'output-too-large',
        {
          maxOutputBytes: 1024,
        },
      );
      expect(error.message).toBe(
        `credential_process for profile dev printed more than 1 KiB on stdout, so Rolecall stopped it; a credential_process prints one small JSON object. Fix the command in ${CONFIG} and load the profile again. Its stderr ended with: flooding`,
      );
    });

    it('accepts output right at the limit', async () => {
      const exact = Buffer.byteLength(GOOD_JSON);
      const path = await script('exact', `printf '%s' '${GOOD_JSON}'`);
      await expect(source(path, { maxOutputBytes: exact }).fetch()).resolves.toBeDefined();
      await failure(path, 'output-too-large', { maxOutputBytes: exact - 1 });
    });

    it('says a process it started kept its output open, when what it printed is not usable', async () => {
      const pidFile = join(dir, 'lingering-bad.pid');
      const path = await script(
        'lingering-bad',
        `printf 'not yet'\nsleep 90 &\necho $! > '${pidFile}'`,
      );
      try {
        const error = await failure(path, 'bad-output');
        expect(error.message).toContain(
          '(It exited while a process it started in the background kept its output open; this is what it printed before exiting.)',
        );
      } finally {
        process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGKILL');
      }
    });

    it('reports empty output', async () => {
      const error = await failure(await script('silent', 'exit 0'), 'bad-output');
      expect(error.message).toMatch(
        /^credential_process for profile dev printed nothing on stdout\. It must print credential_process JSON \(Version 1\)/,
      );
    });

    it('reports output that is not JSON without repeating it, but with stderr', async () => {
      const secret = 'wJalrXUtnFEMI/K7MDENG/SECRETLOOKING';
      const path = await script(
        'not-json',
        `echo 'AccessKeyId=AKIAEXAMPLE SecretAccessKey=${secret}'\necho 'printed env format by mistake' >&2`,
      );
      const error = await failure(path, 'bad-output');
      expect(error.message).toContain('printed something that is not JSON');
      expect(error.message).toMatch(/Its stderr ended with: printed env format by mistake$/);
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain('AKIAEXAMPLE');
    });

    it('reports invalid credential_process JSON field by field', async () => {
      const cases: Array<[object, string]> = [
        [{ Version: 2, AccessKeyId: 'A', SecretAccessKey: 'S' }, 'Version must be the number 1'],
        [{ AccessKeyId: 'A', SecretAccessKey: 'S' }, 'Version is missing'],
        [{ Version: 1, SecretAccessKey: 'S' }, 'AccessKeyId is missing'],
        [
          { Version: 1, AccessKeyId: 'A', Expiration: 'soon', SecretAccessKey: 'S' },
          'Expiration must be an RFC 3339 date-time',
        ],
        [
          {
            Version: 1,
            AccessKeyId: 'A',
            SecretAccessKey: 'S',
            Expiration: '2029-12-31T00:00:00Z',
          },
          'returned credentials that expired at 2029-12-31T00:00:00.000Z',
        ],
      ];
      for (const [output, expected] of cases) {
        const path = await script('invalid', `printf '%s' '${JSON.stringify(output)}'`);
        expect((await failure(path, 'bad-output')).message).toContain(expected);
      }
    });
  });
});
