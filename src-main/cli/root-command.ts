import { Command } from 'commander';
import { ROLECALL_VERSION } from '../core/version';
import type { CliContext } from './context';

/** `rolecall` itself, with no command yet: what every program `run` builds starts from. */
export function rootCommand(context: () => CliContext): Command {
  return (
    new Command('rolecall')
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
      )
  );
}
