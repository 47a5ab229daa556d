import {
  ListAccountRolesCommand,
  ListAccountsCommand,
  TooManyRequestsException,
  UnauthorizedException,
  type SSOClient,
} from '@aws-sdk/client-sso';
import { RolecallError } from '../../errors';
import type { DiscoveredRole } from '../types';
import { awsFailureInWords, httpStatus, isConnectFailure } from '../http-status';
import { Pacer } from './pacer';

export interface DiscoveryProgress {
  /** Accounts listed so far; the total only once `allAccountsListed`. */
  accountsListed: number;
  /** ListAccounts has reached its last page. */
  allAccountsListed: boolean;
  /** Accounts whose roles are all listed. */
  accountsDone: number;
  roles: number;
}

export interface DiscoverOptions {
  /** Create it with `maxAttempts: 1`: retries follow the policy below, not the SDK's. */
  client: SSOClient;
  accessToken: string;
  /**
   * Accounts whose roles are listed at once. Eight keeps a 2,000-account organisation quick
   * without bursting far past the portal's per-user rate limit.
   */
  concurrency?: number;
  /**
   * A fixed pace (calls per second) when the portal's limit is known; otherwise the pace starts at
   * 50/s and adapts to the throttling it meets.
   */
  maxRequestsPerSecond?: number;
  retry?: { initialDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  onProgress?: (progress: DiscoveryProgress) => void;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Where an adaptive pace starts: brisk for a small organisation, cut quickly when throttled. */
const ADAPTIVE_START_PER_SECOND = 50;

/** ListAccounts' and ListAccountRoles' largest page. */
const PAGE_SIZE = 100;

/**
 * A refused connection or an unknown host rarely heals within seconds (unlike throttling or a
 * dropped answer): a few quick tries ride out a proxy restarting, then the user hears it.
 */
const CONNECT_ATTEMPTS = 3;

/**
 * Every account and role the signed-in user can use: ListAccounts (all pages), then
 * ListAccountRoles for each account (all pages) with bounded concurrency. Throttling, 5xx and
 * network errors are retried with capped exponential backoff and full jitter; an invalid token or
 * denied access stops everything at once with a sentence saying what to do.
 */
export async function discoverRoles(options: DiscoverOptions): Promise<DiscoveredRole[]> {
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const pacer = new Pacer(
    options.maxRequestsPerSecond
      ? { initialPerSecond: options.maxRequestsPerSecond, fixed: true }
      : { initialPerSecond: ADAPTIVE_START_PER_SECOND },
    sleep,
  );
  const initialDelay = options.retry?.initialDelayMs ?? 200;
  const maxDelay = options.retry?.maxDelayMs ?? 10_000;
  const maxAttempts = options.retry?.maxAttempts ?? 10;
  const progress: DiscoveryProgress = {
    accountsListed: 0,
    allAccountsListed: false,
    accountsDone: 0,
    roles: 0,
  };
  const report = () => options.onProgress?.({ ...progress });

  async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      if (options.signal?.aborted)
        throw new RolecallError('discovery-cancelled', 'Discovery was cancelled.', 499);
      await pacer.take();
      try {
        const result = await send();
        pacer.succeeded();
        return result;
      } catch (error) {
        if (!isRetryable(error)) throw explain(error, what);
        if (isThrottled(error)) pacer.throttled();
        const connect = isConnectFailure(error);
        if (attempt >= (connect ? Math.min(CONNECT_ATTEMPTS, maxAttempts) : maxAttempts)) {
          throw gaveUp(error, what, attempt);
        }
        await sleep(random() * Math.min(maxDelay, initialDelay * 2 ** (attempt - 1)));
      }
    }
  }

