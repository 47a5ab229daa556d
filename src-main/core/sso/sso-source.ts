import { refuseUnsafeAwsFiles } from '../config/sdk-file-guard';
import { awsClientTimeouts } from '../aws-client-config';
import {
  GetRoleCredentialsCommand,
  SSOClient,
  TooManyRequestsException,
  UnauthorizedException,
} from '@aws-sdk/client-sso';
import type { AwsCredentials } from '../credentials';
import { RolecallError } from '../errors';
import { SourceError, type CredentialSource } from '../sources/source';
import { awsFailureInWords, httpStatus } from './http-status';
import type { SessionTokens } from './session-tokens';
import { sessionLabel } from './session-key';
import { signInQuestion } from './sign-in-question';
import type { SsoSessionRef } from './types';

export interface SsoSourceOptions {
  profile: string;
  session: SsoSessionRef;
  accountId: string;
  roleName: string;
  tokens: SessionTokens;
  client?: SSOClient;
}

/**
 * The portal client for a session's region. The endpoint comes from the SDK's configuration, so
 * `AWS_ENDPOINT_URL_SSO` points it elsewhere.
 */
export function portalClient(session: SsoSessionRef, maxAttempts = 3): SSOClient {
  refuseUnsafeAwsFiles();
  return new SSOClient({ region: session.region, maxAttempts, ...awsClientTimeouts });
}

/**
 * Role credentials from IAM Identity Center (GetRoleCredentials). A 401/403 from the portal gets
 * one token renewal and one retry — the token may have been revoked or rotated elsewhere. When the
 * session has ended (no token, none renewable, or the portal refuses the renewed one), the source
 * asks for a new sign-in through its fetch context (`sso:<session>`: one question for every
 * profile of the session) and tries again once someone has signed in; a dismissed question, or a
 * fetch nobody waits for any more, fails with the sentence saying how to sign in.
 */
export function createSsoSource(options: SsoSourceOptions): CredentialSource {
  const client = options.client ?? portalClient(options.session);

  async function getRoleCredentials(accessToken: string): Promise<AwsCredentials> {
    const output = await client.send(
      new GetRoleCredentialsCommand({
        accessToken,
        accountId: options.accountId,
        roleName: options.roleName,
      }),
    );
    const credentials = output.roleCredentials;
    if (!credentials?.accessKeyId || !credentials.secretAccessKey) {
      throw new SourceError(
        options.profile,
        'bad-output',
        `IAM Identity Center returned no credentials for profile ${options.profile}.`,
      );
    }
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      ...(credentials.expiration ? { expiresAt: credentials.expiration } : {}),
      accountId: options.accountId,
      // GetRoleCredentials does not say the role's ARN, and it is not arn:…:role/<name>.
      roleName: options.roleName,
    };
  }

  async function attempt(): Promise<AwsCredentials> {
    try {
      const token = await options.tokens.valid(options.session);
      try {
        return await getRoleCredentials(token.accessToken);
      } catch (error) {
        const status = httpStatus(error);
        if (status !== 401 && status !== 403) throw error;
        const renewed = await options.tokens.forceRenew(options.session);
        return await getRoleCredentials(renewed.accessToken);
      }
    } catch (error) {
      throw explain(error, options);
    }
  }

  return {
    profile: options.profile,
    async fetch(context) {
      let retryReason: string | undefined;
      for (;;) {
        try {
          return await attempt();
        } catch (error) {
          if (!context || !(error instanceof SourceError) || error.failure !== 'sign-in-required')
            throw error;
          // The answer only says someone signed in (anywhere: the CLI, the window, `aws sso
          // login`); the keychain and the portal have the last word, on the next attempt.
          await context.ask(signInQuestion(options.session, retryReason)).catch(() => {
            throw error;
          });
          retryReason = `IAM Identity Center did not accept the sign-in to ${sessionLabel(options.session)}; sign in again.`;
        }
      }
    },
  };
}

function explain(error: unknown, options: SsoSourceOptions): SourceError {
  if (error instanceof SourceError) return error;
  const { profile, session } = options;
  const label = sessionLabel(session);
  if (error instanceof RolecallError && error.code === 'sso-session-ended') {
    return new SourceError(profile, 'sign-in-required', `Profile ${profile}: ${error.message}`, {
      cause: error,
    });
  }
  if (error instanceof UnauthorizedException) {
    return new SourceError(
      profile,
      'sign-in-required',
      `Profile ${profile}: IAM Identity Center no longer accepts the sign-in for ${label}. Sign in again with \`rolecall login${session.name ? ` ${session.name}` : ''}\`.`,
      { cause: error },
    );
  }
  if (httpStatus(error) === 403) {
    return new SourceError(
      profile,
      'denied',
      `Profile ${profile}: access to role ${options.roleName} in account ${options.accountId} was denied. Check your assignments in IAM Identity Center.`,
      { cause: error },
    );
  }
  if (error instanceof TooManyRequestsException) {
    return new SourceError(
      profile,
      'throttled',
      `Profile ${profile}: IAM Identity Center is throttling requests; Rolecall will retry.`,
      {
        cause: error,
      },
    );
  }
  return new SourceError(
    profile,
    'unreachable',
    `Profile ${profile}: could not get role credentials from IAM Identity Center: ${awsFailureInWords(error)}`,
    {
      cause: error,
    },
  );
}
