import { Option, type Command } from 'commander';
import type { ProfileInfo } from '../../../src-shared/profile';
import { authorizationValue } from '../../core/server/authorization-value';
import { getOrCreateBearerToken, withBearerToken } from '../../core/bearer-token';
import { DEFAULT_HOST, DEFAULT_PORT, urlHost } from '../../core/default-address';
import { connect, findServer } from '../client';
import type { CliContext } from '../context';
import { containerEnv, formatEnv, type EnvFormat } from '../../core/env-format';
import { explicitPort, parseEnvFormat } from '../options';
import { defaultProfileShadows, defaultProfileWithCredentials } from '../exec/default-profile';
import { requireOwnSlot } from '../profile-check';

/** Variables that make every AWS SDK and CLI ask Rolecall for credentials. */
export function registerEnv(program: Command, context: () => CliContext): void {
  program
    .command('env')
    .description('Print the environment that points AWS CLIs and SDKs at Rolecall.')
    .option(
      '--profile <profile>',
      "use this profile's own slot (loaded with `rolecall load <profile> --slot`) instead of the default slot",
    )
    .addOption(
      new Option('--format <format>', 'shell syntax: sh (also bash, zsh), fish, powershell or json')
        .default('sh')
        .argParser(parseEnvFormat),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  eval "$(rolecall env)"                    # bash, zsh\n  rolecall env --format fish | source       # fish\n  rolecall env --format powershell | iex    # PowerShell\n  eval "$(rolecall env --profile prod)"     # a script that needs the prod slot',
    )
    .action(async (options: { profile?: string; format: EnvFormat }) => {
      const ctx = context();
      const server = await findServer(ctx.home);
      // One keychain read of the token serves both the variables and the calls to the server.
      const token = await getOrCreateBearerToken(ctx.secrets);
      let base: string;
      let found: Promise<ProfileInfo | null> = Promise.resolve(null);
      if (server) {
        base = server.url;
        const client = await connect(ctx.home, withBearerToken(ctx.secrets, token));
        if (options.profile) await requireOwnSlot(client, options.profile);
        // Answered while the variables are written; an older server has no such call.
        found = client.call('awsDefaultProfile').catch(() => null);
      } else {
        // Only without a server are the settings read: a shell's start-up should not pay for them.
        const { loadSettings } = await import('../../core/settings/settings');
        const port =
          explicitPort(undefined, ctx.env) ??
          (await loadSettings(ctx.home)).settings.server?.port ??
          DEFAULT_PORT;
        base = `http://${urlHost(DEFAULT_HOST)}:${port}/`;
        const then = options.profile
          ? ` and load ${options.profile} with \`rolecall load ${options.profile} --slot\``
          : '';
        ctx.stderr(
          `warning: Rolecall is not running; start it with \`rolecall serve\`${then} before using ${base}\n`,
        );
      }
      const variables = containerEnv({
        url: base,
        authorization: authorizationValue(token),
        ...(server?.caFile ? { caFile: server.caFile } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
      });
      if (server?.caFile) {
        ctx.stderr(TLS_NOTE);
      }
      ctx.stdout(formatEnv(variables, options.format));
      const warnings = shadowingWarnings(ctx.env);
      const fallback = defaultProfileWithCredentials([await found].filter((each) => each !== null));
      if (fallback && options.profile !== 'default') {
        const runsAs = options.profile ?? 'the profile in the default slot';
        warnings.push(
          `${defaultProfileShadows(fallback, runsAs)}; move them into a named profile.`,
        );
      }
      for (const warning of warnings) ctx.stderr(`warning: ${warning}\n`);
    });
}

/**
 * What trusts the HTTPS endpoint, as test/tls.int.test.ts and test/trust.int.test.ts show it;
 * docs/tls.md has the whole table.
 */
export const TLS_NOTE =
  'note: the AWS SDK for JavaScript trusts this endpoint through NODE_EXTRA_CA_CERTS. botocore (boto3) and\n' +
  'the AWS CLI ignore AWS_CA_BUNDLE for it: give them a profile with\n' +
  '`credential_process = rolecall credential-process --profile <p>` (docs/tls.md says where `rolecall trust` helps).\n';

/** SDKs try these before the container endpoint, so Rolecall would silently not be asked. */
export function shadowingWarnings(env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  if (env.AWS_ACCESS_KEY_ID) {
    warnings.push(
      'AWS_ACCESS_KEY_ID is set; SDKs use it before Rolecall. Unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.',
    );
  }
  if (env.AWS_PROFILE) {
    warnings.push(
      `AWS_PROFILE=${env.AWS_PROFILE} is set; SDKs use that profile before Rolecall. Unset AWS_PROFILE.`,
    );
  }
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) {
    warnings.push(
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set and takes precedence over the full URI. Unset it.',
    );
  }
  return warnings;
}
