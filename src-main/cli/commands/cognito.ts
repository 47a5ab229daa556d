import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { profileNameProblem } from '../../../src-shared/profile-name';
import {
  addCognitoProfile,
  readForAdding,
  cognitoSettingsProblem,
  type CognitoSettings,
} from '../../core/cognito/add-cognito-profile';
import { createCognitoSecrets, type CognitoSecrets } from '../../core/cognito/cognito-secrets';
import { COGNITO_AUTH_FLOWS, regionOfPool } from '../../core/config/classify-cognito';
import { resolveProfileFiles } from '../../core/config/config-paths';
import type { CognitoAuthFlow } from '../../core/config/profile-config';
import { RolecallError } from '../../core/errors';
import { checkSecretStore } from '../../core/secrets/keytar-store';
import type { CliContext } from '../context';
import { InterruptedError } from '../interrupt';
import { readHiddenOrCancel } from '../read-hidden';
import type { Terminal } from '../terminal';
import { UsageError } from '../usage-error';

/** A password and a client secret are well under 300 bytes; this is room, not a limit of theirs. */
const STDIN_LIMIT = { bytes: 16 * 1024, expected: 'a password and a client secret' };

interface AddOptions {
  userPoolId?: string;
  clientId?: string;
  username?: string;
  identityPoolId?: string;
  roleArn?: string;
  authFlow?: string;
  region?: string;
  stdin?: boolean;
}

export function registerCognito(program: Command, context: () => CliContext): void {
  const cognito = program
    .command('cognito')
    .description(
      'Sign in to an Amazon Cognito user pool and identity pool as a source of credentials.',
    )
    .addHelpText(
      'after',
      '\nThe profile keeps its settings in ~/.aws/config; its password (and an app client secret)\n' +
        'only in the keychain. Set one up:\n' +
        '  rolecall cognito add app          # asks for the pools, the user and the password\n' +
        '  rolecall load app',
    );

  cognito
    .command('add')
    .description(
      "Write a Cognito profile's section into the AWS config file and keep its password in the keychain.",
    )
    .argument('<profile>', 'the name of the new profile')
    .option('--user-pool-id <id>', 'the user pool, e.g. eu-west-1_AbCdEf123')
    .option('--client-id <id>', "the user pool's app client ID")
    .option('--username <name>', 'the user to sign in as')
    .option(
      '--identity-pool-id <id>',
      'the identity pool that gives AWS credentials, e.g. eu-west-1:<uuid>',
    )
    .option(
      '--role-arn <arn>',
      "the identity pool's basic flow: assume this role (default: the pool's enhanced flow picks it)",
    )
    .option('--auth-flow <flow>', 'USER_SRP_AUTH (default) or USER_PASSWORD_AUTH')
    .option('--region <region>', "the profile's region (default: the user pool's)")
    .option(
      '--stdin',
      'read the password, and on a second line an app client secret, from standard input',
    )
    .addHelpText(
      'after',
      '\nAsks on the terminal for every setting not given as an option, then for the password and\n' +
        'the app client secret (left empty when the client has none) without showing them. The\n' +
        'section is added at the end of AWS_CONFIG_FILE (~/.aws/config), every other byte kept; a\n' +
        'profile the file already has is refused. Nothing secret is written to the file.',
    )
    .action(async (profile: string, options: AddOptions) => {
      const ctx = context();
      checkName(profile);
      const files = resolveProfileFiles({}, ctx.env);
      await checkSecretStore(ctx.secrets);
      // Said before anything is asked: a name the file already has is never overwritten.
      await readForAdding(files.configFile, profile);
      const settings = await askSettings(ctx, profile, options, files.configFile);
      const { password, clientSecret } = options.stdin
        ? secretsFromLines(await readPipe(ctx))
        : await askSecrets(ctx, profile, true);
      const secrets = createCognitoSecrets(ctx.secrets);
      await keep(secrets, profile, password, clientSecret);
      const outcome = await addCognitoProfile(files.configFile, profile, settings);
      const where =
        outcome === 'created'
          ? `Created ${files.configFile} with profile ${profile}`
          : `Added profile ${profile} to ${files.configFile}`;
      ctx.stderr(
        `${where}; its password${clientSecret ? ' and app client secret are' : ' is'} in the keychain. Load it with \`rolecall load ${profile}\`.\n`,
      );
    });

  cognito
    .command('set-password')
    .description("Keep a Cognito profile's password (or its app client secret) in the keychain.")
    .argument('<profile>', 'the Cognito profile the password is for')
    .option('--stdin', 'read the password from the first line of standard input')
    .option(
      '--client-secret-stdin',
      "read the app client's secret from the first line of standard input instead",
    )
    .addHelpText(
      'after',
      '\nWithout --stdin, asks for the password twice on the terminal without showing it. A\n' +
        'password is never taken from the command line, where other programs can read it. Rolecall\n' +
        'uses it for the next full sign-in (the refresh token renews until it expires). For scripts:\n' +
        '  printf "%s\\n" "$PASSWORD" | rolecall cognito set-password app --stdin',
    )
    .action(async (profile: string, options: { stdin?: boolean; clientSecretStdin?: boolean }) => {
      const ctx = context();
      checkName(profile);
      if (options.stdin && options.clientSecretStdin) {
        throw new UsageError(
          'Give --stdin or --client-secret-stdin, not both: standard input holds one of them at a time.',
        );
      }
      await checkSecretStore(ctx.secrets);
      const secrets = createCognitoSecrets(ctx.secrets);
      if (options.clientSecretStdin) {
        const secret = firstLine(await readPipe(ctx, '--client-secret-stdin'));
        if (secret === '')
          throw new RolecallError(
            'empty-secret',
            '--client-secret-stdin read an empty line; pipe in the secret.',
            400,
          );
        await keep(secrets, profile, null, secret);
        ctx.stderr(`Stored the app client secret of profile ${profile} in the keychain.\n`);
        return;
      }
      const password = options.stdin
        ? firstLine(await readPipe(ctx))
        : (await askSecrets(ctx, profile, false)).password;
      if (password === '')
        throw new RolecallError(
          'empty-password',
          '--stdin read an empty line; pipe in the password.',
          400,
        );
      await keep(secrets, profile, password, null);
      ctx.stderr(`Stored the Amazon Cognito password of profile ${profile} in the keychain.\n`);
    });
}

