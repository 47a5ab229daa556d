import type { ProfileInfo } from '../../../src-shared/profile';
import type { Clock } from '../clock';
import type { AwsCredentials } from '../credentials';
import { RolecallError } from '../errors';
import type { KeysForSigning } from '../sources/long-lived-keys';
import type { CreateStsClient } from '../sts/sts-client';
import { consoleRoute, type ConsoleRoute } from './console-route';
import { consoleDestination } from './destination';
import { federatedUserName, federationToken } from './federation-token';
import {
  loginUrl,
  requestSigninToken,
  SESSION_DURATION_SECONDS,
  SIGN_IN_URL_LIFETIME_MS,
  SignInRefused,
  type SessionCredentials,
} from './federation';
import { consolePartition } from './partitions';
import { signInEndpoint, type SignInUrlOverride } from './sign-in-endpoint';

/**
 * What the console shows when the session ends and the user is sent back to where they signed
 * in: there is no page of ours to go back to, so a name.
 */
export const CONSOLE_ISSUER = 'rolecall';

export interface ConsoleSignInDeps {
  clock: Clock;
  /** What Rolecall knows of the profile; throws the sentence for a profile that does not exist. */
  profileInfo(profile: string): Promise<ProfileInfo>;
  /**
   * Valid credentials Rolecall holds for the profile — renewed first when they are about to
   * end — or, when it holds none, those of a load into the profile's own slot.
   */
  heldCredentials(
    profile: string,
    signal?: AbortSignal,
  ): Promise<{ credentials: AwsCredentials; loadedIntoSlot: boolean }>;
  /** The profile's long-lived keys, read afresh (the keychain, else the AWS files). */
  longLivedKeys(profile: string): Promise<KeysForSigning>;
  createStsClient?: CreateStsClient;
  /** How long a console session is asked to last, in seconds (the `console.sessionHours` setting). */
  sessionSeconds(): number;
  /** The sign-in URL that replaces the partition's, if one is set. */
  signInUrlOverride(): SignInUrlOverride | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface ConsoleRequest {
  profile: string;
  service?: string;
  destination?: string;
  region?: string;
}

/** A sign-in URL for the console, and what the user should know of the session it opens. */
export interface ConsoleSignIn {
  profile: string;
  /** Signs whoever opens it in as the profile until `expiresAt`: never logged. */
  url: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms, or null where the credentials' own end is not known. */
  sessionEndsAt: number | null;
  note?: string;
  loadedIntoSlot: boolean;
}

/**
 * Builds the federation sign-in URL for a profile from the credentials Rolecall holds, in the
 * process that holds them: the destination is checked first, then the credentials are got in the
 * way the console takes them (see ConsoleRoute), traded for a sign-in token, and the token put in
 * the `login` URL. Nothing here is logged.
 */
export function createConsoleSignIn(deps: ConsoleSignInDeps) {
  return async (request: ConsoleRequest, signal?: AbortSignal): Promise<ConsoleSignIn> => {
    const { profile } = request;
    const info = await deps.profileInfo(profile);
    let route = consoleRoute(info);
    const region = request.region ?? info.region;
    const partition = consolePartition(region);
    const destination = consoleDestination({
      partition,
      ...(region !== undefined ? { region } : {}),
      ...(request.service !== undefined ? { service: request.service } : {}),
      ...(request.destination !== undefined ? { destination: request.destination } : {}),
    });
    const endpoint = signInEndpoint(partition, deps.signInUrlOverride());
    const sessionSeconds = Math.round(
      Math.min(
        SESSION_DURATION_SECONDS.max,
        Math.max(SESSION_DURATION_SECONDS.min, deps.sessionSeconds()),
      ),
    );

    let credentials: AwsCredentials;
    let loadedIntoSlot = false;
    if (route.kind === 'federated-user') {
      const keys = await deps.longLivedKeys(profile);
      if (keys.isSession) {
        // Session credentials pasted into a file: GetFederationToken takes no session.
        credentials = keys.credentials;
        route = { kind: 'unknown', from: `the session credentials in ${keys.from}` };
      } else {
        if (!deps.createStsClient) {
          throw new RolecallError(
            'console-unavailable',
            `Profile ${profile}: this Rolecall makes no calls to AWS STS, so it cannot open the console with long-lived keys.`,
            501,
          );
        }
        credentials = await federationToken({
          profile,
          keys: keys.credentials,
          // The profile's own region first: its keys' STS endpoint, whatever page opens.
          ...((info.region ?? request.region) ? { region: info.region ?? request.region } : {}),
          durationSeconds: sessionSeconds,
          createStsClient: deps.createStsClient,
          ...(signal ? { signal } : {}),
        });
      }
    } else {
      ({ credentials, loadedIntoSlot } = await deps.heldCredentials(profile, signal));
    }
    const session = sessionOf(profile, credentials);

    const sessionDurationSeconds = route.kind === 'role' ? sessionSeconds : undefined;
    let signinToken: string;
    try {
      signinToken = await requestSigninToken({
        signInUrl: endpoint,
        credentials: session,
        ...(sessionDurationSeconds !== undefined ? { sessionDurationSeconds } : {}),
        ...(signal ? { signal } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
      });
    } catch (error) {
      if (error instanceof SignInRefused)
        throw refusalInWords(error, { profile, route, sessionDurationSeconds });
      throw error;
    }

    const now = deps.clock.now();
    const note = noteFor(profile, route);
    return {
      profile,
      url: loginUrl({ signInUrl: endpoint, issuer: CONSOLE_ISSUER, destination, signinToken }),
      expiresAt: now + SIGN_IN_URL_LIFETIME_MS,
      sessionEndsAt:
        sessionDurationSeconds !== undefined
          ? now + sessionDurationSeconds * 1000
          : (credentials.expiresAt ?? null),
      ...(note ? { note } : {}),
      loadedIntoSlot,
    };
  };
}

/** The three parts the endpoint takes; long-lived keys (no session token) it never takes. */
function sessionOf(profile: string, credentials: AwsCredentials): SessionCredentials {
  if (!credentials.sessionToken) {
    throw new RolecallError(
      'console-long-lived-keys',
      `The credentials of profile ${profile} have no session token: they are long-lived keys, which the AWS console does not take. Open the console with a profile that assumes a role with them, or keep the keys in the keychain (\`rolecall keys import\`) under a profile of their own, which Rolecall signs in as a federated user.`,
      409,
    );
  }
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
  };
}

function noteFor(profile: string, route: ConsoleRoute): string | undefined {
  switch (route.kind) {
    case 'role':
      return undefined;
    case 'chained-role':
      return `${profile} is a role assumed with the credentials of ${route.from} (role chaining), so AWS lets its console session last only as long as its credentials.`;
    case 'federated-user':
      return `The console signs in as federated user ${federatedUserName(profile)}, made from the long-lived keys of profile ${profile} with GetFederationToken: it may do what the IAM user may, except IAM and STS calls, and policies that require MFA deny it.`;
    case 'unknown':
      return `The credentials of profile ${profile} come from ${route.from}, whose kind Rolecall cannot tell, so the console session lasts as long as they do.`;
  }
}

/** The endpoint says only its status; say which causes fit these credentials, and what to do. */
function refusalInWords(
  error: SignInRefused,
  context: { profile: string; route: ConsoleRoute; sessionDurationSeconds: number | undefined },
): RolecallError {
  const { profile, route } = context;
  const status = error.httpStatus;
  const said = `${capitalised(error.endpoint)} refused the credentials of profile ${profile} (HTTP ${status}).`;
  const reworded = (sentence: string) =>
    new RolecallError('console-sign-in-refused', sentence, 502, { cause: error });
  if (status >= 500)
    return reworded(
      `${capitalised(error.endpoint)} failed (HTTP ${status}); try again in a moment.`,
    );
  if (status >= 300 && status < 400) {
    return reworded(
      `${capitalised(error.endpoint)} answered with a redirect (HTTP ${status}), which Rolecall does not follow with credentials; check ROLECALL_SIGNIN_URL and console.signInUrl in settings.json.`,
    );
  }
  switch (route.kind) {
    case 'role':
      return reworded(
        `${said} It refuses credentials that have expired or were revoked, and a console session longer than it gives: Rolecall asked for ${hours(context.sessionDurationSeconds ?? 0)} (console.sessionHours in settings.json, at most 12). Renew them with \`rolecall load ${profile}\` and try again, or ask for a shorter session.`,
      );
    case 'chained-role':
      return reworded(
        `${said} It refuses credentials that have expired or were revoked; those of ${profile} were made with the credentials of ${route.from}, so no session length was asked. Renew them with \`rolecall load ${profile}\` and try again.`,
      );
    case 'federated-user':
      return reworded(
        `${said} It refuses credentials that have expired or were revoked; these were made a moment ago from the keys of profile ${profile} with GetFederationToken, so check that this computer's clock is right, and that no policy denies the IAM user sts:GetFederationToken.`,
      );
    case 'unknown':
      return reworded(
        `${said} It takes only role credentials and federated users' credentials that have not expired — not an IAM user's own keys, nor a session made from them with GetSessionToken. Those of profile ${profile} come from ${route.from}; if they are an IAM user's, open the console with a profile that assumes a role with them (role_arn with source_profile = ${profile}).`,
      );
  }
}

function hours(seconds: number): string {
  const value = seconds / 3600;
  return `${Number.isInteger(value) ? value : value.toFixed(2).replace(/0+$/, '')} hour${value === 1 ? '' : 's'}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
