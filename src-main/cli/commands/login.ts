import type { Command } from 'commander';
import { loadProfiles } from '../../core/config/profiles';
import { RolecallError } from '../../core/errors';
import { sessionLabel } from '../../core/sso/session-key';
import { pickSession } from '../../core/sso/sso-sessions';
import { ssoServicesFor } from '../sso-services';
import { findServer, connect } from '../client';
import type { CliContext } from '../context';
import { openInBrowser } from '../open-url';

export function registerLogin(program: Command, context: () => CliContext): void {
  program
    .command('login')
    .description('Sign in to IAM Identity Center and discover every account and role you can use.')
    .argument(
      '[session]',
      'sso-session name from ~/.aws/config (or a legacy start URL); needed when there are several',
    )
    .option(
      '--device-code',
      'sign in with a code entered on any device (headless machines, WSL, SSH)',
    )
    .option('--no-browser', 'do not open a browser; print the URL to visit instead')
    .addHelpText(
      'after',
      '\nBy default Rolecall opens your browser and waits for it to come back (authorization code with PKCE),\nlike `aws sso login`. The sign-in is shared with the AWS CLI through ~/.aws/sso/cache.',
    )
    .action(
      async (name: string | undefined, options: { deviceCode?: boolean; browser: boolean }) => {
        const ctx = context();
        const catalog = await loadProfiles();
        const session = pickSession(catalog, name);
        const services = await ssoServicesFor(ctx);
        const controller = new AbortController();
        const cancel = () => controller.abort();
        process.once('SIGINT', cancel);
        try {
          ctx.stderr(`Signing in to ${sessionLabel(session)} (${session.startUrl})...\n`);
          const found = await services.signInAndDiscover(session, {
            flow: options.deviceCode ? 'device' : 'pkce',
            signal: controller.signal,
            prompt: {
              showDeviceCode: ({ userCode, verificationUri, verificationUriComplete }) =>
                ctx.stderr(
                  `To sign in, open ${verificationUriComplete ?? verificationUri}\nand confirm the code ${userCode}. Waiting for approval (Ctrl-C to cancel)...\n`,
                ),
              openUrl: (url) => (options.browser ? openInBrowser(url) : Promise.resolve(false)),
              showUrl: (url) =>
                ctx.stderr(
                  `Open this URL in a browser on this machine to sign in (Ctrl-C to cancel):\n  ${url}\n`,
                ),
            },
            onSignedIn: (token) =>
              ctx.stderr(
                `Signed in; the session is valid until ${new Date(token.expiresAt).toISOString()}.\n`,
              ),
            onProgress: (progress) =>
              ctx.stderr(
                `\rDiscovering roles: ${progress.accountsDone}/${progress.accountsListed} accounts, ${progress.roles} roles`,
              ),
          });
          ctx.stderr(
            `\nFound ${found.roles} roles in ${found.accounts} accounts. List them with \`rolecall profiles\`.\n`,
          );
        } finally {
          process.removeListener('SIGINT', cancel);
        }
      },
    );

  program
    .command('logout')
    .description('Sign out of IAM Identity Center and stop serving the roles that depend on it.')
    .argument('[session]', 'sso-session name (or legacy start URL); needed when there are several')
    .action(async (name: string | undefined) => {
      const ctx = context();
      const catalog = await loadProfiles();
      const session = pickSession(catalog, name);
      const services = await ssoServicesFor(ctx);
      const { wasSignedIn, dependents: dependent } = await services.signOut(session);
      let unloaded = 0;
      if (await findServer(ctx.home)) {
        const client = await connect(ctx.home, ctx.secrets);
        const snapshot = await client.call('getSnapshot');
        for (const entry of snapshot.entries) {
          if (!dependent.has(entry.profile)) continue;
          await client.call('unloadProfile', { profile: entry.profile });
          unloaded += 1;
        }
      }
      if (!wasSignedIn && unloaded === 0) {
        throw new RolecallError(
          'not-signed-in',
          `You were not signed in to ${sessionLabel(session)}.`,
          404,
        );
      }
      ctx.stderr(
        `Signed out of ${sessionLabel(session)}${unloaded ? `; stopped serving ${unloaded} profile${unloaded === 1 ? '' : 's'}` : ''}.\n`,
      );
    });
}
