import type { Command } from 'commander';
import type { ProfileInfo } from '../../../src-shared/profile';
import { loadProfiles } from '../../core/config/profiles';
import { findServer, connect } from '../client';
import { formatProfiles } from '../profiles-view';
import type { CliContext } from '../context';
import { errorMessage, RolecallError } from '../../core/errors';
import { createKeyStore } from '../../core/keys/key-store';
import { listAllProfiles } from '../../core/profile-list';
import { sessionLabel } from '../../core/sso/session-key';
import { ssoServicesFor } from '../sso-services';
import { listSessions } from '../../core/sso/sso-sessions';

export function registerProfiles(program: Command, context: () => CliContext): void {
  program
    .command('profiles')
    .description('List the profiles in your AWS config and whether Rolecall can load them.')
    .option('--json', 'print the list as JSON')
    .option(
      '--refresh',
      'list the accounts and roles of every signed-in IAM Identity Center session again',
    )
    .action(async (options: { json?: boolean; refresh?: boolean }) => {
      const ctx = context();
      const failures = options.refresh ? await rediscover(ctx) : [];
      // Ask the running server when there is one: it reads the config files it was started with.
      const profiles = (await findServer(ctx.home))
        ? await (await connect(ctx.home, ctx.secrets)).call('listProfiles')
        : await readLocally(ctx);
      if (options.json) ctx.stdout(`${JSON.stringify(profiles, null, 2)}\n`);
      else if (profiles.length === 0)
        ctx.stderr(
          'No profiles found. Add one to ~/.aws/config (or the file AWS_CONFIG_FILE names).\n',
        );
      else ctx.stdout(formatProfiles(profiles));
      if (failures.length > 0) throw refreshFailed(failures);
    });
}

/** The list was printed, but a refresh that failed must not look like one that worked. */
function refreshFailed(failures: string[]): RolecallError {
  return new RolecallError(
    'refresh-failed',
    failures.length === 1
      ? `The roles of ${failures[0]} were not listed again (see above); the list shows what was found before.`
      : `The roles of ${failures.join(', ')} were not listed again (see above); the list shows what was found before.`,
    502,
  );
}

async function readLocally(ctx: CliContext): Promise<ProfileInfo[]> {
  const sso = await ssoServicesFor(ctx);
  return listAllProfiles(
    undefined,
    sso,
    (warning) => ctx.stderr(`warning: ${warning}\n`),
    createKeyStore(ctx.secrets),
  );
}

/**
 * Lists again the roles of every session with a valid sign-in, and says which ones need a login.
 * Returns the sessions whose listing failed (a session that is signed out did not fail: it says
 * what to run).
 */
async function rediscover(ctx: CliContext): Promise<string[]> {
  const catalog = await loadProfiles();
  const services = await ssoServicesFor(ctx);
  const failed: string[] = [];
  for (const session of listSessions(catalog)) {
    const label = sessionLabel(session);
    try {
      const token = await services.tokens.valid(session);
      const found = await services.discover(session, token);
      ctx.stderr(`${label}: ${found.roles} roles in ${found.accounts} accounts.\n`);
    } catch (error) {
      ctx.stderr(`${label}: ${errorMessage(error)}\n`);
      if (!(error instanceof RolecallError && error.code === 'sso-session-ended'))
        failed.push(label);
    }
  }
  return failed;
}
