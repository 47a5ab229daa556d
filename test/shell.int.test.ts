import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src-main/cli/program';
import { CLI, runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * Rolecall in a person's shell: `rolecall status --prompt` in the prompts the docs show, and the
 * completion scripts run by bash, zsh and fish themselves, with names from a running server and
 * from the AWS config when none runs.
 */
const ZSH_COMPLETE = resolve(__dirname, 'helpers/zsh_complete.zsh');
const has = (program: string) => existsSync(`/usr/bin/${program}`) || existsSync(`/bin/${program}`);
/** Shells and the CLI start for each case, on a busy machine. */
const SLOW = 120_000;

let ws: Workspace;
/** PATH with a `rolecall` on it, as after `npm link`. */
let env: NodeJS.ProcessEnv;
/** Each shell's script, printed once: printing it is not what is tested at each Tab. */
const scripts: Record<string, string> = {};

const commandNames = buildProgram(() => {
  throw new Error('listing commands needs no context');
}).commands.map((command) => command.name());

beforeAll(async () => {
  ws = await createWorkspace();
  const bin = join(ws.dir, 'bin');
  await mkdir(bin);
  const rolecall = join(bin, 'rolecall');
  await writeFile(rolecall, `#!/bin/sh\nexec ${process.execPath} ${CLI} "$@"\n`);
  await chmod(rolecall, 0o755);
  const creds = await ws.script('creds', credentialScript({ accessKeyId: 'ASIASHELL' }));
  await ws.writeConfig(
    [
      '[profile dev]',
      `credential_process = ${creds}`,
      '[profile Production/ReadOnly]',
      `credential_process = ${creds}`,
      '[profile "with space"]',
      `credential_process = ${creds}`,
      '[sso-session corp]',
      'sso_start_url = https://corp.awsapps.com/start',
      'sso_region = eu-west-1',
      '',
    ].join('\n'),
  );
  env = { ...ws.env, PATH: `${bin}:${process.env.PATH}` };
  for (const shell of ['bash', 'zsh', 'fish']) {
    const printed = await runCli(['completion', shell], env);
    expect(printed.code, printed.stderr).toBe(0);
    scripts[shell] = join(ws.dir, `completion.${shell}`);
    await writeFile(scripts[shell], printed.stdout);
  }
}, SLOW);

afterAll(async () => {
  await ws?.dispose();
});

function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((done, fail) =>
    execFile(file, args, { env, timeout: SLOW }, (error, stdout, stderr) =>
      error
        ? fail(new Error(`${file} failed: ${error.message}\n${stderr}`))
        : done({ stdout, stderr }),
    ),
  );
}

/**
 * What bash's completion offers for `words`, the last being the word under the cursor — as bash
 * calls the function `complete -F` names.
 */
