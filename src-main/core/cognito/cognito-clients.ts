import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { awsClientTimeouts, type AwsClientTimeouts } from '../aws-client-config';
import { refuseUnsafeAwsFiles } from '../config/sdk-file-guard';
import { RolecallError } from '../errors';
import { configuredEndpoint, type EndpointService } from '../sts/configured-endpoint';

/** The SDKs' names for the two services' configured endpoints (service IDs "Cognito Identity Provider", "Cognito Identity"). */
export const USER_POOL_ENDPOINT: EndpointService = {
  envSuffix: 'COGNITO_IDENTITY_PROVIDER',
  servicesKey: 'cognito_identity_provider',
};
export const IDENTITY_POOL_ENDPOINT: EndpointService = {
  envSuffix: 'COGNITO_IDENTITY',
  servicesKey: 'cognito_identity',
};

/** Makes the clients of one Cognito sign-in, for the profile it is made for. */
export interface CognitoClients {
  userPool(region: string, profile: string): CognitoIdentityProviderClient;
  identityPool(region: string, profile: string): CognitoIdentityClient;
}

/** As for every AWS client Rolecall makes: the SDK retries within a renewal, the broker after. */
const MAX_ATTEMPTS = 3;

/**
 * The clients every Cognito source uses. Calls go where the AWS CLI would send them for the
 * profile (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, `AWS_ENDPOINT_URL_COGNITO_IDENTITY`, the
 * profile's `services` section or `endpoint_url`; see configured-endpoint.ts), else to the pool's
 * own region. Every call Rolecall makes to Cognito is unsigned; the credentials given refuse, so
 * the SDK never looks for others (which could be Rolecall's own endpoint).
 */
export function cognitoClients(settings: { timeouts?: AwsClientTimeouts } = {}): CognitoClients {
  const common = (service: EndpointService, region: string, profile: string) => {
    refuseUnsafeAwsFiles();
    const endpoint = configuredEndpoint(service, profile);
    return {
      region,
      ...(endpoint ? { endpoint } : { ignoreConfiguredEndpointUrls: true }),
      credentials: () =>
        Promise.reject(
          new RolecallError(
            'cognito-unsigned',
            'Rolecall signs no call to Amazon Cognito, yet the SDK asked for credentials.',
          ),
        ),
      maxAttempts: MAX_ATTEMPTS,
      ...(settings.timeouts ?? awsClientTimeouts),
    };
  };
  return {
    userPool: (region, profile) =>
      new CognitoIdentityProviderClient(common(USER_POOL_ENDPOINT, region, profile)),
    identityPool: (region, profile) =>
      new CognitoIdentityClient(common(IDENTITY_POOL_ENDPOINT, region, profile)),
  };
}
