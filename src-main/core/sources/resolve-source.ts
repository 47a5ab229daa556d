import {
  assertReadable,
  findProfile,
  loadProfiles,
  toProfileInfo,
  type ProfileCatalog,
  type ProfileFiles,
} from '../config/profiles';
import type { ProfileConfig } from '../config/profile-config';
import type { KeyStore } from '../keys/key-store';
import { errorMessage } from '../errors';
import type { SessionTokens } from '../sso/session-tokens';
import type { CreateStsClient } from '../sts/sts-client';
import { createSsoSource } from '../sso/sso-source';
import { sessionOfProfile } from '../sso/sso-sessions';
import type { DiscoveredProfile } from '../sso/discovered-profiles';
import type { CognitoClients } from '../cognito/cognito-clients';
import type { CognitoSecrets } from '../cognito/cognito-secrets';
import { createAssumeRoleSource, type AssumeRoleSigner } from './assume-role';
import type { CognitoSource } from './cognito';
import { createLoginSessionSource } from './login-session';
import { readLongLivedKeys } from './long-lived-keys';
import { createProcessSource } from './process';
import { createSessionTokenSource } from './session-token';
import { SourceError, type CredentialSource } from './source';
import { createWebIdentitySource } from './web-identity';
import { SOURCE_PROFILE_ENV } from './source-profile-env';

export { SOURCE_PROFILE_ENV };

export interface SourceResolverOptions {
  files?: ProfileFiles;
  /** IAM Identity Center: tokens per session, and roles discovered by signing in. */
  sso?: {
    tokens: SessionTokens;
    discovered: () => Promise<DiscoveredProfile[]>;
  };
  /** Long-lived keys kept in the keychain (`rolecall keys`). */
  keys?: KeyStore;
  /** Makes the STS clients of assumed roles, session credentials and web identity. */
  createStsClient?: CreateStsClient;
  /** How long session credentials made from long-lived keys last (GetSessionToken), read at each renewal. */
  sessionDurationSeconds?: () => number;
  /** Told about keys still in a file, at every renewal that reads them. */
  onWarning?: (sentence: string) => void;
  /** Amazon Cognito: the keychain's passwords and tokens, and the SDK's clients by default. */
  cognito?: { secrets: CognitoSecrets; clients?: CognitoClients };
}

/** GetSessionToken's own default, and aws-vault's: a working day and then some. */
export const DEFAULT_SESSION_DURATION_SECONDS = 12 * 60 * 60;

/**
 * Reads the AWS config afresh and builds the source for one profile. Calls that arrive while a
 * read is under way share it, so restoring 1,000 slots parses the files once, not 1,000 times.
 *
 * While either file is one Rolecall refuses, every profile fails with the refusal — on load and
 * on every renewal of a profile loaded before (the broker then keeps serving what it holds until
 * it expires) — so nothing is ever fetched from a source the user did not name.
 */
export function createSourceResolver(options: SourceResolverOptions = {}) {
  let reading: Promise<CatalogRead> | null = null;
  const readCatalog = () =>
    (reading ??= readWithKeychain(options).finally(() => {
      reading = null;
    }));
  const resolve = async (profile: string): Promise<CredentialSource> => {
    const { catalog, keychainProblem } = await readCatalog();
    assertReadable(catalog);
    const sso = options.sso;
    // Profiles in ~/.aws/config win over discovered roles of the same name.
    if (sso && !catalog.profiles.some((config) => config.name === profile)) {
      const found = (await sso.discovered()).find((candidate) => candidate.name === profile);
      const discovered = found && detached(found);
      if (discovered) {
        return createSsoSource({
          profile,
          session: discovered.session,
          accountId: discovered.role.accountId,
          roleName: discovered.role.roleName,
          tokens: sso.tokens,
        });
      }
    }
    let config: ProfileConfig;
    try {
      config = detached(findProfile(catalog, profile));
    } catch (error) {
      // Its keys may be in the keychain that could not be read.
      if (keychainProblem === null || !(error instanceof SourceError)) throw error;
      throw new SourceError(profile, error.failure, `${error.message} ${keychainProblem}`, {
        cause: error,
      });
    }
    const info = toProfileInfo(config);
    const built = info.loadable ? sourceFor(config, catalog, options) : null;
    if (built) return built;
    throw new SourceError(
      profile,
      'not-loadable',
      `Profile ${profile} cannot be loaded: ${info.notLoadableReason ?? 'its kind is not supported'}.`,
    );
  };
  return async (profile: string): Promise<CredentialSource> => {
    const source = await resolve(profile);
    return {
      profile: source.profile,
      ...(source.parents ? { parents: source.parents } : {}),
      // The context carries the signal that stops a fetch nobody waits for any more.
      fetch: async (context) => {
        assertReadable((await readCatalog()).catalog);
        return source.fetch(context);
      },
    };
  };
}

interface CatalogRead {
  catalog: ProfileCatalog;
  /** Why the keychain's list of profiles with keys could not be read, or null. */
  keychainProblem: string | null;
}

