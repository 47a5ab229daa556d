import type { DiscoveryProgress } from '../core/sso/discovery/discover-roles';

/** Lines in a log for a discovery: one per tenth of the accounts, whatever their number. */
const LOG_STEPS = 10;

export interface DiscoveryProgressView {
  update(progress: DiscoveryProgress): void;
  /** Ends the line a terminal was rewriting; call before printing anything else. */
  end(): void;
}

/**
 * Discovery progress as `rolecall login` shows it: on a terminal, one line rewritten in place; in
 * a pipe or a log, plain lines — the account total once it is known, then one line per tenth of
 * the accounts done. Until ListAccounts reaches its last page the total is "N+".
 */
export function discoveryProgressView(
  write: (text: string) => void,
  terminal: boolean,
): DiscoveryProgressView {
  let rewriting = false;
  let announced = false;
  let loggedStep = 0;
  return {
    update(progress) {
      const accounts = `${progress.accountsListed}${progress.allAccountsListed ? '' : '+'}`;
      if (terminal) {
        rewriting = true;
        write(
          `\r\x1b[KDiscovering roles: ${progress.accountsDone}/${accounts} accounts, ${progress.roles} roles`,
        );
        return;
      }
      if (!progress.allAccountsListed) return;
      const total = progress.accountsListed;
      if (!announced) {
        announced = true;
        write(`Found ${total} account${total === 1 ? '' : 's'}; listing the roles in each...\n`);
      }
      const step =
        total === 0 ? LOG_STEPS : Math.floor((progress.accountsDone * LOG_STEPS) / total);
      if (step > loggedStep && progress.accountsDone < total) {
        loggedStep = step;
        write(
          `Listed the roles of ${progress.accountsDone} of ${total} accounts (${progress.roles} roles so far).\n`,
        );
      }
    },
    end() {
      if (rewriting) write('\n');
      rewriting = false;
    },
  };
}
