import type { ProfileInfo } from '../../../src-shared/profile';
import type { Broker } from '../broker/broker';
import type { Clock } from '../clock';
import { assertReadable, findProfile, loadProfiles, type ProfileFiles } from '../config/profiles';
import { toProfileInfo } from '../config/profile-info';
import type { AwsCredentials } from '../credentials';
import { RolecallError } from '../errors';
import type { KeyStore } from '../keys/key-store';
import { readLongLivedKeys } from '../sources/long-lived-keys';
import { discoveredProfileInfo, type DiscoveredProfile } from '../sso/discovered-profiles';
import type { CreateStsClient } from '../sts/sts-client';
import { createConsoleSignIn, type ConsoleSignInDeps } from './console-sign-in';

/**
 * Credentials with less than this left are renewed before they sign in: a console session made
 * from a chained role lasts only as long as its credentials, and the URL itself works 15 minutes.
 */
export const CONSOLE_FRESH_ENOUGH_MS = 15 * 60_000;
/** What a renewal must leave at least, for the sign-in endpoint to take the credentials at all. */
const STILL_VALID_MS = 60_000;

export interface ConsoleServiceOptions {
  broker: Pick<Broker, 'peek' | 'snapshot' | 'reload' | 'load'>;
  clock: Clock;
  profileFiles?: ProfileFiles;
  sso?: { discovered(): Promise<DiscoveredProfile[]> };
  keys?: KeyStore;
  createStsClient?: CreateStsClient;
  sessionSeconds: ConsoleSignInDeps['sessionSeconds'];
  signInUrlOverride: ConsoleSignInDeps['signInUrlOverride'];
  fetch?: typeof fetch;
}

/**
 * The console sign-in over the running core: profiles as the source resolver finds them (the
 * AWS config first, then roles found by signing in), credentials from the broker, long-lived
 * keys read afresh.
 */
export function createConsoleService(options: ConsoleServiceOptions) {
  const { broker, clock } = options;
  const catalog = async () => {
    const inKeychain = await (options.keys?.profiles() ?? Promise.resolve([])).catch(() => []);
    const read = await loadProfiles(options.profileFiles, inKeychain);
    assertReadable(read);
    return read;
  };

  const profileInfo = async (profile: string): Promise<ProfileInfo> => {
    const read = await catalog();
    const config = read.profiles.find((candidate) => candidate.name === profile);
    if (config) return toProfileInfo(config);
    const found = (await options.sso?.discovered())?.find(
      (candidate) => candidate.name === profile,
    );
    if (found) return discoveredProfileInfo(found);
    return toProfileInfo(findProfile(read, profile));
  };

  const usable = (credentials: AwsCredentials | undefined, leftMs: number) =>
    credentials !== undefined &&
    (credentials.expiresAt === undefined || credentials.expiresAt - clock.now() > leftMs);

  const heldCredentials = async (profile: string, signal?: AbortSignal) => {
    const held = broker.peek(profile);
    if (usable(held, CONSOLE_FRESH_ENOUGH_MS)) return { credentials: held!, loadedIntoSlot: false };
    // Held anywhere (a slot, or as another profile's parent): renew that entry; else load it into
    // its own slot, so the default slot every shell uses stays as it is.
    const isEntry = broker.snapshot().entries.some((entry) => entry.profile === profile);
    if (isEntry) await broker.reload(profile);
    else await broker.load(profile, { slot: true, ...(signal ? { signal } : {}) });
    const renewed = broker.peek(profile);
    if (!usable(renewed, STILL_VALID_MS)) {
      throw new RolecallError(
        'console-no-credentials',
        `Rolecall holds no valid credentials for ${profile}; \`rolecall status\` says why.`,
        503,
      );
    }
    return { credentials: renewed!, loadedIntoSlot: !isEntry };
  };

  return createConsoleSignIn({
    clock,
    profileInfo,
    heldCredentials,
    longLivedKeys: async (profile) =>
      readLongLivedKeys({
        profile,
        files: (await catalog()).files,
        ...(options.keys ? { keyStore: options.keys } : {}),
      }),
    ...(options.createStsClient ? { createStsClient: options.createStsClient } : {}),
    sessionSeconds: options.sessionSeconds,
    signInUrlOverride: options.signInUrlOverride,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
