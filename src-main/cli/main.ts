import { Command, CommanderError } from 'commander';
import { RolecallError } from '../core/errors';
import { ROLECALL_VERSION } from '../core/version';
import { registerAnswer } from './commands/answer';
import { registerCert } from './commands/cert';
import { registerCompletion } from './commands/completion';
import { registerConsole } from './commands/console';
import { registerCredentialProcess } from './commands/credential-process';
import { registerEnv } from './commands/env';
import { registerExec } from './commands/exec';
import { registerKeys } from './commands/keys';
import { registerLogin } from './commands/login';
import { registerProfiles } from './commands/profiles';
import { registerServe } from './commands/serve';
import { registerSlotCommands } from './commands/slots';
import { registerToken } from './commands/token';
import { registerTrust } from './commands/trust';
import { registerUi } from './commands/ui';
import { defaultContext, type CliContext } from './context';
import { ExitStatus } from './exit-status';
import { InterruptedError } from './interrupt';
import { ReportedError } from './reported-error';
import { UsageError } from './usage-error';
import { commanderUsageSentence } from './usage-message';

/** What a usage mistake exits with, as most Unix tools do (1 is for errors in the work itself). */
export const USAGE_EXIT_CODE = 2;

export function buildProgram(context: () => CliContext): Command {
  const program = new Command('rolecall')
    .description(
      'Keeps short-lived AWS credentials fresh and serves them to every AWS CLI and SDK.',
    )
    .version(ROLECALL_VERSION, '-V, --version')
    // Set before any command is added, so every command inherits them: commander throws its
    // usage errors instead of exiting, and `run` prints them in Rolecall's own words.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context().stdout(text),
      writeErr: (text) => context().stderr(text),
      outputError: () => {},
    })
    .addHelpText(
      'after',
      '\nGetting started:\n  rolecall serve                 # in one terminal, or as a service\n  rolecall load dev              # serve profile dev from the default slot\n  eval "$(rolecall env)"         # point this shell\'s AWS tools at Rolecall\n  aws sts get-caller-identity',
    );
  registerServe(program, context);
  registerSlotCommands(program, context);
  registerConsole(program, context);
  registerAnswer(program, context);
  registerLogin(program, context);
  registerProfiles(program, context);
  registerEnv(program, context);
  registerExec(program, context);
  registerToken(program, context);
  registerCredentialProcess(program, context);
  registerKeys(program, context);
  registerCert(program, context);
  registerTrust(program, context);
  registerUi(program, context);
  registerCompletion(program, context);
  return program;
}

/** Runs the CLI and returns the exit code; errors are printed as sentences, never stack traces. */
export async function run(
  argv: string[],
  context: () => CliContext = memoize(defaultContext),
): Promise<number> {
  const program = buildProgram(context);
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
