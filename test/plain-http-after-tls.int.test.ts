import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/free-port';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * A shell exported while Rolecall served plain HTTP, after Rolecall was restarted with `--tls`
 * on the same port: botocore (as the AWS CLI runs it) is told what happened and what to run.
 */
let ws: Workspace;
let serve: ServeProcess | undefined;
let oldExports: Record<string, string>;

beforeAll(async () => {
  ws = await createWorkspace();
  ws.env.ROLECALL_PORT = String(await freePort());
  serve = await startServe(ws.env);
  const env = await runCli(['env', '--format', 'json'], ws.env);
  oldExports = JSON.parse(env.stdout) as Record<string, string>;
  await serve.stop();
  serve = await startServe(ws.env, ['--tls']);
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

describe('plain HTTP exports after a restart with --tls', () => {
  it('botocore gets a plain HTTP 400 that says to run rolecall env again', async () => {
    expect(oldExports.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\//);
    const script = [
      'import botocore.session',
      'try:',
      '    botocore.session.get_session().get_credentials()',
      'except Exception as error:',
      '    print(error)',
    ].join('\n');
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', script], {
      env: { ...ws.env, ...oldExports },
    });
    expect(stdout).toContain('Received non 200 response (400)');
    expect(stdout).toContain('Rolecall now serves HTTPS on this port');
    expect(stdout).toContain(`point this shell at ${serve!.info.url}`);
    expect(stdout).toContain('rolecall env');
  });

  it('rolecall env then exports the HTTPS URL', async () => {
    const env = await runCli(['env', '--format', 'json'], ws.env);
    const vars = JSON.parse(env.stdout) as Record<string, string>;
    expect(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(serve!.info.url);
    expect(serve!.info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  });
});
