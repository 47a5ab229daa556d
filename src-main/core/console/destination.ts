import { RolecallError } from '../errors';
import type { ConsolePartition } from './partitions';

export interface DestinationRequest {
  partition: ConsolePartition;
  region?: string;
  /** A console page by name: `s3` → https://console.aws.amazon.com/s3/home?region=… */
  service?: string;
  /** A console page by URL, or by its path below the console's home. */
  destination?: string;
}

/**
 * The console page the sign-in lands on. The console sends `/<service>/home` on to wherever that
 * service's pages live now (s3.console.aws.amazon.com, a regional host), so naming the service is
 * enough. A destination outside the partition's console domain is refused here, in words,
 * rather than by the sign-in endpoint after the credentials were sent.
 */
export function consoleDestination(request: DestinationRequest): string {
  const { partition, region, service, destination } = request;
  const withRegion = (url: URL) => {
    if (region !== undefined && !url.searchParams.has('region'))
      url.searchParams.set('region', region);
    return url.toString();
  };
  if (destination !== undefined) {
    if (destination.startsWith('/') && !destination.startsWith('//'))
      return withRegion(new URL(destination, partition.consoleUrl));
    return withRegion(absoluteDestination(destination, partition));
  }
  if (service !== undefined) return withRegion(new URL(`${service}/home`, partition.consoleUrl));
  if (region !== undefined) return withRegion(new URL('console/home', partition.consoleUrl));
  return partition.consoleUrl;
}

function absoluteDestination(text: string, partition: ConsolePartition): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(
      `The destination ${text} is not a URL; give a console page's https URL, or its path (/s3/buckets).`,
    );
  }
  const host = url.hostname.toLowerCase();
  const domain = partition.consoleDomain;
  if (url.protocol !== 'https:' || (host !== domain && !host.endsWith(`.${domain}`))) {
    throw refused(
      `The destination must be a page of the AWS console in ${partition.name}, an https URL on ${domain} (such as ${partition.consoleUrl}s3/home); ${url.protocol === 'https:' ? host : url.protocol.replace(/:$/, '')} is not.`,
    );
  }
  if (url.username || url.password) throw refused('The destination must not carry a user name.');
  return url;
}

function refused(sentence: string): RolecallError {
  return new RolecallError('console-destination', sentence, 400);
}
