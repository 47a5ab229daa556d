import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessKeysAccount } from '../../core/keys/key-store';
import { createMemoryStore, type MemoryStore } from '../../core/secrets/memory-store';
import type { CliContext } from '../context';
import { run, USAGE_EXIT_CODE } from '../main';
import { buildProgram } from '../program';
import { FakeTerminal } from '../testing/fake-terminal';

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const OTHER_ID = 'AKIAI44QH8DHBEXAMPLF';
const OTHER_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';

let dir: string;
let secrets: MemoryStore;
let configFile: string;
let credentialsFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-keys-cli-'));
  secrets = createMemoryStore();
  configFile = join(dir, 'config');
  credentialsFile = join(dir, 'credentials');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A terminal that answers each hidden prompt from a list (or Ctrl-C), as a person types. */
function terminal(answers: Array<string | 'Ctrl-C'>): FakeTerminal {
  return new FakeTerminal({
    answer: (prompt) => {
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected prompt ${prompt}`);
      return answer === 'Ctrl-C' ? '\u0003' : `${answer}\r`;
    },
  });
}

/** Standard input piped in by a script. */
function pipe(text: string) {
  return { piped: text };
}

async function rolecall(stdin: FakeTerminal | { piped: string } | undefined, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    home: join(dir, 'home'),
    secrets,
    env: { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stderrIsTerminal: false,
    ...(stdin instanceof FakeTerminal && {
      stdinIsTerminal: true,
      openTerminal: (which) => (which === 'stdin' ? stdin : null),
    }),
    ...(stdin &&
      'piped' in stdin && { stdinIsTerminal: false, readStdin: async () => stdin.piped }),
  };
  const code = await run(argv, () => context);
  return { code, stdout, stderr };
}

const stored = (profile: string) => secrets.items.get(accessKeysAccount(profile));

describe('rolecall keys add', () => {
  it('asks for the key ID and the secret on the terminal and stores them', async () => {
    await writeFile(configFile, '[profile dev]\nregion = eu-west-1\n');
    const input = terminal([` ${ID} `, SECRET]);
    const result = await rolecall(input, 'keys', 'add', 'dev');
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Stored the keys of profile dev (****************MPLE) in the keychain.\n',
    });
    expect(input.prompts).toEqual(['Access key ID for dev: ', 'Secret access key for dev: ']);
    expect(JSON.parse(stored('dev')!)).toEqual({
      version: 1,
      accessKeyId: ID,
      secretAccessKey: SECRET,
    });
  });

  it('takes a key ID and its secret pasted together at the first prompt', async () => {
    const pasted = new FakeTerminal({ answer: () => `${ID}\r\n${SECRET}\r\n` });
    const result = await rolecall(pasted, 'keys', 'add', 'dev');
    expect(result.code, result.stderr).toBe(0);
    expect(pasted.output).toBe('Access key ID for dev: \nSecret access key for dev: \n');
    expect(JSON.parse(stored('dev')!).secretAccessKey).toBe(SECRET);
  });

  it('says what is wrong with the key ID before asking for the secret', async () => {
    const input = terminal(['ASIAIOSFODNN7EXAMPLE']);
    const result = await rolecall(input, 'keys', 'add', 'dev');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'rolecall: The access key ID starts with ASIA, so it belongs to temporary session credentials, which expire and work only with their session token; Rolecall keeps only long-lived keys, whose IDs start with AKIA.\n',
    );
    expect(input.prompts).toHaveLength(1);
    expect(secrets.items.size).toBe(0);
  });

  it('stores nothing when Ctrl-C ends a prompt', async () => {
    const result = await rolecall(terminal([ID, 'Ctrl-C']), 'keys', 'add', 'dev');
    expect(result).toMatchObject({
      code: 130,
      stderr: 'rolecall: Cancelled; nothing was stored.\n',
    });
    expect(secrets.items.size).toBe(0);
  });

  it('reads two lines with --stdin, for scripts', async () => {
    const result = await rolecall(pipe(`${ID}\r\n${SECRET}\r\n`), 'keys', 'add', 'dev', '--stdin');
    expect(result.code).toBe(0);
    expect(JSON.parse(stored('dev')!).secretAccessKey).toBe(SECRET);
  });

  it.each([
    [
      '',
      'rolecall: --stdin expects two lines, the access key ID and then the secret access key, and got none.\n',
    ],
    [
      `${ID}\n`,
      'rolecall: --stdin expects two lines, the access key ID and then the secret access key, and got 1.\n',
    ],
    [
      `${ID}\n${SECRET}\nextra\n`,
      'rolecall: --stdin expects two lines, the access key ID and then the secret access key, and got 3.\n',
    ],
    [
      `${SECRET}\n${ID}\n`,
      'rolecall: The access key ID is not a long-lived AWS access key ID, which starts with AKIA and has 16 to 128 capital letters and digits in all.\n',
    ],
    [
      `${ID}\n${ID}\n`,
      'rolecall: The secret access key looks like an access key ID, not a secret; the ID comes first, then its secret.\n',
    ],
  ])('refuses --stdin input %j in one sentence that quotes no key', async (text, message) => {
    const result = await rolecall(pipe(text), 'keys', 'add', 'dev', '--stdin');
    expect(result).toEqual({ code: 1, stdout: '', stderr: message });
    expect(secrets.items.size).toBe(0);
  });

  it('asks for --stdin when there is no terminal, and refuses it on a terminal', async () => {
    const noTerminal = await rolecall(pipe(''), 'keys', 'add', 'dev');
    expect(noTerminal.code).toBe(USAGE_EXIT_CODE);
    expect(noTerminal.stderr).toBe(
      'rolecall: There is no terminal to ask for the keys on; pipe the key ID and the secret, one per line, into `rolecall keys add dev --stdin` (see `rolecall keys add --help`).\n',
    );
    const onTerminal = await rolecall(terminal([]), 'keys', 'add', 'dev', '--stdin');
    expect(onTerminal.code).toBe(USAGE_EXIT_CODE);
    expect(onTerminal.stderr).toContain('leave out --stdin to be asked for them without echo');
  });

  it('has no option that would put a key on the command line', () => {
    const add = buildProgram(() => {
      throw new Error('no context needed');
    })
      .commands.find((command) => command.name() === 'keys')!
      .commands.find((command) => command.name() === 'add')!;
    expect(add.options.map((option) => option.long)).toEqual(['--stdin']);
    expect(add.registeredArguments.map((argument) => argument.name())).toEqual(['profile']);
  });

  it('refuses a profile name no profile can have before anyone types a secret', async () => {
    const input = terminal([]);
    const result = await rolecall(input, 'keys', 'add', 'a\tb');
    expect(result.code).toBe(USAGE_EXIT_CODE);
    expect(result.stderr).toContain('The profile name contains control characters');
    expect(input.prompts).toEqual([]);
  });

  it('shows the section to add for a profile the config does not have yet', async () => {
    const result = await rolecall(pipe(`${ID}\n${SECRET}\n`), 'keys', 'add', 'new one', '--stdin');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `There is no profile new one in ${configFile} yet; add its section (no keys go in it), so the AWS CLI and Rolecall know the name:\n\n  [profile "new one"]\n  region = <your region>\n`,
    );
  });

  it('says it replaced keys, and which keys a file still holds', async () => {
    await writeFile(
      credentialsFile,
      `[dev]\naws_access_key_id = ${ID}\naws_secret_access_key = ${SECRET}\n`,
    );
    await rolecall(pipe(`${ID}\n${SECRET}\n`), 'keys', 'add', 'dev', '--stdin');
    const result = await rolecall(
      pipe(`${OTHER_ID}\n${OTHER_SECRET}\n`),
      'keys',
      'add',
      'dev',
      '--stdin',
    );
    expect(result.stderr).toBe(
      'Stored the keys of profile dev (****************MPLF) in the keychain, in place of ****************MPLE.\n' +
        `warning: ${credentialsFile} still has other keys for dev (lines 2 and 3), which the AWS CLI uses; delete those lines once nothing needs them.\n`,
    );
  });

  it('fails before asking anything when the keychain is locked', async () => {
    secrets.failWith();
    const input = terminal([ID, SECRET]);
    const result = await rolecall(input, 'keys', 'add', 'dev');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The OS keychain is not usable: the keyring is locked.');
    expect(input.prompts).toEqual([]);
  });
});

describe('rolecall keys import', () => {
  const credentials = `# mine\r\n[dev]\r\naws_access_key_id = ${ID}\r\naws_secret_access_key = ${SECRET}\r\nregion = eu-west-1\r\n`;

  it('copies, then with --remove takes the two lines out', async () => {
    await writeFile(credentialsFile, credentials);
    const copied = await rolecall(undefined, 'keys', 'import', 'dev');
    expect(copied.code).toBe(0);
    expect(copied.stderr).toBe(
      'Stored the keys of profile dev (****************MPLE) in the keychain.\n' +
        `They are still in ${credentialsFile} (lines 3 and 4), where any program can read them; \`rolecall keys import dev --remove\` takes them out.\n`,
    );
    const moved = await rolecall(undefined, 'keys', 'import', 'dev', '--remove');
    expect(moved.stderr).toBe(
      'The keychain already holds these keys of profile dev (****************MPLE).\n' +
        `Took them out of ${credentialsFile} (lines 3 and 4); the rest of the file is as it was.\n`,
    );
    expect(await readFile(credentialsFile, 'utf8')).toBe(
      '# mine\r\n[dev]\r\nregion = eu-west-1\r\n',
    );
    const again = await rolecall(undefined, 'keys', 'import', 'dev', '--remove');
    expect(again).toMatchObject({ code: 0 });
    expect(again.stderr).toContain('The keychain already holds the keys of profile dev');
  });

  it('leaves the file when the keychain cannot be written', async () => {
    await writeFile(credentialsFile, credentials);
    secrets.failWith();
    const result = await rolecall(undefined, 'keys', 'import', 'dev', '--remove');
    expect(result.code).toBe(1);
    expect(await readFile(credentialsFile, 'utf8')).toBe(credentials);
  });
});

describe('rolecall keys list and remove', () => {
  it('lists profiles with the end of each key ID, never a secret', async () => {
    const empty = await rolecall(undefined, 'keys', 'list');
    expect(empty).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'The keychain holds no keys; add some with `rolecall keys add <profile>` or `rolecall keys import <profile>`.\n',
    });
    await rolecall(pipe(`${ID}\n${SECRET}\n`), 'keys', 'add', 'dev', '--stdin');
    await rolecall(pipe(`${OTHER_ID}\n${OTHER_SECRET}\n`), 'keys', 'add', 'prod', '--stdin');
    const listed = await rolecall(undefined, 'keys', 'list');
    expect(listed.stdout).toBe(
      'PROFILE  ACCESS KEY ID\ndev      ****************MPLE\nprod     ****************MPLF\n',
    );
    const json = await rolecall(undefined, 'keys', 'list', '--json');
    expect(JSON.parse(json.stdout)).toEqual([
      { profile: 'dev', accessKeyId: '****************MPLE' },
      { profile: 'prod', accessKeyId: '****************MPLF' },
    ]);
    for (const output of [listed.stdout, json.stdout]) {
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain(ID);
    }
  });

  it('removes a profile’s keys, and says when there were none', async () => {
    await rolecall(pipe(`${ID}\n${SECRET}\n`), 'keys', 'add', 'dev', '--stdin');
    expect(await rolecall(undefined, 'keys', 'remove', 'dev')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Removed the keys of profile dev (****************MPLE) from the keychain.\n',
    });
    expect(await rolecall(undefined, 'keys', 'remove', 'dev')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'The keychain holds no keys for profile dev; nothing was removed.\n',
    });
    expect(stored('dev')).toBeUndefined();
  });

  it('removes a damaged item too', async () => {
    secrets.items.set(accessKeysAccount('dev'), 'garbage');
    const result = await rolecall(undefined, 'keys', 'remove', 'dev');
    expect(result.stderr).toBe('Removed the keys of profile dev from the keychain.\n');
  });
});
