import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * What the CLI tells a user against a real `rolecall serve`: URLs it prints reach a slot that
 * exists, a misspelt profile gets the nearest real one, and a load says what it replaced.
 */
let ws: Workspace;
let serve: ServeProcess;

beforeAll(async () => {
  ws = await createWorkspace();
  const dev = await ws.script('dev-creds', credentialScript({ accessKeyId: 'ASIADEV' }));
  const prod = await ws.script('prod-creds', credentialScript({ accessKeyId: 'ASIAPROD' }));
  await ws.writeConfig(
    `[profile dev]\ncredential_process = ${dev}\n[profile prod]\ncredential_process = ${prod}\n`,
  );
  serve = await startServe(ws.env);
});

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

const rolecall = (...args: string[]) => runCli(args, ws.env);

describe('rolecall env --profile', () => {
  it('refuses a profile that does not exist, and suggests the nearest one', async () => {
    const nosuch = await rolecall('env', '--profile', 'nosuch');
    expect(nosuch).toMatchObject({ code: 1, stdout: '' });
    expect(nosuch.stderr).toBe(
      'rolecall: There is no profile named nosuch; `rolecall profiles` lists the ones Rolecall can find.\n',
    );
    const typo = await rolecall('env', '--profile', 'devv');
    expect(typo).toMatchObject({ code: 1, stdout: '' });
    expect(typo.stderr).toBe('rolecall: There is no profile named devv; did you mean dev?\n');
  });

  it('says to load a profile into its own slot first, also when it is only in the default slot', async () => {
    const notLoaded = await rolecall('env', '--profile', 'prod');
    expect(notLoaded).toMatchObject({ code: 1, stdout: '' });
    expect(notLoaded.stderr).toBe(
      'rolecall: prod is not loaded into a slot of its own; load it with `rolecall load prod --slot` first.\n',
    );

    expect((await rolecall('load', 'dev')).code).toBe(0);
    const onlyDefault = await rolecall('env', '--profile', 'dev');
    expect(onlyDefault).toMatchObject({ code: 1, stdout: '' });
    expect(onlyDefault.stderr).toBe(
      'rolecall: dev is served from the default slot, not from a slot of its own: load it there with `rolecall load dev --slot`, or leave out --profile to use the default slot.\n',
    );
  });

  it('prints a slot URL that answers once the profile is loaded there', async () => {
    expect((await rolecall('load', 'prod', '--slot')).code).toBe(0);
    const printed = await rolecall('env', '--profile', 'prod', '--format', 'json');
    expect(printed.code, printed.stderr).toBe(0);
    const vars = JSON.parse(printed.stdout) as Record<string, string>;
    expect(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(new URL('slot/prod', serve.info.url).href);
    const answer = await fetch(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI!, {
      headers: { authorization: vars.AWS_CONTAINER_AUTHORIZATION_TOKEN! },
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { AccessKeyId: string }).AccessKeyId).toBe('ASIAPROD');
  });
});

describe('rolecall load', () => {
  it('suggests the nearest existing profile for one that does not exist', async () => {
    for (const args of [
      ['load', 'devv'],
      ['credential-process', '--profile', 'devv'],
    ]) {
      const result = await rolecall(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(
        /^rolecall: There is no profile named devv in .* Did you mean dev\?\n$/,
      );
    }
  });

  it('says which profile it replaced in the default slot', async () => {
    expect((await rolecall('load', 'dev')).code).toBe(0);
    const same = await rolecall('load', 'dev');
    expect(same.stderr).not.toContain('in place of');
    const replacing = await rolecall('load', 'prod');
    expect(replacing.code).toBe(0);
    expect(replacing.stderr).toContain(
      `Loaded prod into the default slot ${serve.info.url} in place of dev;`,
    );
  });

  it('is shown by status with named slots by their URL path', async () => {
    const status = await rolecall('status');
    expect(status.stdout).toMatch(/^default\s+prod\s/m);
    expect(status.stdout).toMatch(/^\/slot\/prod\s+prod\s/m);
  });
});
