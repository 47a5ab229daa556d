import { RolecallError } from '../errors';
import type { ConsolePartition } from './partitions';

/** The environment variable that replaces the sign-in URL (read by the running Rolecall). */
export const SIGN_IN_URL_ENV = 'ROLECALL_SIGNIN_URL';

/** Where an overriding sign-in URL came from, to name it when it is refused. */
export interface SignInUrlOverride {
  url: string;
  /** `ROLECALL_SIGNIN_URL`, or `console.signInUrl in settings.json`. */
  from: string;
}

/** Hosts a plain-http endpoint may have: credentials cross no network to reach them. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The federation endpoint credentials are sent to: the partition's own, or an override (a proxy,
 * a partition Rolecall has no table entry for, a fake in tests). An override must be https —
 * plain http only on this machine — and carry no query, user or fragment, because credentials
 * travel in its query.
 */
export function signInEndpoint(
  partition: ConsolePartition,
  override: SignInUrlOverride | undefined,
): string {
  if (!override) return partition.signInUrl;
  const problem = overrideProblem(override.url);
  if (problem !== null) {
    throw new RolecallError(
      'console-sign-in-url',
      `${override.from} must be the https URL of an AWS federation endpoint (such as ${partition.signInUrl}); ${problem}.`,
      400,
    );
  }
  return override.url;
}

/** What is wrong with an overriding sign-in URL, or null; also checks the setting when saved. */
export function overrideProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is not a URL`;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    return `${url.protocol.replace(/:$/, '')}://${url.host} would send credentials unencrypted (plain http is only for 127.0.0.1, localhost or [::1])`;
  if (url.search || url.hash || url.username || url.password)
    return 'it must not carry a query, a fragment or a user name';
  return null;
}
