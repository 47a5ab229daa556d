import { STSClient } from '@aws-sdk/client-sts';
import { awsClientTimeouts, type AwsClientTimeouts } from '../aws-client-config';
import { refuseUnsafeAwsFiles } from '../config/sdk-file-guard';
import type { AwsCredentials } from '../credentials';
import { RolecallError } from '../errors';
import { configuredStsEndpoint } from './configured-endpoint';

/** What an STS call needs to know beyond its parameters. */
export interface StsClientOptions {
  /** The credentials that sign the call; none for AssumeRoleWithWebIdentity. */
  credentials?: AwsCredentials;
  /** The profile's `region`; STS's global endpoint when absent (as the AWS CLI does). */
  region?: string;
  /** The profile's `sts_regional_endpoints` (`regional` or `legacy`). */
  regionalEndpoints?: 'regional' | 'legacy';
  /** The profile the call is made for, so the SDK's own config (endpoint URLs) applies. */
  profile?: string;
}

/**
 * Makes the STS client for one call, from the SDK's own configuration, so `AWS_ENDPOINT_URL_STS`
 * and the config file's endpoint settings work as they do for the AWS CLI; time-outs as for every
 * AWS client Rolecall makes; refused while an AWS config file is one Rolecall refuses.
 */
export type CreateStsClient = (options: StsClientOptions) => STSClient;

/**
 * Attempts per call, as for Rolecall's other AWS clients: the SDK retries throttling, 5xx and
 * dropped connections within one renewal; the broker's backoff takes over after that.
 */
const STS_MAX_ATTEMPTS = 3;

/** The client factory every STS source uses. */
export const createStsClient: CreateStsClient = stsClientFactory();

/**
 * A client factory with other time limits (tests of a hanging STS). Where the call goes, in this
 * order:
 *
 * - A configured endpoint (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's `services`
 *   section or `endpoint_url`; see configured-endpoint.ts): there, signed for the profile's
 *   region, or us-east-1 without one.
 * - No region: the global endpoint https://sts.amazonaws.com, signed for us-east-1 — what the AWS
 *   CLI v2 does (botocore's client region is then `aws-global`).
 * - A region: https://sts.<region>.amazonaws.com (the SDK's endpoint rules, so FIPS, dual-stack
 *   and other partitions come with them) — unless `sts_regional_endpoints = legacy` (or
 *   `AWS_STS_REGIONAL_ENDPOINTS=legacy`, which wins over the profile as in botocore) and the
 *   region is one of the sixteen that used the global endpoint before regional ones existed: then
 *   the global endpoint, signed for us-east-1.
 *
 * The AWS CLI v2 (its own botocore, `awscli/botocore/args.py`) ignores `sts_regional_endpoints`
 * and always calls the regional endpoint; botocore and boto3 (the AWS CLI v1, default `regional`
 * since botocore 1.40), the Go and Java SDKs and aws-vault honour `legacy`. Rolecall honours it:
 * whoever wrote `legacy` asked for the global endpoint, and `regional` is the default either way.
 */
export function stsClientFactory(settings: { timeouts?: AwsClientTimeouts } = {}): CreateStsClient {
  return (options) => {
    refuseUnsafeAwsFiles();
    const endpoint = configuredStsEndpoint(options.profile);
    const mode = regionalEndpointsSetting(options.regionalEndpoints);
    return new STSClient({
      // The SDK's rules turn (us-east-1, global) into https://sts.amazonaws.com signed for
      // us-east-1, and (a legacy region, global) into the same; other regions stay regional.
      region: options.region || 'us-east-1',
      useGlobalEndpoint: !options.region || mode === 'legacy',
      ...(options.profile ? { profile: options.profile } : {}),
      ...(endpoint
        ? { endpoint }
        : // Never the SDK's own lookup, which reads another profile's (see configured-endpoint.ts).
          { ignoreConfiguredEndpointUrls: true }),
      credentials: signingCredentials(options.credentials),
      maxAttempts: STS_MAX_ATTEMPTS,
      ...(settings.timeouts ?? awsClientTimeouts),
    });
  };
}

/**
 * The credentials as the SDK takes them. Without any, a call that must be signed fails with a
 * sentence instead of falling back to the SDK's default chain — which could read long-lived keys
 * from the files, or ask Rolecall itself through AWS_CONTAINER_CREDENTIALS_FULL_URI.
 * AssumeRoleWithWebIdentity is unsigned and never asks.
 */
function signingCredentials(credentials: AwsCredentials | undefined) {
  if (credentials) {
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      ...(credentials.expiresAt !== undefined
        ? { expiration: new Date(credentials.expiresAt) }
        : {}),
    };
  }
  return () =>
    Promise.reject(
      new RolecallError(
        'sts-no-credentials',
        'This STS call must be signed, but Rolecall was given no credentials to sign it with.',
      ),
    );
}

/** `sts_regional_endpoints` as botocore resolves it: the environment, the profile, `regional`. */
export function regionalEndpointsSetting(
  fromProfile: 'regional' | 'legacy' | undefined,
  env: NodeJS.ProcessEnv = process.env,
): 'regional' | 'legacy' {
  const fromEnv = env.AWS_STS_REGIONAL_ENDPOINTS;
  if (fromEnv) {
    if (fromEnv !== 'regional' && fromEnv !== 'legacy') {
      throw new RolecallError(
        'aws-setting-invalid',
        `The environment variable AWS_STS_REGIONAL_ENDPOINTS is ${JSON.stringify(fromEnv)}; set it to regional or legacy, or unset it.`,
        409,
      );
    }
    return fromEnv;
  }
  return fromProfile ?? 'regional';
}
