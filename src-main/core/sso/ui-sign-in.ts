import type { SignInStarted } from '../../../src-shared/sso-session';
import { errorMessage, RolecallError } from '../errors';
import type { SsoServices } from './sso-services';
import { sessionLabel } from './session-key';
import type { SsoSessionRef } from './types';

/**
 * Sign-ins started from a UI: each runs in the background (sign in, keep the token, discover
 * roles); the call that starts it answers with what the user must do, and the outcome is kept per
 * session for listSessions to report.
 */
export class UiSignIns {
  private readonly pending = new Set<string>();
  private readonly errors = new Map<string, string>();

  constructor(private readonly sso: SsoServices) {}

  status(name: string): { signingIn?: boolean; signInError?: string } {
    return {
      ...(this.pending.has(name) ? { signingIn: true } : {}),
      ...(this.errors.has(name) ? { signInError: this.errors.get(name)! } : {}),
    };
  }

  start(session: SsoSessionRef, flow: 'device' | 'pkce'): Promise<SignInStarted> {
    const name = sessionLabel(session);
    if (this.pending.has(name)) {
      return Promise.reject(
        new RolecallError('sso-pending', `A sign-in to ${name} is already waiting for you.`, 409),
      );
    }
    this.pending.add(name);
    this.errors.delete(name);
    return new Promise<SignInStarted>((resolve, reject) => {
      let answered = false;
      const answer = (started: SignInStarted) => {
        answered = true;
        resolve(started);
      };
      this.sso
        .signInAndDiscover(session, {
          flow,
          prompt: {
            showDeviceCode: ({ userCode, verificationUri, verificationUriComplete }) =>
              answer({
                session: name,
                flow,
                userCode,
                verificationUri,
                url: verificationUriComplete ?? verificationUri,
              }),
            // The UI opens the page itself (it may be on another screen than this process).
            openUrl: async () => false,
            showUrl: (url) => answer({ session: name, flow, url }),
          },
        })
        .catch((error: unknown) => {
          this.errors.set(name, errorMessage(error));
          if (!answered) reject(error);
        })
        .finally(() => this.pending.delete(name));
    });
  }
}
