/** An IAM Identity Center session as every UI sees it. No tokens. */
export interface SsoSessionView {
  /** The sso-session name, or the start URL for legacy profiles. */
  name: string;
  startUrl: string;
  region: string;
  signedIn: boolean;
  /** RFC 3339 expiry of the current sign-in (access token), when signed in. */
  expiresAt: string | null;
}
