/**
 * Shared shapes of the IAM Identity Center (SSO) part of the core. Everything holding a token is
 * secret: it lives in the keychain (and, where interop asks for it, the AWS CLI's cache file).
 */

/** Where a user signs in: an `[sso-session <name>]` section, or a legacy profile's start URL. */
export interface SsoSessionRef {
  /** The sso-session name; null for legacy `sso_start_url` profiles. */
  name: string | null;
  startUrl: string;
  /** The Identity Center region (`sso_region`). */
  region: string;
  /** `sso_registration_scopes`, for sso-session style only. */
  registrationScopes?: string[];
}

/** An OIDC client registration (RegisterClient), reused until it expires. Secret. */
export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  /** Epoch ms. */
  expiresAt: number;
  scopes?: string[];
}

/** An access token for the Identity Center portal, and what it takes to renew it. Secret. */
export interface SsoToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  refreshToken?: string;
  registration?: ClientRegistration;
  startUrl: string;
  region: string;
}

/** One role a signed-in user can assume, as ListAccounts + ListAccountRoles report it. */
export interface DiscoveredRole {
  accountId: string;
  accountName: string;
  emailAddress?: string;
  roleName: string;
}
