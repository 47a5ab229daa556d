import { Option, type Command } from 'commander';
import {
  addOAuthToken,
  oauthDefinitionOf,
  type NewOAuthToken,
} from '../../core/oauth/add-oauth-token';
import { addCognitoToken, cognitoTokenDefinitionOf } from '../../core/cognito/add-cognito-token';
import { checkSecretStore } from '../../core/secrets/keytar-store';
import { tokenBody } from '../../core/server/token-routes';
import { currentToken, listTokens, removeToken, unknownToken } from '../../core/tokens/token-admin';
import type { TokenSourceDeps } from '../../core/tokens/token-kinds';
import type { CliContext } from '../context';
import { formatTable } from '../table';
import { readHiddenOrCancel } from '../read-hidden';
import type { Terminal } from '../terminal';
import { UsageError } from '../usage-error';

/** A client secret or a refresh token is under a few kilobytes. */
const STDIN_LIMIT = { bytes: 64 * 1024, expected: 'one secret' };

interface AddOptions {
  tokenUrl?: string;
  clientId?: string;
  cognitoProfile?: string;
  scope?: string[];
  audience?: string;
  param?: string[];
  auth: 'basic' | 'post';
  clientSecretStdin?: boolean;
  refreshTokenStdin?: boolean;
  refreshBefore?: number;
  every?: number;
  lazy?: boolean;
}

