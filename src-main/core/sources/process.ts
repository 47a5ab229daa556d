import type { AwsCredentials } from '../credentials';
import { credentialProcessEnv } from './child-env';
import { parseProcessOutput } from './process-output';
import { runCommand, type RunOutcome } from './run-command';
import {
  SourceError,
  type CredentialSource,
  type FetchContext,
  type SourceFailure,
} from './source';
import { splitCommand } from './split-command';

/**
 * botocore waits forever and the AWS SDK for JavaScript has no limit either; a daemon can't.
 * A minute is generous for a command that may first refresh an SSO token or read a hardware key.
 */
export const DEFAULT_PROCESS_TIMEOUT_MS = 60_000;
/**
 * credential_process JSON is well under 4 KiB even with a long session token. 1 MiB leaves
 * room for chatty-but-valid output (pretty-printed, extra fields) while keeping a runaway command
 * from filling Rolecall's memory.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** Enough of stderr for the last few lines of an error, short enough to read in a notification. */
const STDERR_TAIL_BYTES = 2048;

export interface ProcessSourceOptions {
  profile: string;
  /** The credential_process line, as written in the config file. */
  command: string;
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** The environment to start from; Rolecall's own secrets are always removed from it. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The file the command came from, so messages say where to fix it. */
  definedIn?: string;
  /** Epoch milliseconds, for telling expired credentials apart. */
  now?: () => number;
}

/** A source that runs a profile's credential_process, the way the AWS CLI does, on every fetch. */
export function createProcessSource(options: ProcessSourceOptions): CredentialSource {
  return {
    profile: options.profile,
    fetch: (context) => runCredentialProcess(options, context),
  };
}

async function runCredentialProcess(
  options: ProcessSourceOptions,
  context?: FetchContext,
): Promise<AwsCredentials> {
  const { profile } = options;
  const who = `credential_process for profile ${profile}`;
  const where = options.definedIn ?? 'your AWS config';
  const fixIt = `Fix the command in ${where} and load the profile again.`;

  const split = splitCommand(options.command);
  if (!split.ok) {
    throw new SourceError(
      profile,
      'spawn-failed',
      `${who} can't be run: ${split.problem}. Rolecall runs credential_process without a shell, like the AWS CLI does; put shell syntax in a script and point credential_process at the script, in ${where}.`,
    );
  }
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS;
  const outcome = await runCommand({
    argv: split.argv,
    env: credentialProcessEnv(options.env ?? process.env),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    timeoutMs,
    maxStdoutBytes: maxOutputBytes,
    stderrTailBytes: STDERR_TAIL_BYTES,
    ...(context ? { signal: context.signal } : {}),
  });

  const fail = (failure: SourceFailure, message: string, stderr = ''): SourceError =>
    new SourceError(
      profile,
      failure,
      stderr === '' ? message : `${message} Its stderr ended with: ${stderr}`,
    );

  switch (outcome.kind) {
    case 'cancelled':
      throw fail(
        'cancelled',
        `${who} was stopped, with every process it started, because nothing waits for its credentials any more.`,
      );
    case 'spawn-failed':
      throw fail(
        'spawn-failed',
        `${who} could not start: ${spawnProblem(outcome, split.argv[0] ?? '', where)}`,
      );
    case 'timed-out':
      throw fail(
        'timeout',
        `${who} did not finish within ${formatSeconds(timeoutMs)}, so Rolecall stopped it and every process it started. It gets no input and no terminal, so it must not wait for either. ${fixIt}`,
        outcome.stderr,
      );
    case 'output-too-large':
      throw fail(
        'output-too-large',
        `${who} printed more than ${formatBytes(maxOutputBytes)} on stdout, so Rolecall stopped it; a credential_process prints one small JSON object. ${fixIt}`,
        outcome.stderr,
      );
    case 'signaled':
      throw fail('exit', `${who} was killed by signal ${outcome.signal}. ${fixIt}`, outcome.stderr);
    case 'exited':
      if (outcome.code !== 0) {
        throw fail('exit', `${who} exited with code ${outcome.code}. ${fixIt}`, outcome.stderr);
      }
      try {
        return parseProcessOutput(profile, outcome.stdout, (options.now ?? Date.now)());
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        const heldOpen = outcome.outputHeldOpen
          ? ' (It exited while a process it started in the background kept its output open; this is what it printed before exiting.)'
          : '';
        throw fail(error.failure, `${error.message}${heldOpen}`, outcome.stderr);
      }
  }
}

/** What went wrong starting `program`, with what to do about it. */
function spawnProblem(
  outcome: Extract<RunOutcome, { kind: 'spawn-failed' }>,
  program: string,
  where: string,
): string {
  switch (outcome.error.code) {
    case 'ENOENT':
      return `command not found: ${program}. Use a full path, or a command on PATH, in ${where}.`;
    case 'EACCES':
      return `permission denied running ${program}. Make it executable (chmod +x) or fix the path in ${where}.`;
    case 'EINVAL':
      if (/\.(bat|cmd)$/i.test(program)) {
        return `${program} is a batch file, which can only run through cmd.exe. Write credential_process = cmd.exe /d /c "${program}" in ${where}.`;
      }
      break;
  }
  return `${program}: ${outcome.error.message}. Fix the command in ${where} and load the profile again.`;
}

function formatSeconds(ms: number): string {
  const seconds = Number((ms / 1000).toFixed(3));
  return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

function formatBytes(bytes: number): string {
  const MiB = 1024 * 1024;
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
