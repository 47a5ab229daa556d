/** An IAM Identity Center session as every UI sees it. No tokens. */
export interface SsoSessionView {
  /** The sso-session name, or the start URL for legacy profiles. */
  name: string;
  startUrl: string;
  region: string;
  signedIn: boolean;
  /** RFC 3339 expiry of the current sign-in (access token), when signed in. */
  expiresAt: string | null;
  /** The access token renews itself with a refresh token (until Identity Center ends the session). */
  renewable?: boolean;
  /** A sign-in is under way: waiting for the user anywhere, or finishing in this Rolecall. */
  signingIn?: boolean;
  /** Where a sign-in to this session waits, whoever started it (window, tray, web UI or terminal). */
  signIn?: PendingSignIn;
  /** Why the last sign-in started from a UI failed, in words. */
  signInError?: string;
}

/** A sign-in waiting for the user to finish it. No secrets: the code is what the user types. */
export interface PendingSignIn {
  session: string;
  flow: 'device' | 'pkce';
  /** Rolecall itself (its window, tray or web UI), or `rolecall login` in a terminal. */
  startedBy: 'app' | 'terminal';
  /** Device flow: the code to confirm, and where. */
  userCode?: string;
  verificationUri?: string;
  /**
   * The page to open: for the device flow the one with the code filled in; for the browser flow
   * the authorize page, told only to the UI that started it.
   */
  url?: string;
  /** The browser flow waits for the browser to come back. */
  inBrowser?: boolean;
  /** startSignIn found this sign-in already waiting, and started none. */
  alreadyWaiting?: boolean;
}

/** What a UI shows to finish a sign-in it started (or found waiting). */
export type SignInStarted = PendingSignIn;
