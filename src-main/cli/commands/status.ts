import { Option, type Command } from 'commander';
import type { CliContext } from '../context';

/**
 * `rolecall status`. A shell prompt runs `status --prompt` before every command line, so this
 * module loads nothing else until its action knows which of the two it prints.
 */
export function registerStatus(program: Command, context: () => CliContext): void {
  program
    .command('status')
    .description(
      'Show the running server, every loaded slot (state, expiry, next refresh) and each IAM Identity Center session.',
    )
    .option('--json', 'print the snapshot as JSON')
    .addOption(
      new Option(
        '--prompt',
        "print only the default slot's profile and time left, for a shell prompt (nothing when Rolecall is not running)",
      ).conflicts('json'),
    )
    .action(async (options: { json?: boolean; prompt?: boolean }) => {
      const ctx = context();
      if (options.prompt) {
        // Loaded only here: a prompt runs this before every command line.
        const { statusPrompt } = await import('../status-prompt');
        const line = await statusPrompt(ctx);
        if (line) ctx.stdout(`${line}\n`);
        return;
      }
      const { connect } = await import('../client');
      const { formatStatus } = await import('../status-view');
      const { formatSessionStatus } = await import('../session-status-view');
      const client = await connect(ctx.home, ctx.secrets);
      const [snapshot, sessions] = await Promise.all([
        client.call('getSnapshot'),
        client.call('listSessions'),
      ]);
      const now = Date.now();
      ctx.stdout(
        options.json
          ? `${JSON.stringify({ server: client.info, ...snapshot, sessions }, null, 2)}\n`
          : formatStatus(client.info, snapshot, now) + formatSessionStatus(sessions, now),
      );
    });
}
