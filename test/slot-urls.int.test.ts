import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotUrl } from '../src-shared/slot-url';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * Profile names that a URL could lose, end to end: a real `rolecall serve`, profiles from a
 * real config file, and what a user runs — `load --slot`, `env --profile`, `credential-process`
 * — read by botocore (Debian's, at /usr/bin/python3) as the AWS CLI would.
 */
const NAMES = ['..', '.', '%2E%2E', 'a/b', '100%'];
/** Each profile's access key: its index, so a wrong slot shows which one answered. */
const keyOf = (name: string) => `ASIASLOT${['other', ...NAMES].indexOf(name)}`;

let ws: Workspace;
let serve: ServeProcess;

beforeAll(async () => {
  ws = await createWorkspace();
  const lines: string[] = [];
  for (const name of ['other', ...NAMES]) {
    const script = await ws.script(
      `creds-${keyOf(name)}`,
      credentialScript({ accessKeyId: keyOf(name) }),
    );
    lines.push(`[profile ${name}]`, `credential_process = ${script}`);
  }
  await ws.writeConfig(`${lines.join('\n')}\n`);
  serve = await startServe(ws.env);
  // Another profile in the default slot: a URL that lost its name would get these keys.
  expect((await runCli(['load', 'other'], ws.env)).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

/** The environment `eval "$(rolecall env --profile <name>)"` gives, per name. */
const exported = new Map<string, Record<string, string>>();

describe('a profile with an odd name, loaded into its slot', () => {
  it.each(NAMES)('%j: load --slot prints its slot URL, and env exports it', async (name) => {
    const load = await runCli(['load', name, '--slot'], ws.env);
    expect(load.code, load.stderr).toBe(0);
    const url = slotUrl(serve.info.url, name);
    expect(load.stderr).toContain(`Loaded ${name} into its slot ${url};`);
    const env = await runCli(['env', '--profile', name, '--format', 'json'], ws.env);
    expect(env.code, env.stderr).toBe(0);
    const vars = JSON.parse(env.stdout) as Record<string, string>;
    expect(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(url);
    exported.set(name, vars);
  });

  it.each(NAMES)('%j: credential-process prints its own keys', async (name) => {
    const result = await runCli(['credential-process', '--profile', name], ws.env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1, AccessKeyId: keyOf(name) });
  });

  it('botocore, given each exported environment, gets that profile’s keys', async () => {
    expect([...exported.keys()].sort()).toEqual([...NAMES].sort());
    const script = [
      'import json, os, sys',
      'import botocore.session',
      'keys = {}',
      'for name, env in json.load(sys.stdin):',
      '    os.environ.update(env)',
      '    credentials = botocore.session.get_session().get_credentials()',
      '    keys[name] = credentials.get_frozen_credentials().access_key',
      'print(json.dumps(keys))',
    ].join('\n');
    const child = promisify(execFile)('/usr/bin/python3', ['-c', script], { env: ws.env });
    child.child.stdin!.end(JSON.stringify([...exported]));
    const keys = JSON.parse((await child).stdout) as Record<string, string>;
    expect(keys).toEqual(Object.fromEntries(NAMES.map((name) => [name, keyOf(name)])));
  });
});
