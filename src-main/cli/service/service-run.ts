import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RolecallError, asSentence } from '../../core/errors';
import type { ServiceCommand, ServicePlan } from './service-plan';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; tests give a fake. */
export type RunCommand = (argv: string[]) => Promise<CommandResult>;

export interface CarryOutOptions {
  dryRun: boolean;
  run: RunCommand;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** How a command reads when shown to a person: words with spaces quoted. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word}'`)).join(' ');
}

/**
 * Carries out a plan, or with `dryRun` only says what it would do: the file goes to stdout
 * exactly as it would be written (so `> rolecall.service` keeps a copy), everything else to
 * stderr. Returns the exit status of the last command (what `status` ends with).
 */
export async function carryOut(plan: ServicePlan, options: CarryOutOptions): Promise<number> {
  const { stdout, stderr } = options;
  if (options.dryRun) {
    const would = (command: ServiceCommand) => `Would run: ${commandLine(command.argv)}\n`;
    for (const command of plan.before) stderr(would(command));
    if (plan.file) {
      stderr(`Would write ${plan.file.path}:\n`);
      stdout(plan.file.content);
    }
    if (plan.removes) stderr(`Would remove ${plan.removes}\n`);
    for (const command of plan.after) stderr(would(command));
    for (const note of plan.notes) stderr(`${note}\n`);
    return 0;
  }
  for (const command of plan.before) await runStep(command, options);
  if (plan.file) {
    await mkdir(dirname(plan.file.path), { recursive: true });
    const { content, encoding } = plan.file;
    // UTF-16 with its byte order mark, which schtasks needs to read the file.
    const bytes =
      encoding === 'utf16le' ? Buffer.from(`\ufeff${content}`, 'utf16le') : Buffer.from(content);
    await writeFile(plan.file.path, bytes, { mode: 0o644 });
    stderr(`Wrote ${plan.file.path}.\n`);
  }
  if (plan.removes) {
    await rm(plan.removes, { force: true });
    stderr(`Removed ${plan.removes}.\n`);
  }
  let last = 0;
  for (const command of plan.after) last = await runStep(command, options);
  for (const note of plan.notes) stderr(`${note}\n`);
  return last;
}

async function runStep(command: ServiceCommand, options: CarryOutOptions): Promise<number> {
  const result = await options.run(command.argv);
  options.stdout(result.stdout);
  if (result.code === 0 || command.mayFail) return result.code;
  const said = result.stderr.trim().split('\n').slice(-3).join(' ');
  throw new RolecallError(
    'service-command-failed',
    `\`${commandLine(command.argv)}\` failed (exit ${result.code})${said ? `: ${asSentence(said)}` : '.'} Nothing after it was done; fix that and run the same rolecall service command again.`,
    500,
  );
}

/** Runs a command and collects its output; a missing program is exit 127, said in words. */
export const runCommand: RunCommand = (argv) =>
  new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      resolve({
        code,
        stdout,
        stderr: missing ? `${argv[0]} is not installed or not on PATH.` : stderr,
      });
    });
  });
