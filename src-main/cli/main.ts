import { Command, CommanderError } from 'commander';
import { RolecallError } from '../core/errors';
import { ROLECALL_VERSION } from '../core/version';
import { registerCert } from './commands/cert';
import { registerCredentialProcess } from './commands/credential-process';
import { registerEnv } from './commands/env';
import { registerLogin } from './commands/login';
import { registerProfiles } from './commands/profiles';
import { registerServe } from './commands/serve';
import { registerSlotCommands, UsageError } from './commands/slots';
import { registerToken } from './commands/token';
import { registerTrust } from './commands/trust';
import { registerUi } from './commands/ui';
import { defaultContext, type CliContext } from './context';
import { InterruptedError } from './interrupt';

export function buildProgram(context: () => CliContext): Command {
  const program = new Command('rolecall')
    .description(
      'Keeps short-lived AWS credentials fresh and serves them to every AWS CLI and SDK.',
    )
    .version(ROLECALL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nGetting started:\n  rolecall serve                 # in one terminal, or as a service\n  rolecall load dev              # serve profile dev from the default slot\n  eval "$(rolecall env)"         # point this shell\'s AWS tools at Rolecall\n  aws sts get-caller-identity',
    );
  registerServe(program, context);
  registerSlotCommands(program, context);
  registerLogin(program, context);
  registerProfiles(program, context);
  registerEnv(program, context);
  registerToken(program, context);
  registerCredentialProcess(program, context);
  registerCert(program, context);
  registerTrust(program, context);
  registerUi(program, context);
  return program;
}

/** Runs the CLI and returns the exit code; errors are printed as sentences, never stack traces. */
export async function run(
  argv: string[],
  context: () => CliContext = memoize(defaultContext),
): Promise<number> {
  const program = buildProgram(context).exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, a version, or a usage error.
      return error.exitCode;
    }
    const stderr = context().stderr;
    if (error instanceof InterruptedError) {
      stderr(`rolecall: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      stderr(`rolecall: ${error.message} (run with --help for usage)\n`);
      return 2;
    }
    stderr(
      `rolecall: ${error instanceof RolecallError ? error.message : describeUnexpected(error)}\n`,
    );
    return 1;
  }
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
