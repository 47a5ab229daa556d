import { refuseUnsafeAwsFiles } from '../config/sdk-file-guard';
import { awsClientTimeouts } from '../aws-client-config';
import {
  AccessDeniedException,
  CreateTokenCommand,
  ExpiredTokenException,
  InvalidGrantException,
  SSOOIDCClient,
  type CreateTokenCommandOutput,
} from '@aws-sdk/client-sso-oidc';
import { RolecallError } from '../errors';
import { isInvalidClient, oidcError, oidcFailureInWords } from './oidc-errors';
import { sessionLabel } from './session-key';
import type { ClientRegistration, SsoSessionRef, SsoToken } from './types';

/**
 * The OIDC client for a session's region. The endpoint comes from the SDK's own configuration,
 * so `AWS_ENDPOINT_URL_SSO_OIDC` points it elsewhere (tests use that to reach a fake).
 */
export function oidcClient(session: SsoSessionRef): SSOOIDCClient {
  refuseUnsafeAwsFiles();
  return new SSOOIDCClient({ region: session.region, maxAttempts: 3, ...awsClientTimeouts });
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
  if (token.registration.expiresAt <= now) {
    throw sessionEnded(session, { reason: "Rolecall's client registration has expired" });
  }
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
      error instanceof AccessDeniedException ||
      // The refresh token belongs to a client IAM Identity Center no longer knows: only a new
      // sign-in (which registers again) can help.
      isInvalidClient(error)
    ) {
      throw sessionEnded(session, { cause: error, reason: oidcFailureInWords(error) });
    }
    throw oidcError(error, session, 'renew the sign-in');
  }
}

export function sessionEnded(
  session: SsoSessionRef,
  options?: { cause?: unknown; reason?: string },
): RolecallError {
  const label = sessionLabel(session);
  const login = session.name ? `rolecall login ${session.name}` : 'rolecall login';
  const why = options?.reason ? `: ${options.reason}` : '';
  return new RolecallError(
    'sso-session-ended',
    `The IAM Identity Center session ${label} has ended${why}. Sign in again with \`${login}\`.`,
    401,
    options?.cause === undefined ? undefined : { cause: options.cause },
  );
}
