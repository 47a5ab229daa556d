import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials } from '../credentials';

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