/**
 * The catalog with the profiles whose keys the keychain holds. A keychain that can't be listed
 * leaves them out (every other profile still loads) and says so where a profile is not found.
 */
async function readWithKeychain(options: SourceResolverOptions): Promise<CatalogRead> {
  let keychain: string[] = [];
  let keychainProblem: string | null = null;
  try {
    keychain = (await options.keys?.profiles()) ?? [];
  } catch (error) {
    keychainProblem = `(The keychain, where \`rolecall keys\` keeps long-lived keys, could not be read: ${errorMessage(error)})`;
  }
  return { catalog: await loadProfiles(options.files, keychain), keychainProblem };
}

/** The source of a loadable profile, or null for a kind this Rolecall cannot serve. */
function sourceFor(
  config: ProfileConfig,
  catalog: ProfileCatalog,
  options: SourceResolverOptions,
): CredentialSource | null {
  const profile = config.name;
  const files = catalog.files;
  const sts = (): CreateStsClient => {
    if (options.createStsClient) return options.createStsClient;
    throw new SourceError(
      profile,
      'not-loadable',
      `Profile ${profile} cannot be loaded: this Rolecall makes no calls to AWS STS.`,
    );
  };
  const keysOf = (owner: string) => () =>
    readLongLivedKeys({
      profile: owner,
      files,
      ...(options.keys ? { keyStore: options.keys } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
  const region = config.region ? { region: config.region } : {};
  switch (config.kind) {
    case 'credential_process':
      return createProcessSource({
        profile,
        command: config.credentialProcess,
        definedIn: config.definedIn,
        env: { ...process.env, [SOURCE_PROFILE_ENV]: profile },
      });
    case 'sso':
    case 'sso-legacy':
      if (!options.sso || !config.accountId || !config.roleName) return null;
      return createSsoSource({
        profile,
        session: detached(sessionOfProfile(config, catalog)),
        accountId: config.accountId,
        roleName: config.roleName,
        tokens: options.sso.tokens,
      });
    case 'static':
      return createSessionTokenSource({
        profile,
        ...region,
        ...(config.sessionMfa ? { mfa: config.sessionMfa } : {}),
        durationSeconds: options.sessionDurationSeconds ?? (() => DEFAULT_SESSION_DURATION_SECONDS),
        keys: keysOf(profile),
        createStsClient: sts(),
      });
    case 'assume-role': {
      const from = config.source!;
      const signer: AssumeRoleSigner =
        from.kind === 'parent'
          ? { kind: 'parent', profile: from.profile }
          : from.kind === 'keys'
            ? { kind: 'keys', profile: from.profile, read: keysOf(from.profile) }
            : { kind: 'credential-source', name: from.name };
      const mfaCarried = from.kind === 'parent' && from.mfaCarried;
      return createAssumeRoleSource({
        profile,
        roleArn: config.roleArn,
        signer,
        ...region,
        ...(config.roleSessionName !== undefined
          ? { roleSessionName: config.roleSessionName }
          : {}),
        ...(config.externalId !== undefined ? { externalId: config.externalId } : {}),
        ...(config.durationSeconds !== undefined
          ? { durationSeconds: config.durationSeconds }
          : {}),
        ...(config.stsRegionalEndpoints
          ? { stsRegionalEndpoints: config.stsRegionalEndpoints }
          : {}),
        ...(config.mfa && !mfaCarried ? { mfa: config.mfa } : {}),
        createStsClient: sts(),
      });
    }
    case 'web-identity':
      return createWebIdentitySource({
        profile,
        roleArn: config.roleArn,
        tokenFile: config.tokenFile,
        ...region,
        ...(config.roleSessionName !== undefined
          ? { roleSessionName: config.roleSessionName }
          : {}),
        ...(config.stsRegionalEndpoints
          ? { stsRegionalEndpoints: config.stsRegionalEndpoints }
          : {}),
        createStsClient: sts(),
      });
    case 'login-session':
      return createLoginSessionSource({ profile, loginSession: config.loginSession, files });
    case 'cognito': {
      if (!options.cognito) return null;
      const { secrets, clients } = options.cognito;
      const createStsClient = sts();
      // The AWS SDK's Cognito clients are loaded by the first fetch of a Cognito profile, not by
      // every start of Rolecall and the CLI, which most never need them.
      let loading: Promise<CognitoSource> | null = null;
      const cognito = () =>
        (loading ??= import('./cognito').then(({ createCognitoSource }) =>
          createCognitoSource({
            profile: config,
            secrets,
            ...(clients ? { clients } : {}),
            createStsClient,
          }),
        ));
      return { profile, fetch: async (context) => (await cognito()).fetch(context) };
    }
    case 'unsupported':
      return null;
  }
}

/**
 * A deep copy whose strings share no memory with the text they were parsed from. Sources live as
 * long as their slot; a string sliced from the config text keeps all of that text alive (V8 holds
 * the parent), which made 1,000 loaded profiles hold 1,000 copies of a 1 MiB config.
 */
function detached<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
