import type { Command } from 'commander';
import type { ProfileInfo } from '../../../src-shared/profile';
import { loadProfiles, toProfileInfo } from '../../core/config/profiles';
import { findServer, connect } from '../client';
import type { CliContext } from '../context';
import { formatTable } from '../table';

export function registerProfiles(program: Command, context: () => CliContext): void {
  program
    .command('profiles')
    .description('List the profiles in your AWS config and whether Rolecall can load them.')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      // Ask the running server when there is one: it reads the config files it was started with.
      const profiles = (await findServer(ctx.home))
        ? await (await connect(ctx.home, ctx.secrets)).call('listProfiles')
        : await readLocally(ctx);
      if (options.json) {
        ctx.stdout(`${JSON.stringify(profiles, null, 2)}\n`);
        return;
      }
      if (profiles.length === 0) {
        ctx.stderr(
          'No profiles found. Add one to ~/.aws/config (or the file AWS_CONFIG_FILE names).\n',
        );
        return;
      }
      ctx.stdout(formatProfiles(profiles));
    });
}

async function readLocally(ctx: CliContext): Promise<ProfileInfo[]> {
  const catalog = await loadProfiles();
  for (const warning of catalog.warnings) ctx.stderr(`warning: ${warning}\n`);
  return catalog.profiles.map(toProfileInfo);
}

export function formatProfiles(profiles: ProfileInfo[]): string {
  return formatTable(
    ['PROFILE', 'KIND', 'LOADABLE', 'DETAIL'],
    profiles.map((profile) => [
      profile.name,
      profile.kind,
      profile.loadable ? 'yes' : 'no',
      profile.loadable
        ? [profile.accountId, profile.roleName, profile.region].filter(Boolean).join(' ')
        : (profile.notLoadableReason ?? ''),
    ]),
  );
}
