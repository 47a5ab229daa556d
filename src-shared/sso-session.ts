/** An IAM Identity Center session as every UI sees it. No tokens. */
export interface SsoSessionView {
  /** The sso-session name, or the start URL for legacy profiles. */
  name: string;
  startUrl: string;
  region: string;
  signedIn: boolean;
  /** RFC 3339 expiry of the current sign-in (access token), when signed in. */
  expiresAt: string | null;
  /** A sign-in started from a UI is waiting for the user. */
  signingIn?: boolean;
  /** Why the last sign-in started from a UI failed, in words. */
  signInError?: string;
}

/** What a UI shows to finish a sign-in it started. */
export interface SignInStarted {
  session: string;
  flow: 'device' | 'pkce';
  /** Device flow: the code to confirm, and where. */
  userCode?: string;
  verificationUri?: string;
  /** Both flows: the page to open in a browser. */
  url?: string;
}
