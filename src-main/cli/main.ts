import { CommanderError, type Command } from 'commander';
import { RolecallError } from '../core/errors';
import { defaultContext, type CliContext } from './context';
import { rootCommand } from './root-command';
import { ExitStatus } from './exit-status';
import { InterruptedError } from './interrupt';
import { ReportedError } from './reported-error';
import { UsageError } from './usage-error';
import { commanderUsageSentence } from './usage-message';

/** What a usage mistake exits with, as most Unix tools do (1 is for errors in the work itself). */
export const USAGE_EXIT_CODE = 2;

type Register = (program: Command, context: () => CliContext) => void;

/**
 * The commands machines run often — an AWS SDK runs `credential-process` for every client it
 * makes, a shell prompt `status --prompt` before every line — with the module that registers each.
 * Run alone, one of them is registered by itself, so the process loads only its module (and what
 * that needs) instead of every command's; anything else loads the whole program.
 */
const HOT_COMMANDS: Record<string, () => Promise<Register>> = {
  'credential-process': async () =>
    (await import('./commands/credential-process')).registerCredentialProcess,
  env: async () => (await import('./commands/env')).registerEnv,
  exec: async () => (await import('./commands/exec')).registerExec,
  status: async () => (await import('./commands/status')).registerStatus,
};

/** The program to parse argv with: one hot command by itself when argv runs one, else all. */
export async function programFor(argv: string[], context: () => CliContext): Promise<Command> {
  const [first] = argv;
  const hot =
    first === undefined
      ? undefined
      : Object.hasOwn(HOT_COMMANDS, first)
        ? HOT_COMMANDS[first]
        : undefined;
  if (!hot) return (await import('./program')).buildProgram(context);
  const program = rootCommand(context);
  (await hot())(program, context);
  return program;
}

/** Runs the CLI and returns the exit code; errors are printed as sentences, never stack traces. */
export async function run(
  argv: string[],
  context: () => CliContext = memoize(defaultContext),
): Promise<number> {
  const program = await programFor(argv, context);
  const usage = (sentence: string) => {
    context().stderr(`rolecall: ${withHelpPointer(sentence, commandIn(program, argv))}\n`);
    return USAGE_EXIT_CODE;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and the version were printed and exit 0; `rolecall` alone printed help to stderr.
      if (error.exitCode === 0) return 0;
      if (error.code === 'commander.help') return USAGE_EXIT_CODE;
      return usage(
        commanderUsageSentence(
          error,
          program.commands.map((command) => command.name()),
        ),
      );
    }
    if (error instanceof ExitStatus) {
      if (error.message) context().stderr(`rolecall: ${error.message}\n`);
      return error.status;
    }
    // Already told to the user in its own words (and format); nothing more to print.
    if (error instanceof ReportedError) return 1;
    if (error instanceof InterruptedError) {
      context().stderr(`rolecall: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof UsageError) return usage(error.message);
    context().stderr(
      `rolecall: ${error instanceof RolecallError ? error.message : describeUnexpected(error)}\n`,
    );
    return 1;
  }
}

/** The command (or subcommand) named in argv, if any: its --help is the one worth pointing at. */
function commandIn(program: Command, argv: string[]): string | undefined {
  const [first, second] = argv.filter((arg) => !arg.startsWith('-'));
  const command = program.commands.find((each) => each.name() === first);
  if (!command) return undefined;
  const sub = command.commands.find((each) => each.name() === second);
  return sub ? `${command.name()} ${sub.name()}` : command.name();
}

/** "…, did you mean `rolecall load`?" stands alone; anything else points at the right --help. */
function withHelpPointer(sentence: string, command: string | undefined): string {
  if (sentence.endsWith('?')) return sentence;
  const help = `rolecall${command ? ` ${command}` : ''} --help`;
  return `${sentence.replace(/\.$/, '')} (see \`${help}\`).`;
}

function describeUnexpected(error: unknown): string {
  if (process.env.ROLECALL_DEBUG)
    return error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${error instanceof Error ? error.message : String(error)} (set ROLECALL_DEBUG=1 for details)`;
}

function memoize<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
