import type { Command } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { openInBrowser } from '../open-url';

/** A fresh one-time link to the web UI of a running `rolecall serve --ui`, opened in the browser. */
export function registerUi(program: Command, context: () => CliContext): void {
  program
    .command('ui')
    .description('Open the web UI of `rolecall serve --ui` with a new one-time link.')
    .option('--no-browser', 'only print the link')
    .addHelpText(
      'after',
      '\nEach link signs one browser tab in, once, within 15 minutes; the bearer token never appears in it.',
    )
    .action(async (options: { browser: boolean }) => {
      const ctx = context();
      const { url } = await (await connect(ctx.home, ctx.secrets)).call('createUiLink');
      ctx.stdout(`${url}\n`);
      if (options.browser && !(await openInBrowser(url))) {
        ctx.stderr('Could not start a browser; open the link above yourself.\n');
      }
    });
}
