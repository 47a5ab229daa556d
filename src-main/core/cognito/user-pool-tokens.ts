import { findProfile, loadProfiles } from '../config/profiles';
import type { ProfileFiles } from '../config/profile-config';
import { RolecallError } from '../errors';
import { currentUserPoolTokens } from '../sources/cognito';
import type { FetchContext } from '../sources/source';
import type { CreateStsClient } from '../sts/sts-client';
import type { CognitoClients } from './cognito-clients';
import type { CognitoSecrets, UserPoolTokens } from './cognito-secrets';

export interface CognitoUserPoolTokensOptions {
  secrets: CognitoSecrets;
  files?: ProfileFiles;
  clients?: CognitoClients;
  createStsClient: CreateStsClient;
}

/**
 * The user pool's own ID and access tokens of a Cognito profile, by name — for serving them as
 * OAuth2 tokens. Shares the keychain's tokens with the profile's credentials source: valid ones
 * are returned as they are, else renewed with the refresh token, else a full sign-in (which may
 * ask a person through `context.ask`, as a load does). Refused with a sentence for a profile that
 * is not a loadable Cognito profile.
 */
export function cognitoUserPoolTokens(options: CognitoUserPoolTokensOptions) {
  return async (profile: string, context: FetchContext): Promise<UserPoolTokens> => {
    const config = findProfile(await loadProfiles(options.files), profile);
    if (config.kind !== 'cognito') {
      throw new RolecallError(
        'not-cognito',
        `Profile ${profile} is no Amazon Cognito profile (it has no cognito_user_pool_id), so it has no user pool tokens.`,
        409,
      );
    }
    if (config.notLoadableReason) {
      throw new RolecallError(
        'not-loadable',
        `Profile ${profile} cannot be loaded: ${config.notLoadableReason}.`,
        409,
      );
    }
    return currentUserPoolTokens(
      {
        profile: config,
        secrets: options.secrets,
        ...(options.clients ? { clients: options.clients } : {}),
        createStsClient: options.createStsClient,
      },
      context,
    );
  };
}