export function registerOAuth(program: Command, context: () => CliContext): void {
  const oauth = program
    .command('oauth')
    .description('Keep OAuth2 access tokens fresh, with their secrets in the OS keychain.')
    .addHelpText(
      'after',
      '\nEach token is renewed ahead of expiry by a running Rolecall and served at\n' +
        'GET /oauth/<name> on the credentials server, or printed by `rolecall oauth token`:\n' +
        '  curl -H "Authorization: Bearer $(rolecall oauth token api)" https://api.example.com/',
    );

  oauth
    .command('add')
    .description(
      "Add (or replace) a token: client credentials, a refresh token, or a Cognito profile's user pool tokens.",
    )
    .argument('<name>', 'what to call the token (letters, digits, ".", "_", "-")')
    .option('--token-url <url>', "the issuer's token endpoint (https)")
    .option('--client-id <id>', 'the OAuth2 client ID')
    .option(
      '--cognito-profile <profile>',
      "serve this Amazon Cognito profile's user pool tokens instead (no --token-url or --client-id)",
    )
    .option('--scope <scope>', 'a scope to ask for (repeat for more)', collect)
    .option('--audience <audience>', 'the API the token is for (Auth0 and others)')
    .option('--param <key=value>', 'another form field to send (repeat for more)', collect)
    .addOption(
      new Option('--auth <method>', 'how the client secret is sent')
        .choices(['basic', 'post'])
        .default('basic'),
    )
    .option('--client-secret-stdin', 'read the client secret from standard input')
    .option('--refresh-token-stdin', 'read a refresh token from standard input')
    .option('--refresh-before <seconds>', 'renew this long before expiry', positiveInteger)
    .option('--every <seconds>', 'renew at least this often', positiveInteger)
    .option('--lazy', 'renew only when the token is asked for')
    .addHelpText(
      'after',
      '\nWithout a --…-stdin flag, asks on the terminal without showing what you type: the client\n' +
        'secret (Enter for none), then a refresh token (Enter for none: client credentials).\n' +
        'Secrets are never taken from the command line. The first token is fetched before the\n' +
        'command returns; if the issuer refuses, nothing is added and its answer is the error.\n' +
        "With --cognito-profile, nothing is asked: the profile's password and tokens are already in\n" +
        'the keychain (`rolecall cognito set-password`), and are shared with its AWS credentials.',
    )
    .action(async (name: string, options: AddOptions) => {
      const ctx = context();
      if (options.cognitoProfile !== undefined) {
        await addFromCognito(ctx, name, options.cognitoProfile, options);
        return;
      }
      if (!options.tokenUrl || !options.clientId) {
        throw new UsageError(
          'An OAuth2 token needs --token-url and --client-id (or --cognito-profile for the user pool tokens of an Amazon Cognito profile).',
        );
      }
      if (options.clientSecretStdin && options.refreshTokenStdin) {
        throw new UsageError(
          '--client-secret-stdin and --refresh-token-stdin each read all of standard input; give one, or neither to be asked on the terminal.',
        );
      }
      const described: NewOAuthToken = {
        name,
        tokenUrl: options.tokenUrl,
        clientId: options.clientId,
        scopes: options.scope ?? [],
        params: parseParams(options.param ?? []),
        auth: options.auth,
        lazy: options.lazy ?? false,
        ...(options.audience ? { audience: options.audience } : {}),
        ...(options.refreshBefore ? { refreshBeforeSeconds: options.refreshBefore } : {}),
        ...(options.every ? { everySeconds: options.every } : {}),
      };
      // Everything but the secrets is checked before anyone types one.
      oauthDefinitionOf(described);
      await checkSecretStore(ctx.secrets);
      const secrets = await readSecrets(ctx, name, options);
      const added = await addOAuthToken({ ...described, ...secrets }, deps(ctx));
      const expiry = added.token.expiresAt
        ? `it expires at ${new Date(added.token.expiresAt).toISOString()}`
        : 'the issuer named no expiry';
      ctx.stderr(
        `${added.replaced ? 'Replaced' : 'Added'} token ${name} (${added.definition.grant === 'client_credentials' ? 'client credentials' : 'refresh token'}); ${expiry}.\n` +
          `Use it: curl -H "Authorization: Bearer $(rolecall oauth token ${name})" …, or GET /oauth/${name} on the credentials server.\n`,
      );
    });

  oauth
    .command('list')
    .description('List the tokens, with the expiry of the one held (never the token).')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const { rows, warnings } = await listTokens(deps(ctx));
      for (const warning of warnings) ctx.stderr(`warning: ${warning}\n`);
      if (options.json) {
        ctx.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      } else if (rows.length === 0) {
        ctx.stderr(
          'No tokens yet; add one with `rolecall oauth add <name> --token-url … --client-id …`.\n',
        );
      } else {
        ctx.stdout(
          formatTable(
            ['NAME', 'KIND', 'EXPIRES', 'RENEWED'],
            rows.map((row) => [
              row.name,
              row.description,
              row.state === 'none' ? '(no token held)' : (row.expiresAt ?? 'never said'),
              renewal(row.refresh),
            ]),
          ),
        );
      }
    });

  oauth
    .command('remove')
    .description('Remove a token, and its secrets from the keychain.')
    .argument('<name>', 'the token to remove')
    .action(async (name: string) => {
      const ctx = context();
      if (!(await removeToken(name, deps(ctx)))) throw unknownToken(name);
      ctx.stderr(`Removed token ${name} and its secrets.\n`);
    });

  oauth
    .command('token')
    .description('Print the access token (renewed first when it is due).')
    .argument('<name>', 'the token to print')
    .option('--json', 'print access_token, token_type, expires_at, scope and id_token as JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const ctx = context();
      const token = await currentToken(name, deps(ctx));
      ctx.stdout(options.json ? `${JSON.stringify(tokenBody(token))}\n` : `${token.accessToken}\n`);
    });
}