async function bashCompletes(...words: string[]): Promise<string[]> {
  const script = `source ${scripts.bash}
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=\${#COMP_LINE}
$(complete -p rolecall | sed -E 's/.*-F ([^ ]+) .*/\\1/')
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('/bin/bash', ['-c', script, 'bash', ...words]);
  return lines(stdout);
}

async function zshCompletes(line: string): Promise<string[]> {
  const { stdout } = await run('/usr/bin/zsh', ['-f', ZSH_COMPLETE, `source ${scripts.zsh}`, line]);
  return [...new Set(lines(stdout))];
}

async function fishCompletes(line: string): Promise<string[]> {
  const { stdout } = await run('/usr/bin/fish', [
    '-c',
    'source $argv[1]; complete -C $argv[2]',
    scripts.fish!,
    line,
  ]);
  return lines(stdout).map((candidate) => candidate.split('\t')[0]!);
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

const sorted = (names: string[]) => [...names].sort();

describe('with no Rolecall running', () => {
  it('status --prompt prints nothing and exits 0', async () => {
    expect(await runCli(['status', '--prompt'], env)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it(
    'completion offers the profiles and sessions of the AWS config, and nothing loaded',
    async () => {
      expect(await bashCompletes('rolecall', 'exec', 'Prod')).toEqual(['Production/ReadOnly']);
      expect(sorted(await bashCompletes('rolecall', 'load', ''))).toEqual(
        sorted(['dev', 'Production/ReadOnly', 'with\\ space']),
      );
      expect(await bashCompletes('rolecall', 'login', '')).toEqual(['corp']);
      expect(await bashCompletes('rolecall', 'unload', '')).toEqual([]);
    },
    SLOW,
  );
});

describe('with Rolecall running', () => {
  let serve: ServeProcess;

  beforeAll(async () => {
    serve = await startServe(ws.env);
    expect((await runCli(['load', 'dev'], ws.env)).code).toBe(0);
    expect((await runCli(['load', 'Production/ReadOnly', '--slot'], ws.env)).code).toBe(0);
  }, SLOW);

  afterAll(async () => {
    await serve?.stop();
  });

  describe('rolecall status --prompt', () => {
    it("prints the default slot's profile and time left", async () => {
      expect(await runCli(['status', '--prompt'], env)).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^dev (59|60)m\n$/),
        stderr: '',
      });
    });

    it(
      'shows in the prompts the docs give for bash, zsh and fish',
      async () => {
        const bash = await run('/bin/bash', [
          '-c',
          `rolecall_prompt() { local line; line=$(rolecall status --prompt 2>/dev/null) && [ -n "$line" ] && printf '(%s) ' "$line"; }
PS1='$(rolecall_prompt)'"\\w \\$ "
printf '%s' "\${PS1@P}"`,
        ]);
        expect(bash.stdout).toMatch(/^\(dev \d+m\) \S+ \$ $/);
        if (has('zsh')) {
          const zsh = await run('/usr/bin/zsh', [
            '-f',
            '-c',
            `setopt prompt_subst
rolecall_prompt() { local line; line=$(rolecall status --prompt 2>/dev/null) && [[ -n $line ]] && print -rn -- "(\${line//\\%/%%}) "; }
PROMPT='$(rolecall_prompt)'"%~ %# "
print -nP -- "$PROMPT"`,
          ]);
          expect(zsh.stdout).toMatch(/^\(dev \d+m\) \S+ # $/);
        }
        if (has('fish')) {
          const fish = await run('/usr/bin/fish', [
            '-c',
            `function fish_right_prompt
    rolecall status --prompt 2>/dev/null
end
fish_right_prompt`,
          ]);
          expect(fish.stdout).toMatch(/^dev \d+m\n$/);
        }
      },
      SLOW,
    );
  });

  describe('bash', () => {
    it(
      'completes commands, and the options of the command typed',
      async () => {
        // Loaded as the docs say.
        const loaded = await run('/bin/bash', [
          '-c',
          'eval "$(rolecall completion bash)" && complete -p rolecall',
        ]);
        expect(loaded.stdout).toBe('complete -F _rolecall rolecall\n');
        expect(sorted(await bashCompletes('rolecall', ''))).toEqual(sorted(commandNames));
        expect(await bashCompletes('rolecall', 'lo')).toEqual(['load', 'login', 'logout']);
        expect(sorted(await bashCompletes('rolecall', 'exec', 'dev', '--'))).toEqual(
          sorted(['-s', '--slot', '--default-slot', '--env-keys', '-h', '--help']).filter((flag) =>
            flag.startsWith('--'),
          ),
        );
        expect(await bashCompletes('rolecall', 'env', '--format', '')).toEqual([
          'sh',
          'fish',
          'powershell',
          'json',
        ]);
        // bash makes "=" a word of its own.
        expect(await bashCompletes('rolecall', 'env', '--format', '=', 'f')).toEqual(['fish']);
        expect(await bashCompletes('rolecall', 'keys', 'im')).toEqual(['import']);
        expect(await bashCompletes('rolecall', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
      },
      SLOW,
    );

    it(
      'completes profile, slot and session names from the running server',
      async () => {
        expect(await bashCompletes('rolecall', 'exec', 'Prod')).toEqual(['Production/ReadOnly']);
        expect(await bashCompletes('rolecall', 'exec', '--env-keys', 'Prod')).toEqual([
          'Production/ReadOnly',
        ]);
        expect(await bashCompletes('rolecall', 'load', 'with')).toEqual(['with\\ space']);
        expect(await bashCompletes('rolecall', 'keys', 'import', 'd')).toEqual(['dev']);
        // What is loaded, and what has a slot of its own.
        expect(sorted(await bashCompletes('rolecall', 'unload', ''))).toEqual(
          sorted(['dev', 'Production/ReadOnly']),
        );
        expect(await bashCompletes('rolecall', 'env', '--profile', '')).toEqual([
          'Production/ReadOnly',
        ]);
        expect(await bashCompletes('rolecall', 'logout', '')).toEqual(['corp']);
      },
      SLOW,
    );

    it(
      'completes the command exec runs as a command, and its arguments as files',
      async () => {
        expect(await bashCompletes('rolecall', 'exec', 'dev', '--', 'nod')).toContain('node');
        expect(await bashCompletes('rolecall', 'exec', 'dev', 'nod')).toContain('node');
        expect(await bashCompletes('rolecall', 'exec', 'dev', '--', 'ls', ws.dir + '/bi')).toEqual([
          `${ws.dir}/bin`,
        ]);
        // The command's own options are not taken for exec's.
        expect(await bashCompletes('rolecall', 'exec', 'dev', '--', 'ls', '--sl')).not.toContain(
          '--slot',
        );
      },
      SLOW,
    );
  });

  describe.skipIf(!has('zsh'))('zsh', () => {
    it(
      'completes commands, options, names and the command exec runs',
      async () => {
        expect(sorted(await zshCompletes('rolecall lo'))).toEqual(['load', 'login', 'logout']);
        expect(await zshCompletes('rolecall exec Prod')).toEqual(['Production/ReadOnly']);
        expect(sorted(await zshCompletes('rolecall load dev --'))).toEqual(
          sorted(['--slot', '--every', '--mfa-code', '--help']),
        );
        expect(sorted(await zshCompletes('rolecall env --format '))).toEqual(
          sorted(['sh', 'fish', 'powershell', 'json']),
        );
        expect(sorted(await zshCompletes('rolecall unload '))).toEqual(
          sorted(['dev', 'Production/ReadOnly']),
        );
        expect(await zshCompletes('rolecall keys import d')).toEqual(['dev']);
        expect(await zshCompletes('rolecall exec dev -- nod')).toContain('node');
      },
      SLOW,
    );
  });

  describe.skipIf(!has('fish'))('fish', () => {
    it(
      'completes commands, options, names and the command exec runs',
      async () => {
        expect(sorted(await fishCompletes('rolecall lo'))).toEqual(['load', 'login', 'logout']);
        expect(await fishCompletes('rolecall exec Prod')).toEqual(['Production/ReadOnly']);
        expect(sorted(await fishCompletes('rolecall load dev --'))).toEqual(
          sorted(['--slot', '--every', '--mfa-code', '--help']),
        );
        expect(sorted(await fishCompletes('rolecall env --format '))).toEqual(
          sorted(['sh', 'fish', 'powershell', 'json']),
        );
        expect(sorted(await fishCompletes('rolecall unload '))).toEqual(
          sorted(['dev', 'Production/ReadOnly']),
        );
        expect(await fishCompletes('rolecall keys import d')).toEqual(['dev']);
        expect(await fishCompletes('rolecall exec dev -- nod')).toContain('node');
        expect(await fishCompletes('rolecall exec dev -- ls --sl')).not.toContain('--slot');
      },
      SLOW,
    );
  });
});
