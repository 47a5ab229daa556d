import { RolecallError } from '../core/errors';
import { defaultContext, type CliContext } from './context';
import { ExitStatus } from './exit-status';
import { withTokenReadEarly } from './early-token';
import { hotInvocation, type HotInvocation } from './hot-argv';
import { InterruptedError } from './interrupt';
import { ReportedError } from './reported-error';
import { USAGE_EXIT_CODE, UsageError } from './usage-error';

export { USAGE_EXIT_CODE } from './usage-error';

/**
 * Runs the CLI and returns the exit code; errors are printed as sentences, never stack traces.
 * The plain forms of the commands machines run often are run without commander (hot-argv.ts);
 * everything else is parsed by the program, loaded only then.
 */
export async function run(
  argv: string[],
  context: () => CliContext = memoize(defaultContext),
): Promise<number> {
  const usage = (sentence: string, command: string | undefined) => {
    context().stderr(`rolecall: ${withHelpPointer(sentence, command)}\n`);
    return USAGE_EXIT_CODE;
  };
  const hot = hotInvocation(argv);
  try {
    if (hot) {
      await runHot(hot, context());
      return 0;
    }
    const outcome = await (await import('./program-run')).runProgram(argv, context);
    return typeof outcome === 'number' ? outcome : usage(outcome.sentence, outcome.command);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message, hot?.command);
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
    context().stderr(
      `rolecall: ${error instanceof RolecallError ? error.message : describeUnexpected(error)}\n`,
    );
    return 1;
  }
}

/** What the commander program's action for the same command does; each module loaded only here. */
async function runHot(hot: HotInvocation, ctx: CliContext): Promise<void> {
  switch (hot.command) {
    case 'credential-process': {
      const early = withTokenReadEarly(ctx);
      const { credentialProcess } = await import('./commands/credential-process');
      return credentialProcess(early, hot.profile);
    }
    case 'status': {
      const { statusPrompt } = await import('./status-prompt');
      const line = await statusPrompt(ctx);
      if (line) ctx.stdout(`${line}\n`);
      return;
    }
    case 'exec': {
      const early = withTokenReadEarly(ctx);
      const { runExec } = await import('./exec/run-exec');
      return runExec(early, hot.profile, hot.commandLine, {
        defaultSlot: hot.defaultSlot,
        envKeys: hot.envKeys,
      });
    }
  }
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
