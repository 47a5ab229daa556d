import { randomBytes } from 'node:crypto';
import {
  AuthorizationPendingException,
  CreateTokenCommand,
  SlowDownException,
  StartDeviceAuthorizationCommand,
  type SSOOIDCClient,
} from '@aws-sdk/client-sso-oidc';
import { errorMessage, RolecallError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { listenForRedirect } from './loopback-redirect';
import { oidcClient, tokenFrom } from './oidc';
import { isInvalidClient, oidcError } from './oidc-errors';
import { authorizeEndpointFor, createPkcePair } from './pkce';
import { withRegistration, type SignInFlow } from './registration';
import { scopesOf } from './scopes';
import { sessionLabel } from './session-key';
import type { ClientRegistration, SsoSessionRef, SsoToken } from './types';

/** How a sign-in talks to the person doing it. */
export interface SignInPrompt {
  /** Device flow: show the code and where to enter it. */
  showDeviceCode?(info: {
    userCode: string;
    verificationUri: string;
    verificationUriComplete?: string;
  }): void;
  /** Open a URL in the user's browser; return false when it could not be opened. */
  openUrl?(url: string): Promise<boolean>;
  /** Authorization-code flow: the browser was not opened, so show the URL to visit. */
  showUrl?(url: string): void;
}

export interface SignInOptions {
  session: SsoSessionRef;
  secrets: SecretStore;
  flow: SignInFlow;
  prompt: SignInPrompt;
  signal?: AbortSignal;
  client?: SSOOIDCClient;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long the authorization-code flow waits for the browser to come back. */
  browserTimeoutMs?: number;
  /**
   * Runs once the token is in hand, before the browser of the authorization-code flow is told the
   * outcome (keeping the token, say): if it fails, the page says so instead of "signed in".
   */
  keep?: (token: SsoToken) => Promise<void>;
}

/** RFC 8628 §3.5: a `slow_down` answer adds five seconds to the polling interval. */
const SLOW_DOWN_STEP_MS = 5_000;
/** Ten minutes, like the AWS CLI: long enough to find the tab and sign in with MFA. */
const BROWSER_TIMEOUT_MS = 10 * 60_000;

/** Signs in to IAM Identity Center with the device code or the authorization-code (PKCE) flow. */
export async function signIn(options: SignInOptions): Promise<SsoToken> {
  const client = options.client ?? oidcClient(options.session);
  const token = await (options.flow === 'device'
    ? deviceCodeSignIn(client, options)
    : pkceSignIn(client, options));
  if (options.flow === 'device') await options.keep?.(token);
  return token;
}

async function deviceCodeSignIn(client: SSOOIDCClient, options: SignInOptions): Promise<SsoToken> {
  const { session, prompt, signal } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  throwIfAborted(signal);
  const { registration, started } = await withRegistration(
    { client, session, secrets: options.secrets, flow: 'device', now },
    async (registration) => ({
      registration,
      started: await client.send(
        new StartDeviceAuthorizationCommand({
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          startUrl: session.startUrl,
        }),
      ),
    }),
  ).catch((error: unknown) => {
    throw oidcError(error, session, 'start the sign-in');
  });
  if (!started.deviceCode || !started.userCode || !started.verificationUri) {
    throw new RolecallError(
      'sso-bad-answer',
      'IAM Identity Center did not start a device sign-in; try again.',
      502,
    );
  }
  throwIfAborted(signal);
  prompt.showDeviceCode?.({
    userCode: started.userCode,
    verificationUri: started.verificationUri,
    ...(started.verificationUriComplete
      ? { verificationUriComplete: started.verificationUriComplete }
      : {}),
  });
  if (started.verificationUriComplete) await prompt.openUrl?.(started.verificationUriComplete);

  let intervalMs = (started.interval ?? 5) * 1000;
  const deadline = now() + (started.expiresIn ?? 600) * 1000;
  for (;;) {
    throwIfAborted(signal);
    if (now() > deadline) {
      throw new RolecallError(
        'sso-code-expired',
        `The sign-in code for ${sessionLabel(session)} expired before it was approved; run the sign-in again.`,
        408,
      );
    }
    await untilAborted(sleep(intervalMs), signal);
    throwIfAborted(signal);
    try {
      const output = await client.send(
        new CreateTokenCommand({
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          grantType: 'urn:ietf:params:oauth:grant-type:device_code',
          deviceCode: started.deviceCode,
        }),
      );
      return tokenFrom(output, session, registration, now());
    } catch (error) {
      if (error instanceof AuthorizationPendingException) continue;
      if (error instanceof SlowDownException) {
        intervalMs += SLOW_DOWN_STEP_MS;
        continue;
      }
      throw oidcError(error, session, 'finish the sign-in');
    }
  }
}

async function pkceSignIn(client: SSOOIDCClient, options: SignInOptions): Promise<SsoToken> {
  const { session, prompt } = options;
  const now = options.now ?? Date.now;
  const state = randomBytes(16).toString('base64url');
  throwIfAborted(options.signal);
  const redirect = await listenForRedirect(state, options.signal);
  try {
    const registration = await withRegistration(
      { client, session, secrets: options.secrets, flow: 'pkce', now },
      async (registration) => {
        await confirmRegistration(client, registration, redirect.redirectUri);
        return registration;
      },
    ).catch((error: unknown) => {
      throw oidcError(error, session, 'start the sign-in');
    });
    const pkce = createPkcePair();
    const url = await authorizeEndpointFor(client, session.region);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: registration.clientId,
      redirect_uri: redirect.redirectUri,
      state,
      code_challenge_method: 'S256',
      scopes: scopesOf(session).join(' '),
      code_challenge: pkce.challenge,
    }).toString();
    throwIfAborted(options.signal);
    const opened = (await prompt.openUrl?.(url.href)) ?? false;
    if (!opened) prompt.showUrl?.(url.href);

    const timeoutMs = options.browserTimeoutMs ?? BROWSER_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RolecallError(
              'sso-code-expired',
              `The browser did not come back within ${timeoutMs / 60_000} minutes; run the sign-in again (or use --device-code).`,
              408,
            ),
          ),
        timeoutMs,
      );
    });
    const answer = await Promise.race([redirect.result, timeout]).finally(() =>
      clearTimeout(timer),
    );
    try {
      const output = await client
        .send(
          new CreateTokenCommand({
            clientId: registration.clientId,
            clientSecret: registration.clientSecret,
            grantType: 'authorization_code',
            code: answer.code,
            codeVerifier: pkce.verifier,
            redirectUri: redirect.redirectUri,
          }),
        )
        .catch((error: unknown) => {
          throw oidcError(error, session, 'finish the sign-in');
        });
      const token = tokenFrom(output, session, registration, now());
      await options.keep?.(token);
      await answer.finish({ signedIn: true, session: sessionLabel(session) });
      return token;
    } catch (error) {
      await answer.finish({ error: errorMessage(error) });
      throw error;
    }
  } finally {
    await redirect.close();
  }
}

/**
 * Before sending someone to the browser with a cached registration, checks that IAM Identity
 * Center still knows it: with a client it no longer knows, its authorize page shows an error and
 * never comes back. The token endpoint authenticates the client before it looks at the grant
 * (RFC 6749 §5.2), so a code that cannot exist is refused as `invalid_grant` for a known client
 * and `invalid_client` for an unknown one. Only the latter matters here.
 */
async function confirmRegistration(
  client: SSOOIDCClient,
  registration: ClientRegistration,
  redirectUri: string,
): Promise<void> {
  try {
    await client.send(
      new CreateTokenCommand({
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        grantType: 'authorization_code',
        code: `rolecall-registration-check-${randomBytes(8).toString('hex')}`,
        codeVerifier: createPkcePair().verifier,
        redirectUri,
      }),
    );
  } catch (error) {
    if (isInvalidClient(error)) throw error;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(signal);
}

function cancelled(signal: AbortSignal): RolecallError {
  const reason: unknown = signal.reason;
  return reason instanceof RolecallError
    ? reason
    : new RolecallError('sso-cancelled', 'Sign-in was cancelled.', 499);
}

/** A wait that ends early (with a cancellation) when the sign-in is cancelled. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
