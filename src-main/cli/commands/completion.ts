import { Argument, Option, type Command } from 'commander';
import { completionSpec, nameLists, type NameList } from '../completion/completion-spec';
import type { CliContext } from '../context';
import { UsageError } from '../usage-error';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

export function registerCompletion(program: Command, context: () => CliContext): void {
  program
    .command('completion')
    .description(
      'Print the Tab completion script for bash, zsh or fish: commands, options, and profile, slot and session names.',
    )
    .addArgument(new Argument('[shell]', 'bash, zsh or fish').choices(SHELLS))
    .addOption(
      new Option(
        '--names <list>',
        'print the names the scripts offer, one per line: profiles, slots, loaded, sessions or questions',
      ).choices(nameLists),
    )
    .addHelpText(
      'after',
      '\nLoad it:\n  eval "$(rolecall completion bash)"                           # in ~/.bashrc\n  source <(rolecall completion zsh)                            # in ~/.zshrc, after compinit\n  rolecall completion fish > ~/.config/fish/completions/rolecall.fish',
    )
    .action(
      async (
        shell: (typeof SHELLS)[number] | undefined,
        options: { names?: NameList },
        command: Command,
      ) => {
        const ctx = context();
        if (options.names) {
          if (shell) throw new UsageError('Give a shell or --names, not both.');
          // Loaded only here: the scripts run this at a Tab.
          const { completionNames } = await import('../completion/completion-names');
          const names = await completionNames(ctx, options.names);
          ctx.stdout(names.map((name) => `${name}\n`).join(''));
          return;
        }
        if (!shell) throw new UsageError('Name the shell: rolecall completion bash, zsh or fish.');
        const { completionScript } = await import('../completion/completion-script');
        ctx.stdout(completionScript(shell, completionSpec(command.parent!)));
      },
    );
}
