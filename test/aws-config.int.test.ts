import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNQUOTED_HASH } from '../src-main/core/sources/split-command';
import { CLI, runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * The AWS config as users write it, end to end: a real `rolecall serve`, the CLI, and
 * credential_process scripts that say whether they ran.
 */
let ws: Workspace;
let serve: ServeProcess;
let slow: string;
let broken: string;

beforeAll(async () => {
  ws = await createWorkspace();
  slow = await ws.script('slow-creds', credentialScript({ accessKeyId: 'ASIASLOW' }));
  broken = await ws.script('broken-creds', credentialScript({ accessKeyId: 'ASIABROKEN' }));
  await ws.writeConfig(brokenConfig());
  serve = await startServe(ws.env);
});

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

/** A working profile, then a header without its `]` whose command must never run. */
const brokenConfig = () =>
  [
    '[profile slow]',
    `credential_process = ${slow}`,
    '[profile broken',
    `credential_process = ${broken}`,
    '',
  ].join('\n');

const refusal = () =>
  `${ws.configFile} line 3: \`[profile broken\` is not a section header (it has no closing \`]\`). The AWS CLI refuses this file too. Fix the line; until then Rolecall loads no profile and makes no request to AWS.`;

let authorization: string | undefined;

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  authorization ??= (await runCli(['token'], ws.env)).stdout.trim();
  const response = await fetch(new URL(path, serve.info.url), { headers: { authorization } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function runs(script: string): Promise<number> {
  return Number(await readFile(`${script}.count`, 'utf8').catch(() => '0'));
}

describe('a config file with a broken section header', () => {
  it('is named, with its line, in the server log from the start', () => {
    expect(serve.stderr()).toContain(refusal());
  });

  it('makes `rolecall profiles` fail with the refusal, not list the profile above it', async () => {
    for (const args of [['profiles'], ['profiles', '--json']]) {
      const result = await runCli(args, ws.env);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`rolecall: ${refusal()}\n`);
    }
  });

  it('refuses to load the profile above it, and runs neither command', async () => {
    const load = await runCli(['load', 'slow', '--slot'], ws.env);
    expect(load.code).toBe(1);
    expect(load.stderr).toBe(`rolecall: ${refusal()}\n`);
    expect(await runs(slow)).toBe(0);
    expect(await runs(broken)).toBe(0);
    expect((await get('/slot/slow')).status).toBe(404);
  });

  it('keeps serving what was loaded before the file broke, and never the broken section', async () => {
    await ws.writeConfig(`[profile slow]\ncredential_process = ${slow}\n`);
    expect((await runCli(['load', 'slow', '--slot'], ws.env)).code).toBe(0);
    await ws.writeConfig(brokenConfig());
    const again = await runCli(['load', 'slow', '--slot'], ws.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`rolecall: ${refusal()}\n`);
    const served = await get('/slot/slow');
    expect(served.status).toBe(200);
    expect(served.body.AccessKeyId).toBe('ASIASLOW');
    expect(await runs(slow)).toBe(1);
    expect(await runs(broken)).toBe(0);
    expect((await runCli(['unload', 'slow'], ws.env)).code).toBe(0);
  });
});

describe('profile names the AWS CLI accepts', () => {
  const names = ['with space', 'café', '日本', '..', 'org/team', '100%', 'a:b@c+d'];

  beforeAll(async () => {
    const sections: string[] = [];
    for (const [index, name] of names.entries()) {
      const script = await ws.script(
        `names-${index}`,
        credentialScript({ accessKeyId: `ASIANAME${index}` }),
      );
      sections.push(`[profile "${name}"]`, `credential_process = ${script}`);
    }
    await ws.writeConfig([...sections, '[profile with space]', 'region = x', ''].join('\n'));
  });

  it('are each listed and loadable, served from the slot they were loaded into', async () => {
    const listed = await runCli(['profiles', '--json'], ws.env);
    expect(listed.code).toBe(0);
    const profiles = JSON.parse(listed.stdout) as Array<{ name: string; loadable: boolean }>;
    expect(profiles.map((profile) => [profile.name, profile.loadable])).toEqual(
      [...names].sort().map((name) => [name, true]),
    );
    for (const [index, name] of names.entries()) {
      const load = await runCli(['load', name], ws.env);
      expect(load.stderr).toMatch(new RegExp(`^Loaded ${escape(name)} into the default slot`));
      expect(load.code).toBe(0);
      const served = await get('/');
      expect(served.body.AccessKeyId).toBe(`ASIANAME${index}`);
    }
    const status = JSON.parse((await runCli(['status', '--json'], ws.env)).stdout) as {
      defaultProfile: string;
    };
    expect(status.defaultProfile).toBe(names.at(-1));
    expect((await runCli(['unload', '--all'], ws.env)).code).toBe(0);
  }, 120_000);

  it('shows them in the table as written', async () => {
    const table = await runCli(['profiles'], ws.env);
    for (const name of names) expect(table.stdout).toMatch(new RegExp(`^${escape(name)}  `, 'm'));
  });
});

describe('profiles Rolecall cannot load', () => {
  it("say why in `profiles` and in `load`, in the same words: Rolecall's own helper", async () => {
    await ws.writeConfig(
      `[profile via-rolecall]\ncredential_process = ${process.execPath} ${CLI} credential-process --profile slow\n`,
    );
    const reason =
      "its credential_process is Rolecall's own helper (`rolecall credential-process`), which asks Rolecall for credentials instead of giving it any; load slow instead";
    const listed = JSON.parse((await runCli(['profiles', '--json'], ws.env)).stdout) as unknown[];
    expect(listed).toEqual([
      {
        name: 'via-rolecall',
        kind: 'credential_process',
        loadable: false,
        notLoadableReason: reason,
      },
    ]);
    const load = await runCli(['load', 'via-rolecall'], ws.env);
    expect(load.code).toBe(1);
    expect(load.stderr).toBe(`rolecall: Profile via-rolecall cannot be loaded: ${reason}.\n`);
  });

  it('say why for a command with ` # note` after it, which the AWS CLI would pass on', async () => {
    await ws.writeConfig(`[profile noted]\ncredential_process = ${slow} --flag # note\n`);
    const reason = `its credential_process in ${ws.configFile} can't be run: ${UNQUOTED_HASH}`;
    const table = await runCli(['profiles'], ws.env);
    expect(table.stdout).toContain(`noted    credential_process  no        ${reason}`);
    const load = await runCli(['load', 'noted'], ws.env);
    expect(load.code).toBe(1);
    expect(load.stderr).toBe(`rolecall: Profile noted cannot be loaded: ${reason}.\n`);
    expect(await runs(slow)).toBe(1);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
