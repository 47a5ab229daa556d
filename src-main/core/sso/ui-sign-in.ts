import type { SignInStarted } from '../../../src-shared/sso-session';
import { errorMessage, RolecallError } from '../errors';
import { pendingSignInView, SignInWaitingError } from './sign-in-lock';
import type { SsoServices } from './sso-services';
import { sessionLabel } from './session-key';
import type { SsoSessionRef } from './types';

/**
 * Sign-ins started from a UI: each runs in the background (sign in, keep the token, discover
 * roles); the call that starts it answers with what the user must do — or, when a sign-in to the
 * session already waits (started here or in a terminal), with where that one waits. The outcome
 * is kept per session for listSessions to report.
 */
export class UiSignIns {
  /** UI sign-ins still running here per session, discovery included (a count: a second click
   * that finds the first waiting comes and goes without ending the first). */
  private readonly running = new Map<string, number>();
  private readonly errors = new Map<string, string>();

  constructor(private readonly sso: SsoServices) {}

  status(name: string): { signingIn?: boolean; signInError?: string } {
    return {
      ...(this.running.get(name) ? { signingIn: true } : {}),
      ...(this.errors.has(name) ? { signInError: this.errors.get(name)! } : {}),
    };
  }

  start(session: SsoSessionRef, flow: 'device' | 'pkce'): Promise<SignInStarted> {
    const name = sessionLabel(session);
    return new Promise<SignInStarted>((resolve, reject) => {
      let answered = false;
      const answer = (started: SignInStarted) => {
        answered = true;
        resolve(started);
      };
      this.running.set(name, (this.running.get(name) ?? 0) + 1);
      this.sso
        .signInAndDiscover(session, {
          flow,
          startedBy: 'app',
          prompt: {
            showDeviceCode: ({ userCode, verificationUri, verificationUriComplete }) =>
              answer({
                session: name,
                flow,
                startedBy: 'app',
                userCode,
                verificationUri,
                url: verificationUriComplete ?? verificationUri,
              }),
            // The UI opens the page itself (it may be on another screen than this process).
            openUrl: async () => false,
            showUrl: (url) =>
              answer({ session: name, flow, startedBy: 'app', url, inBrowser: true }),
          },
        })
        .catch((error: unknown) => {
          if (error instanceof SignInWaitingError && !answered) {
            answered = true;
            resolve({ ...pendingSignInView(error.pending), alreadyWaiting: true });
            return;
          }
          this.errors.delete(name);
          // A cancelled sign-in is what the user asked for, not a failure to show.
          if (!(error instanceof RolecallError && error.code === 'sso-cancelled'))
            this.errors.set(name, errorMessage(error));
          if (!answered) reject(error);
        })
        .finally(() => {
          const left = (this.running.get(name) ?? 1) - 1;
          if (left > 0) this.running.set(name, left);
          else this.running.delete(name);
        });
    });
  }

  /** Cancels the session's waiting sign-in, wherever it was started. */
  async cancel(session: SsoSessionRef): Promise<boolean> {
    this.errors.delete(sessionLabel(session));
    return (await this.sso.cancelSignIn(session)) !== null;
  }
}