function checkName(profile: string): void {
  const problem = profileNameProblem(profile);
  if (problem !== null) {
    throw new UsageError(
      `The profile name ${problem}; Rolecall serves no profile under such a name.`,
    );
  }
}

/** Stores what was given and reads it back, so a keychain that took nothing is said. */
async function keep(
  secrets: CognitoSecrets,
  profile: string,
  password: string | null,
  clientSecret: string | null,
): Promise<void> {
  if (password !== null) await secrets.setPassword(profile, password);
  if (clientSecret !== null) await secrets.setClientSecret(profile, clientSecret);
  const kept =
    (password === null || (await secrets.password(profile)) === password) &&
    (clientSecret === null || (await secrets.clientSecret(profile)) === clientSecret);
  if (!kept) {
    throw new RolecallError(
      'keychain-not-confirmed',
      `The keychain did not give back what was just stored for profile ${profile}; check your keychain and try again.`,
      503,
    );
  }
}

async function readPipe(ctx: CliContext, flag = '--stdin'): Promise<string> {
  if (ctx.stdinIsTerminal) {
    throw new UsageError(
      `${flag} reads from a pipe or a file, and standard input is a terminal; leave out ${flag} to be asked without echo.`,
    );
  }
  return (await ctx.readStdin?.(STDIN_LIMIT)) ?? '';
}

function firstLine(text: string): string {
  return text.split(/\r\n|\r|\n/)[0] ?? '';
}

/** The password on the first line; an app client secret, if any, on the second. */
function secretsFromLines(text: string): { password: string; clientSecret: string | null } {
  const [password = '', secret = ''] = text.split(/\r\n|\r|\n/);
  if (password === '') {
    throw new RolecallError(
      'empty-password',
      '--stdin read no password on the first line; pipe it in.',
      400,
    );
  }
  return { password, clientSecret: secret === '' ? null : secret };
}

