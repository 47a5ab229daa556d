import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../core/secrets/memory-store';
import type { CliContext } from './context';
import { run, USAGE_EXIT_CODE } from './main';

let home: string;
// One keychain for the file, as a machine has one: the same token in every export.
const secrets = createMemoryStore();
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-cli-'));
  // Loaded once here, with time for a busy machine: the first usage mistake loads every command
  // (the AWS SDK among them), and that is not what the tests below time out on.
  await import('./program');
}, 60_000);
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The CLI with no server running, an in-memory keychain and captured output. */
async function rolecall(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    home,
    secrets,
    env: { ROLECALL_PORT: '41499' },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stderrIsTerminal: false,
  };
  const code = await run(argv, () => context);
  return { code, stdout, stderr };
}

describe('usage mistakes', () => {
  it.each([
    [['lod', 'dev'], 'rolecall: There is no command lod; did you mean `rolecall load`?'],
    [['frobnicate'], 'rolecall: There is no command frobnicate (see `rolecall --help`).'],
    [['load'], 'rolecall: The <profile> argument is missing (see `rolecall load --help`).'],
    [
      ['load', 'a', 'b'],
      'rolecall: This command takes at most 1 argument, but got 2 (see `rolecall load --help`).',
    ],
    [
      ['status', 'extra'],
      'rolecall: This command takes no arguments, but got 1 (see `rolecall status --help`).',
    ],
    [['load', 'dev', '--slt'], 'rolecall: There is no option --slt; did you mean --slot?'],
    [
      ['env', '--format', 'tcsh'],
      'rolecall: --format: "tcsh" is not a format Rolecall writes: use sh (also for bash and zsh), fish, powershell or json (see `rolecall env --help`).',
    ],
    [
      ['load', 'dev', '--every'],
      'rolecall: --every needs a value (<duration>) (see `rolecall load --help`).',
    ],
    [
      ['load', 'dev', '--mfa-code', '12345'],
      'rolecall: --mfa-code: MFA code must be the 6 digits your MFA device shows (see `rolecall load --help`).',
    ],
    [
      ['credential-process'],
      'rolecall: --profile <profile> is required (see `rolecall credential-process --help`).',
    ],
    [
      ['unload'],
      'rolecall: Name a profile to unload, or pass --all (see `rolecall unload --help`).',
    ],
    [
      ['exec', 'dev'],
      'rolecall: Name the command to run after `--`: rolecall exec dev -- <command> [args...] (see `rolecall exec --help`).',
    ],
    [
      ['exec', 'dev', 'aws', 's3', 'ls', '--recursive'],
      "rolecall: --recursive is not an option of rolecall exec; if it is the command's, put `--` before the command: rolecall exec <profile> -- <command> --recursive (see `rolecall exec --help`).",
    ],
    [
      ['exec', 'dev', '--slt', '--', 'aws'],
      'rolecall: There is no option --slt; did you mean --slot?',
    ],
    [
      ['completion'],
      'rolecall: Name the shell: rolecall completion bash, zsh or fish (see `rolecall completion --help`).',
    ],
    [
      ['completion', 'tcsh'],
      'rolecall: <shell>: Allowed choices are bash, zsh, fish (see `rolecall completion --help`).',
    ],
    [
      ['status', '--prompt', '--json'],
      "rolecall: Option '--prompt' cannot be used with option '--json' (see `rolecall status --help`).",
    ],
  ])('rolecall %j exits 2 with one line in Rolecall’s words', async (argv, line) => {
    const { code, stdout, stderr } = await rolecall(...argv);
    expect(code).toBe(USAGE_EXIT_CODE);
    expect(stderr).toBe(`${line}\n`);
    expect(stdout).toBe('');
  });

  it('prints help to stderr and exits 2 when no command is given', async () => {
    const { code, stderr } = await rolecall();
    expect(code).toBe(USAGE_EXIT_CODE);
    expect(stderr).toMatch(/^Usage: rolecall \[options\] \[command\]/);
  });

  it('prints help and the version to stdout and exits 0 when asked', async () => {
    expect(await rolecall('--help')).toMatchObject({ code: 0, stderr: '' });
    expect((await rolecall('load', '--help')).stdout).toContain('Usage: rolecall load');
    expect((await rolecall('--version')).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('option values the core would refuse', () => {
  it.each([
    ['5s', '--every must be at least 1m'],
    ['0', '--every must be at least 1m'],
    ['8d', '--every must be at most 7d'],
    ['1.5m', '--every: "1.5m" is not a duration like 90s, 15m, 2h or 1d'],
  ])(
    'load --every %s is refused in one sentence, before anything is asked',
    async (every, text) => {
      const { code, stderr } = await rolecall('load', 'dev', '--every', every);
      expect(code).toBe(USAGE_EXIT_CODE);
      expect(stderr).toBe(`rolecall: ${text} (see \`rolecall load --help\`).\n`);
    },
  );
});

describe('rolecall env --format', () => {
  it('takes bash and zsh as sh', async () => {
    const sh = await rolecall('env', '--format', 'sh');
    expect(sh.code).toBe(0);
    expect(sh.stdout).toMatch(
      /^export AWS_CONTAINER_CREDENTIALS_FULL_URI='http:\/\/127\.0\.0\.1:41499\/'\n/,
    );
    for (const shell of ['bash', 'zsh', 'ZSH']) {
      const other = await rolecall('env', '--format', shell);
      expect(other.code, shell).toBe(0);
      expect(other.stdout, shell).toBe(sh.stdout);
    }
  });
});
