import { RolecallError } from '../errors';

/** An AWS partition whose console Rolecall can sign in to, with its two hosts. */
export interface ConsolePartition {
  name: 'aws' | 'aws-cn' | 'aws-us-gov';
  /** The federation endpoint: `getSigninToken`, then `login`. */
  signInUrl: string;
  /** The console's home page; `--service` pages are below it. */
  consoleUrl: string;
  /** A destination must be on this domain (or below it), else the sign-in endpoint refuses it. */
  consoleDomain: string;
}

const AWS: ConsolePartition = {
  name: 'aws',
  signInUrl: 'https://signin.aws.amazon.com/federation',
  consoleUrl: 'https://console.aws.amazon.com/',
  consoleDomain: 'aws.amazon.com',
};
const AWS_CN: ConsolePartition = {
  name: 'aws-cn',
  signInUrl: 'https://signin.amazonaws.cn/federation',
  consoleUrl: 'https://console.amazonaws.cn/',
  consoleDomain: 'amazonaws.cn',
};
const AWS_US_GOV: ConsolePartition = {
  name: 'aws-us-gov',
  signInUrl: 'https://signin.amazonaws-us-gov.com/federation',
  consoleUrl: 'https://console.amazonaws-us-gov.com/',
  consoleDomain: 'amazonaws-us-gov.com',
};

/** Region prefixes of the isolated partitions (aws-iso, aws-iso-b, aws-iso-e, aws-iso-f). */
const ISOLATED = /^(?:us-iso-|us-isob-|us-isof-|eu-isoe-)/;

/**
 * The partition a region belongs to, by its prefix as the SDK's partition table has it; the
 * commercial one when there is no region (the console then opens in the region last used).
 */
export function consolePartition(region: string | undefined): ConsolePartition {
  if (region === undefined) return AWS;
  if (region.startsWith('cn-')) return AWS_CN;
  if (region.startsWith('us-gov-')) return AWS_US_GOV;
  if (ISOLATED.test(region)) {
    throw new RolecallError(
      'console-partition',
      `Region ${region} is in an isolated AWS partition, whose console Rolecall cannot sign in to; give another region with --region.`,
      400,
    );
  }
  return AWS;
}