  const accounts: Array<{ accountId: string; accountName: string; emailAddress?: string }> = [];
  let nextToken: string | undefined;
  do {
    const page = await call('ListAccounts', () =>
      options.client.send(
        new ListAccountsCommand({
          accessToken: options.accessToken,
          maxResults: PAGE_SIZE,
          nextToken,
        }),
      ),
    );
    for (const account of page.accountList ?? []) {
      if (!account.accountId) continue;
      accounts.push({
        accountId: account.accountId,
        accountName: account.accountName ?? account.accountId,
        ...(account.emailAddress ? { emailAddress: account.emailAddress } : {}),
      });
    }
    nextToken = page.nextToken || undefined;
    progress.accountsListed = accounts.length;
    progress.allAccountsListed = nextToken === undefined;
    report();
  } while (nextToken);

  const roles: DiscoveredRole[] = [];
  let cursor = 0;
  let failure: unknown;
  const worker = async () => {
    while (cursor < accounts.length && failure === undefined) {
      const account = accounts[cursor++]!;
      let token: string | undefined;
      do {
        const page = await call(`ListAccountRoles for account ${account.accountId}`, () =>
          options.client.send(
            new ListAccountRolesCommand({
              accessToken: options.accessToken,
              accountId: account.accountId,
              maxResults: PAGE_SIZE,
              nextToken: token,
            }),
          ),
        );
        for (const role of page.roleList ?? []) {
          if (role.roleName) roles.push({ ...account, roleName: role.roleName });
        }
        token = page.nextToken || undefined;
      } while (token);
      progress.accountsDone += 1;
      progress.roles = roles.length;
      report();
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  await Promise.all(
    Array.from({ length: Math.min(concurrency, accounts.length) }, () =>
      worker().catch((error: unknown) => {
        failure ??= error;
      }),
    ),
  );
  if (failure !== undefined) throw failure;
  return roles.sort(
    (a, b) =>
      compare(a.accountName, b.accountName) ||
      compare(a.accountId, b.accountId) ||
      compare(a.roleName, b.roleName),
  );
}

function isThrottled(error: unknown): boolean {
  const status = httpStatus(error);
  return error instanceof TooManyRequestsException || status === 429;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof TooManyRequestsException) return true;
  const status = httpStatus(error);
  if (status !== undefined) return status === 429 || status >= 500;
  // No HTTP status: the request never got an answer (reset, refused, timed out).
  return error instanceof Error && !(error instanceof RolecallError);
}

function explain(error: unknown, what: string): RolecallError {
  if (error instanceof RolecallError) return error;
  const status = httpStatus(error);
  if (error instanceof UnauthorizedException || status === 401) {
    return new RolecallError(
      'sso-session-ended',
      'IAM Identity Center no longer accepts this sign-in. Sign in again with `rolecall login`.',
      401,
      {
        cause: error,
      },
    );
  }
  if (status === 403) {
    return new RolecallError(
      'sso-access-denied',
      `IAM Identity Center denied ${what}. Check your assignments, then sign in again with \`rolecall login\`.`,
      403,
      {
        cause: error,
      },
    );
  }
  return new RolecallError(
    'discovery-failed',
    `IAM Identity Center could not answer ${what}: ${awsFailureInWords(error)}`,
    502,
    { cause: error },
  );
}

/** The last failure of a call retried in vain, in words that say what kind of failure it was. */
function gaveUp(error: unknown, what: string, attempts: number): RolecallError {
  const words = awsFailureInWords(error);
  if (isConnectFailure(error)) {
    return new RolecallError(
      'sso-unreachable',
      `Could not connect to IAM Identity Center for ${what} (${words}). Check your network, proxy or AWS_ENDPOINT_URL_SSO, then try again.`,
      503,
      { cause: error },
    );
  }
  if (isThrottled(error)) {
    return new RolecallError(
      'discovery-throttled',
      `IAM Identity Center kept throttling ${what} after ${attempts} attempts (${words}). Try again in a minute.`,
      503,
      { cause: error },
    );
  }
  const status = httpStatus(error);
  return new RolecallError(
    'discovery-failed',
    status === undefined
      ? `IAM Identity Center did not answer ${what} after ${attempts} attempts (${words}). Try again in a minute.`
      : `IAM Identity Center kept failing ${what} after ${attempts} attempts (HTTP ${status}: ${words}). Try again in a minute.`,
    503,
    { cause: error },
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
