import type { Command } from 'commander';
import { loadedMadeFrom } from '../../../src-shared/made-from';
import { loadProfiles } from '../../core/config/profiles';
import { errorMessage } from '../../core/errors';
import { signInQuestionKey } from '../../core/sso/sign-in-question';
import type { SsoSessionRef } from '../../core/sso/types';
import { sessionLabel } from '../../core/sso/session-key';
import { waitingWhere } from '../../core/sso/sign-in-lock';
import { pickSession } from '../../core/sso/sso-sessions';
import { ssoServicesFor } from '../sso-services';
import { findServer, connect } from '../client';
import type { CliContext } from '../context';
import { discoveryProgressView } from '../discovery-progress';
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
    .option(
      '--cancel',
      'cancel the sign-in to this session that is waiting, wherever it was started',
    )
    .addHelpText(
      'after',
      '\nBy default Rolecall opens your browser and waits for it to come back (authorization code with PKCE),\nlike `aws sso login`. The sign-in is shared with the AWS CLI through ~/.aws/sso/cache.\nOne sign-in per session runs at a time (here, in the window or the web UI); a second one says\nwhere the first is waiting. Ctrl-C cancels a sign-in started here.',
    )
    .action(
      async (
        name: string | undefined,
        options: { deviceCode?: boolean; browser: boolean; cancel?: boolean },
      ) => {
        const ctx = context();
        const catalog = await loadProfiles();
        const session = pickSession(catalog, name);
        const services = await ssoServicesFor(ctx);
        const label = sessionLabel(session);
        if (options.cancel) {
          const cancelled = await services.cancelSignIn(session);
          ctx.stderr(
            cancelled
              ? `Cancelled the sign-in to ${label} that was waiting ${waitingWhere(cancelled)}.\n`
              : `No sign-in to ${label} is waiting.\n`,
          );
          return;
        }
        const controller = new AbortController();
        const cancel = () => controller.abort();
        process.once('SIGINT', cancel);
        const progress = discoveryProgressView(ctx.stderr, ctx.stderrIsTerminal);
        let toldServer: Promise<void> = Promise.resolve();
        try {
          ctx.stderr(`Signing in to ${label} (${session.startUrl})...\n`);
          const found = await services.signInAndDiscover(session, {
            flow: options.deviceCode ? 'device' : 'pkce',
            startedBy: 'terminal',
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
            onSignedIn: (token) => {
              ctx.stderr(
                `Signed in; the session is valid until ${new Date(token.expiresAt).toISOString()}.\n`,
              );
              // Profiles of the running Rolecall that wait for this sign-in go on now, not
              // after the roles are listed.
              toldServer = answerSignInQuestion(ctx, session);
            },
            onProgress: (report) => progress.update(report),
          });
          progress.end();
          ctx.stderr(
            `Found ${found.roles} roles in ${found.accounts} accounts. List them with \`rolecall profiles\`.\n`,
          );
        } finally {
          await toldServer;
          progress.end();
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
        let snapshot = await client.call('getSnapshot');
        // Roles assumed from the session's roles go too, first: a profile others are made from
        // stays loaded while they are, and goes with the last of them.
        const stopping = loadedMadeFrom(snapshot, dependent);
        for (const profile of stopping) {
          if (!snapshot.entries.some((entry) => entry.profile === profile)) continue;
          snapshot = await client.call('unloadProfile', { profile });
        }
        unloaded = stopping.length;
      }
      // Signing out twice leaves the user exactly where they asked to be: not a failure.
      if (!wasSignedIn && unloaded === 0) {
        ctx.stderr(`You were not signed in to ${sessionLabel(session)}.\n`);
        return;
      }
      ctx.stderr(
        `Signed out of ${sessionLabel(session)}${unloaded ? `; stopped serving ${unloaded} profile${unloaded === 1 ? '' : 's'}` : ''}.\n`,
      );
    });
}

/**
 * Tells the running Rolecall, if any, that the session is signed in, when its profiles wait for
 * that (the question `sso:<session>`). The server checks the keychain itself; a failure only
 * leaves them waiting, so it is a warning saying how to tell it again.
 */
async function answerSignInQuestion(ctx: CliContext, session: SsoSessionRef): Promise<void> {
  const key = signInQuestionKey(session);
  try {
    if (!(await findServer(ctx.home))) return;
    const client = await connect(ctx.home, ctx.secrets);
    const snapshot = await client.call('getSnapshot');
    if (!snapshot.inputRequests?.some((question) => question.key === key)) return;
    await client.call('answerInput', { key, answer: 'signed-in' });
  } catch (error) {
    ctx.stderr(
      `rolecall: warning: could not tell the running Rolecall about the sign-in (${errorMessage(error)}); \`rolecall answer ${sessionLabel(session)}\` does.\n`,
    );
  }
}
