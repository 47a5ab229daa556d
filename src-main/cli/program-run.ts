import { CommanderError, type Command } from 'commander';
import type { CliContext } from './context';
import { rootCommand } from './root-command';
import { USAGE_EXIT_CODE, UsageError } from './usage-error';
import { commanderUsageSentence } from './usage-message';

type Register = (program: Command, context: () => CliContext) => void;

/**
 * The commands machines run often, with the module that registers each. When their plain forms
 * (hot-argv.ts) do not apply — `--help`, a mistake — one of them is still registered by itself, so
 * the process loads only its module (and what that needs) instead of every command's; anything
 * else loads the whole program.
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

/** A usage mistake in words, and the command whose --help is worth pointing at. */
export interface UsageMistake {
  sentence: string;
  command: string | undefined;
}

/**
 * Parses argv with commander and runs the command it names: its exit code, or the usage mistake,
 * commander's or the command's own, to tell. Any other failure is thrown.
 */
export async function runProgram(
  argv: string[],
  context: () => CliContext,
): Promise<number | UsageMistake> {
  const program = await programFor(argv, context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and the version were printed and exit 0; `rolecall` alone printed help to stderr.
      if (error.exitCode === 0) return 0;
      if (error.code === 'commander.help') return USAGE_EXIT_CODE;
      return {
        sentence: commanderUsageSentence(
          error,
          program.commands.map((command) => command.name()),
        ),
        command: commandIn(program, argv),
      };
    }
    if (error instanceof UsageError) {
      return { sentence: error.message, command: commandIn(program, argv) };
    }
    throw error;
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
