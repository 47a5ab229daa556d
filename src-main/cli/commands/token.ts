import type { Command } from 'commander';
import { getOrCreateBearerToken } from '../../core/bearer-token';
import { authorizationValue } from '../../core/server/auth';
import type { CliContext } from '../context';

export function registerToken(program: Command, context: () => CliContext): void {
  program
    .command('token')
    .description(
      'Print the Authorization value clients must send (AWS_CONTAINER_AUTHORIZATION_TOKEN).',
    )
    .addHelpText('after', '\nThe token lives only in the OS keychain; it is created on first use.')
    .action(async () => {
      const ctx = context();
      ctx.stdout(`${authorizationValue(await getOrCreateBearerToken(ctx.secrets))}\n`);
    });
}