async function addFromCognito(
  ctx: CliContext,
  name: string,
  profile: string,
  options: AddOptions,
): Promise<void> {
  const oauthOnly = (
    [
      ['--token-url', options.tokenUrl],
      ['--client-id', options.clientId],
      ['--scope', options.scope],
      ['--audience', options.audience],
      ['--param', options.param],
      ['--client-secret-stdin', options.clientSecretStdin],
      ['--refresh-token-stdin', options.refreshTokenStdin],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (oauthOnly.length > 0) {
    throw new UsageError(
      `${oauthOnly.map(([flag]) => flag).join(', ')} ${oauthOnly.length === 1 ? 'is' : 'are'} for OAuth2 clients; --cognito-profile takes the user pool, app client and secrets from the profile and the keychain.`,
    );
  }
  const described = {
    name,
    profile,
    lazy: options.lazy ?? false,
    ...(options.refreshBefore ? { refreshBeforeSeconds: options.refreshBefore } : {}),
    ...(options.every ? { everySeconds: options.every } : {}),
  };
  cognitoTokenDefinitionOf(described);
  await checkSecretStore(ctx.secrets);
  const added = await addCognitoToken(described, deps(ctx));
  ctx.stderr(
    `${added.replaced ? 'Replaced' : 'Added'} token ${name} (the user pool tokens of profile ${profile}); it expires at ${new Date(added.token.expiresAt!).toISOString()}.\n` +
      `Use it: curl -H "Authorization: Bearer $(rolecall oauth token ${name})" …, or GET /oauth/${name} on the credentials server (id_token beside access_token).\n`,
  );
}

function deps(ctx: CliContext): TokenSourceDeps {
  return {
    home: ctx.home,
    secrets: ctx.secrets,
    now: Date.now,
    onWarning: (message) => ctx.stderr(`warning: ${message}\n`),
  };
}

function renewal(refresh: {
  beforeSeconds?: number;
  everySeconds?: number;
  lazy?: boolean;
}): string {
  const parts = [
    refresh.beforeSeconds ? `${refresh.beforeSeconds} s before expiry` : 'before expiry',
    ...(refresh.everySeconds ? [`every ${refresh.everySeconds} s`] : []),
  ];
  return `${parts.join(' or ')}${refresh.lazy ? ', when asked' : ''}`;
}

async function readSecrets(
  ctx: CliContext,
  name: string,
  options: AddOptions,
): Promise<{ clientSecret?: string; refreshToken?: string }> {
  if (options.clientSecretStdin || options.refreshTokenStdin) {
    const flag = options.clientSecretStdin ? '--client-secret-stdin' : '--refresh-token-stdin';
    if (ctx.stdinIsTerminal) {
      throw new UsageError(
        `${flag} reads from a pipe or a file, and standard input is a terminal; leave it out to be asked without echo.`,
      );
    }
    const text = ((await ctx.readStdin?.(STDIN_LIMIT)) ?? '').replace(/\r?\n$/, '');
    if (text.trim() === '' || /[\r\n]/.test(text)) {
      throw new UsageError(`${flag} expects one line on standard input, the secret alone.`);
    }
    return options.clientSecretStdin
      ? { clientSecret: text.trim() }
      : { refreshToken: text.trim() };
  }
  const terminal = ctx.stdinIsTerminal ? (ctx.openTerminal?.('stdin') ?? null) : null;
  if (!terminal) {
    throw new UsageError(
      `There is no terminal to ask for the secret on; pipe it into \`rolecall oauth add ${name} … --client-secret-stdin\` (or --refresh-token-stdin).`,
    );
  }
  try {
    const clientSecret = await ask(terminal, `Client secret for ${name} (Enter for none): `);
    const refreshToken = await ask(
      terminal,
      `Refresh token for ${name} (Enter for none: client credentials): `,
    );
    if (!clientSecret && !refreshToken) {
      throw new UsageError('A token needs a client secret or a refresh token; nothing was added.');
    }
    return {
      ...(clientSecret ? { clientSecret } : {}),
      ...(refreshToken ? { refreshToken } : {}),
    };
  } finally {
    terminal.close();
  }
}

async function ask(terminal: Terminal, prompt: string): Promise<string> {
  return (await readHiddenOrCancel(terminal, prompt, 'Cancelled; nothing was added.')).trim();
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${JSON.stringify(value)} is not a whole number of seconds (1 or more).`);
  }
  return Number(value);
}

function parseParams(params: string[]): Record<string, string> {
  const form: Record<string, string> = {};
  for (const param of params) {
    const equals = param.indexOf('=');
    if (equals < 1) {
      throw new UsageError(`--param ${JSON.stringify(param)} is not key=value.`);
    }
    const key = param.slice(0, equals);
    if (['client_secret', 'refresh_token', 'grant_type', 'client_id'].includes(key)) {
      throw new UsageError(
        `--param ${key}=… is set by Rolecall itself${key === 'client_secret' || key === 'refresh_token' ? ', and a secret never belongs on the command line' : ''}.`,
      );
    }
    form[key] = param.slice(equals + 1);
  }
  return form;
}
