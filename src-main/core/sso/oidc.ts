import { refuseUnsafeAwsFiles } from '../config/sdk-file-guard';
import { awsClientTimeouts } from './aws-client-config';
import {
  AccessDeniedException,
  AuthorizationPendingException,
  CreateTokenCommand,
  ExpiredTokenException,
  InvalidGrantException,
  RegisterClientCommand,
  SlowDownException,
  SSOOIDCClient,
  type CreateTokenCommandOutput,
} from '@aws-sdk/client-sso-oidc';
import { RolecallError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { sessionCacheKey, sessionLabel } from './session-key';
import type { ClientRegistration, SsoSessionRef, SsoToken } from './types';

/** What the AWS CLI asks for; a sso-session may add its own `sso_registration_scopes`. */
export const DEFAULT_SCOPES = ['sso:account:access'];

/** A registration this close to expiry is replaced rather than used for a 10-minute sign-in. */
const REGISTRATION_MARGIN_MS = 15 * 60_000;

export type SignInFlow = 'device' | 'pkce';

/**
 * The OIDC client for a session's region. The endpoint comes from the SDK's own configuration,
 * so `AWS_ENDPOINT_URL_SSO_OIDC` points it elsewhere (tests use that to reach a fake).
 */
export function oidcClient(session: SsoSessionRef): SSOOIDCClient {
  refuseUnsafeAwsFiles();
  return new SSOOIDCClient({ region: session.region, maxAttempts: 3, ...awsClientTimeouts });
}

export function scopesOf(session: SsoSessionRef): string[] {
  return session.name && session.registrationScopes?.length
    ? session.registrationScopes
    : DEFAULT_SCOPES;
}

/** Registers Rolecall as an OIDC client for this session, reusing a cached registration. */
export async function registerClient(options: {
  client: SSOOIDCClient;
  session: SsoSessionRef;
  secrets: SecretStore;
  flow: SignInFlow;
  redirectUri?: string;
  now?: () => number;
}): Promise<ClientRegistration> {
  const { session, secrets, flow } = options;
  const now = (options.now ?? Date.now)();
  const account = `sso-registration/${sessionCacheKey(session)}/${flow}`;
  const cached = await secrets.get(account);
  if (cached) {
    try {
      const registration = JSON.parse(cached) as ClientRegistration;
      if (registration.expiresAt - REGISTRATION_MARGIN_MS > now) return registration;
    } catch {
      // Not ours or damaged: register afresh.
    }
  }
  const scopes = scopesOf(session);
  const output = await options.client
    .send(
      new RegisterClientCommand({
        clientName: 'rolecall',
        clientType: 'public',
        scopes,
        ...(flow === 'pkce'
          ? {
              grantTypes: ['authorization_code', 'refresh_token'],
              redirectUris: [options.redirectUri ?? 'http://127.0.0.1/oauth/callback'],
              issuerUrl: session.startUrl,
            }
          : {}),
      }),
    )
    .catch((error: unknown) => {
      throw oidcError(error, session, 'register Rolecall with IAM Identity Center');
    });
  if (!output.clientId || !output.clientSecret) {
    throw new RolecallError(
      'sso-bad-answer',
      'IAM Identity Center registered no client; try again later.',
      502,
    );
  }
  const registration: ClientRegistration = {
    clientId: output.clientId,
    clientSecret: output.clientSecret,
    expiresAt: (output.clientSecretExpiresAt ?? 0) * 1000,
    scopes,
  };
  await secrets.set(account, JSON.stringify(registration));
  return registration;
}

/** Turns a CreateToken answer into a token Rolecall keeps. */
export function tokenFrom(
  output: CreateTokenCommandOutput,
  session: SsoSessionRef,
  registration: ClientRegistration,
  now: number,
): SsoToken {
  if (!output.accessToken || !output.expiresIn) {
    throw new RolecallError(
      'sso-bad-answer',
      'IAM Identity Center answered without an access token; try again.',
      502,
    );
  }
  return {
    accessToken: output.accessToken,
    expiresAt: now + output.expiresIn * 1000,
    ...(output.refreshToken ? { refreshToken: output.refreshToken } : {}),
    registration,
    startUrl: session.startUrl,
    region: session.region,
  };
}

/** Renews an access token with its refresh token. Throws `sso-session-ended` when it can't. */
export async function refreshSsoToken(options: {
  client: SSOOIDCClient;
  session: SsoSessionRef;
  token: SsoToken;
  now?: () => number;
}): Promise<SsoToken> {
  const { token, session } = options;
  if (!token.refreshToken || !token.registration) throw sessionEnded(session);
  const now = (options.now ?? Date.now)();
  if (token.registration.expiresAt <= now) throw sessionEnded(session);
  try {
    const output = await options.client.send(
      new CreateTokenCommand({
        clientId: token.registration.clientId,
        clientSecret: token.registration.clientSecret,
        grantType: 'refresh_token',
        refreshToken: token.refreshToken,
      }),
    );
    const renewed = tokenFrom(output, session, token.registration, now);
    // Some answers rotate the refresh token, some don't; keep the old one when none comes back.
    if (!renewed.refreshToken) renewed.refreshToken = token.refreshToken;
    return renewed;
  } catch (error) {
    if (
      error instanceof InvalidGrantException ||
      error instanceof ExpiredTokenException ||
      error instanceof AccessDeniedException
    ) {
      throw sessionEnded(session, { cause: error });
    }
    throw oidcError(error, session, 'renew the sign-in');
  }
}

export function sessionEnded(session: SsoSessionRef, options?: { cause?: unknown }): RolecallError {
  const label = sessionLabel(session);
  const login = session.name ? `rolecall login ${session.name}` : 'rolecall login';
  return new RolecallError(
    'sso-session-ended',
    `The IAM Identity Center session ${label} has ended. Sign in again with \`${login}\`.`,
    401,
    options,
  );
}

/** Words for what went wrong talking to the OIDC service. */
export function oidcError(error: unknown, session: SsoSessionRef, doing: string): RolecallError {
  if (error instanceof RolecallError) return error;
  const label = sessionLabel(session);
  if (error instanceof AccessDeniedException) {
    return new RolecallError('sso-access-denied', `Sign-in to ${label} was denied.`, 403, {
      cause: error,
    });
  }
  if (error instanceof ExpiredTokenException) {
    return new RolecallError(
      'sso-code-expired',
      `The sign-in for ${label} was not completed in time; run it again.`,
      408,
      {
        cause: error,
      },
    );
  }
  if (error instanceof AuthorizationPendingException || error instanceof SlowDownException) {
    return new RolecallError(
      'sso-pending',
      `The sign-in for ${label} is still waiting for approval.`,
      409,
      { cause: error },
    );
  }
  // OIDC errors carry their words in error_description; the SDK's own message is often "UnknownError".
  const described = (error as { error_description?: string } | null)?.error_description;
  const message = described ?? (error instanceof Error ? error.message : String(error));
  return new RolecallError(
    'sso-unreachable',
    `Could not ${doing} for ${label} (${session.region}): ${message}`,
    502,
    {
      cause: error,
    },
  );
}
