import { Option, type Command, type CommanderError } from 'commander';
import type { CliContext } from '../context';
import { UsageError } from '../usage-error';

export function registerExec(program: Command, context: () => CliContext): void {
  program
    .command('exec')
    .description(
      "Run a command with a profile's credentials: it asks Rolecall's endpoint for them, so they stay fresh while it runs.",
    )
    .argument('<profile>', 'profile to run the command as (see `rolecall profiles`)')
    .argument('[command...]', 'the command and its arguments, after `--`; run as given, no shell')
    .addOption(
      new Option(
        '-s, --slot',
        "serve the command from the profile's own slot, /slot/<profile>, loading it there if needed (the default)",
      ).conflicts('defaultSlot'),
    )
    .option(
      '--default-slot',
      'load the profile into the default slot (in place of what it holds) and serve the command from there',
    )
    .option(
      '--env-keys',
      'give the command the keys themselves in AWS_ACCESS_KEY_ID…, for tools that read nothing else; they are not renewed',
    )
    .addHelpText(
      'after',
      "\nExamples:\n  rolecall exec prod -- terraform plan\n  rolecall exec prod -- aws s3 ls --recursive s3://bucket\n\nThe command gets AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN for the\nslot, and the profile's region; AWS_PROFILE and AWS_ACCESS_KEY_ID… are removed from its environment.\nSignals are passed on, and `exec` exits with the command's status (127: no such command).",
    )
    .exitOverride(withDashDashHint)
    .action(
      async (
        profile: string,
        command: string[],
        options: { slot?: boolean; defaultSlot?: boolean; envKeys?: boolean },
      ) => {
        // Loaded only for this command, so other commands do not pay for it.
        const { runExec } = await import('../exec/run-exec');
        await runExec(context(), profile, command, {
          defaultSlot: options.defaultSlot ?? false,
          envKeys: options.envKeys ?? false,
        });
      },
    );
}

/**
 * An option of the command typed without `--` before it reaches `exec` as its own: say where the
 * `--` goes. One close to an option of `exec` keeps commander's "did you mean".
 */
function withDashDashHint(error: CommanderError): never {
  if (error.code === 'commander.unknownOption' && !error.message.includes('Did you mean')) {
    const option = /'([^']*)'/.exec(error.message)?.[1] ?? '';
    throw new UsageError(
      `${option} is not an option of rolecall exec; if it is the command's, put \`--\` before the command: rolecall exec <profile> -- <command> ${option}.`,
    );
  }
  throw error;
}
