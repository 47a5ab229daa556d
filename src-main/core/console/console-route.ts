import type { ProfileInfo } from '../../../src-shared/profile';
import { RolecallError } from '../errors';

/**
 * How a profile's credentials reach the console. The sign-in endpoint takes role credentials and
 * federated users' credentials, never an IAM user's own (long-lived keys, or a session made from
 * them with GetSessionToken); and a console session longer than the credentials
 * (`SessionDuration`) only for a role assumed by an identity that is not itself a session.
 */
export type ConsoleRoute =
  /**
   * A role session made from an identity that is no session: IAM Identity Center's role
   * credentials, AssumeRole signed by long-lived keys, web identity. The console session may be
   * asked to last longer than the credentials (`SessionDuration`, up to 12 hours).
   */
  | { kind: 'role' }
  /**
   * A role assumed with another session's credentials (role chaining): the endpoint refuses a
   * `SessionDuration`, so the console session lasts as long as the credentials.
   */
  | { kind: 'chained-role'; from: string }
  /**
   * Long-lived keys: the console takes neither them nor the GetSessionToken session Rolecall
   * serves from them, so a federated user is made from the keys with GetFederationToken.
   */
  | { kind: 'federated-user' }
  /**
   * Credentials of a kind Rolecall cannot tell (credential_process, `aws login`, session
   * credentials pasted into a file): sent as they are, without a `SessionDuration`, which only
   * some kinds take; the console session then lasts as long as the credentials.
   */
  | { kind: 'unknown'; from: string };

/** The route for a profile as Rolecall lists it; refuses a profile that cannot be loaded. */
export function consoleRoute(profile: ProfileInfo): ConsoleRoute {
  if (!profile.loadable) {
    throw new RolecallError(
      'not-loadable',
      `Profile ${profile.name} cannot be loaded: ${profile.notLoadableReason ?? 'its kind is not supported'}.`,
      409,
    );
  }
  switch (profile.kind) {
    case 'sso':
    case 'sso-legacy':
    case 'web-identity':
    case 'cognito':
      return { kind: 'role' };
    case 'assume-role':
      // Its own keys (or a source profile's keys) sign AssumeRole directly: no session between.
      if (profile.keysIn !== undefined && profile.credentialSource === undefined)
        return { kind: 'role' };
      return {
        kind: 'chained-role',
        from:
          profile.credentialSource !== undefined
            ? `credential_source ${profile.credentialSource}`
            : `profile ${profile.sourceProfile ?? profile.chain?.[0] ?? 'its source_profile'}`,
      };
    case 'static':
      return { kind: 'federated-user' };
    case 'credential_process':
      return { kind: 'unknown', from: 'its credential_process' };
    case 'login-session':
      return { kind: 'unknown', from: '`aws login`' };
    case 'unsupported':
      throw new RolecallError(
        'not-loadable',
        `Profile ${profile.name} cannot be loaded: ${profile.notLoadableReason ?? 'its kind is not supported'}.`,
        409,
      );
  }
}
