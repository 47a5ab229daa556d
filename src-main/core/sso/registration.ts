import { RegisterClientCommand, type SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { RolecallError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { isInvalidClient, oidcError } from './oidc-errors';
import { scopesOf } from './scopes';
import { sessionCacheKey } from './session-key';
import type { ClientRegistration, SsoSessionRef } from './types';

export type SignInFlow = 'device' | 'pkce';

/** A registration this close to expiry is replaced rather than used for a 10-minute sign-in. */
const REGISTRATION_MARGIN_MS = 15 * 60_000;

export interface RegistrationOptions {
  client: SSOOIDCClient;
  session: SsoSessionRef;
  secrets: SecretStore;
  flow: SignInFlow;
  redirectUri?: string;
  now?: () => number;
}

/** The keychain item holding a session's registration for one flow. */
export function registrationAccount(session: SsoSessionRef, flow: SignInFlow): string {
  return `sso-registration/${sessionCacheKey(session)}/${flow}`;
}

/**
 * Rolecall's OIDC client registration for this session and flow: the cached one while it is
 * valid, else a new one (RegisterClient), kept in the keychain. `fresh` says which.
 */
export async function registerClient(
  options: RegistrationOptions & { forceNew?: boolean },
): Promise<{ registration: ClientRegistration; fresh: boolean }> {
  const { session, secrets, flow } = options;
  const now = (options.now ?? Date.now)();
  const account = registrationAccount(session, flow);
  const cached = options.forceNew ? null : await secrets.get(account);
  if (cached) {
    try {
      const registration = JSON.parse(cached) as ClientRegistration;
      if (registration.expiresAt - REGISTRATION_MARGIN_MS > now)
        return { registration, fresh: false };
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
  return { registration, fresh: true };
}

/**
 * Runs `use` with the session's registration. When IAM Identity Center answers that it does not
 * know the client — it expired early, was revoked, or the instance was recreated — a cached
 * registration is replaced by a new one and `use` runs once more; a registration made just now is
 * not retried, so a service that refuses every client fails at once, with its own words.
 */
export async function withRegistration<T>(
  options: RegistrationOptions,
  use: (registration: ClientRegistration) => Promise<T>,
): Promise<T> {
  const { registration, fresh } = await registerClient(options);
  try {
    return await use(registration);
  } catch (error) {
    if (fresh || !isInvalidClient(error)) throw error;
    const renewed = await registerClient({ ...options, forceNew: true });
    return use(renewed.registration);
  }
}