/** The password (typed twice) and, when asked for, the app client secret, hidden. */
async function askSecrets(
  ctx: CliContext,
  profile: string,
  withClientSecret: boolean,
): Promise<{ password: string; clientSecret: string | null }> {
  const terminal = ctx.stdinIsTerminal ? (ctx.openTerminal?.('stdin') ?? null) : null;
  if (!terminal) {
    throw new UsageError(
      `There is no terminal to ask for the password on; pipe it into \`rolecall cognito ${withClientSecret ? 'add' : 'set-password'} ${profile} --stdin\`.`,
    );
  }
  try {
    for (;;) {
      const password = await hidden(terminal, `Amazon Cognito password for ${profile}: `);
      if (password === '') {
        terminal.write('The password is empty; type it, or press Ctrl-C to stop.\n');
        continue;
      }
      if ((await hidden(terminal, 'Type it again: ')) !== password) {
        terminal.write('The two did not match; type the password again.\n');
        continue;
      }
      const secret = withClientSecret
        ? await hidden(terminal, 'App client secret (leave empty if the app client has none): ')
        : '';
      return { password, clientSecret: secret === '' ? null : secret };
    }
  } finally {
    terminal.close();
  }
}

function hidden(terminal: Terminal, prompt: string): Promise<string> {
  return readHiddenOrCancel(terminal, prompt, 'Cancelled; nothing was stored.');
}

/** Every setting, from the options or asked on the terminal, checked as a whole before any write. */
async function askSettings(
  ctx: CliContext,
  profile: string,
  options: AddOptions,
  configFile: string,
): Promise<CognitoSettings> {
  const given = {
    userPoolId: options.userPoolId,
    clientId: options.clientId,
    username: options.username,
    identityPoolId: options.identityPoolId,
  };
  const missing = Object.entries(given).filter(([, value]) => value === undefined);
  let ask: ((prompt: string) => Promise<string>) | null = null;
  let close = () => {};
  if (missing.length > 0) {
    if (!ctx.stdinIsTerminal || options.stdin) {
      const flags = missing.map(
        ([key]) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      );
      throw new UsageError(
        `There is no terminal to ask for the settings on; give ${flags.join(', ')}.`,
      );
    }
    const lines = createInterface({ input: process.stdin, output: process.stderr });
    let interrupted = false;
    lines.on('SIGINT', () => {
      interrupted = true;
      lines.close();
    });
    close = () => lines.close();
    ask = async (prompt) => {
      try {
        return (await lines.question(prompt)).trim();
      } catch (error) {
        if (
          interrupted ||
          (error as { code?: string }).code === 'ABORT_ERR' ||
          (error as Error).message === 'readline was closed'
        )
          throw new InterruptedError('Cancelled; nothing was written or stored.');
        throw error;
      }
    };
  }
  try {
    const value = async (current: string | undefined, prompt: string) =>
      current ?? (ask ? await ask(prompt) : '');
    const userPoolId = await value(given.userPoolId, 'User pool ID (e.g. eu-west-1_AbCdEf123): ');
    const clientId = await value(given.clientId, 'App client ID: ');
    const username = await value(given.username, 'Username: ');
    const identityPoolId = await value(
      given.identityPoolId,
      'Identity pool ID (e.g. eu-west-1:<uuid>): ',
    );
    const roleArn =
      options.roleArn ??
      (ask
        ? await ask(
            "Role ARN for the identity pool's basic flow (leave empty for the enhanced flow): ",
          )
        : '');
    const flow = (options.authFlow ?? 'USER_SRP_AUTH').toUpperCase();
    if (!COGNITO_AUTH_FLOWS.includes(flow as CognitoAuthFlow)) {
      throw new UsageError(
        `--auth-flow is ${JSON.stringify(options.authFlow)}; give USER_SRP_AUTH or USER_PASSWORD_AUTH.`,
      );
    }
    const settings: CognitoSettings = {
      userPoolId,
      clientId,
      username,
      identityPoolId,
      ...(roleArn ? { roleArn } : {}),
      authFlow: flow as CognitoAuthFlow,
      region: options.region ?? regionOfPool(userPoolId) ?? '',
    };
    if (settings.region === '') settings.region = regionOfPool(identityPoolId) ?? 'us-east-1';
    const problem = cognitoSettingsProblem(profile, settings, configFile);
    if (problem !== null)
      throw new RolecallError(
        'invalid-cognito-settings',
        `${problem} Nothing was written or stored.`,
        400,
      );
    return settings;
  } finally {
    close();
  }
}
