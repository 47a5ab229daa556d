import type { Command } from 'commander';
import { getOrCreateBearerToken, loadBearerToken } from '../../core/bearer-token';
import { authorizationValue } from '../../core/server/authorization-value';
import { connect, findServer } from '../client';
import type { CliContext } from '../context';

export function registerToken(program: Command, context: () => CliContext): void {
  program
    .command('token')
    .description(
      'Print the Authorization value clients must send (AWS_CONTAINER_AUTHORIZATION_TOKEN).',
    )
    .option('--rotate', 'replace the token now; clients holding the old one get 401 from then on')
    .addHelpText(
      'after',
      '\nThe token lives only in the OS keychain; it is created on first use.\n' +
        'After --rotate, shells and programs started with the old exports need `eval "$(rolecall env)"` again.',
    )
    .action(async (options: { rotate?: boolean }) => {
      const ctx = context();
      if (!options.rotate) {
        ctx.stdout(`${authorizationValue(await getOrCreateBearerToken(ctx.secrets))}\n`);
        return;
      }
      // A running server must switch at the same moment as the keychain, so it rotates itself.
      const rotated = (await findServer(ctx.home))
        ? (await (await connect(ctx.home, ctx.secrets)).call('rotateToken')).authorization
        : authorizationValue(await (await loadBearerToken(ctx.secrets)).rotate());
      ctx.stderr('Rotated the bearer token; clients using the old one now get 401.\n');
      ctx.stdout(`${rotated}\n`);
    });
}
