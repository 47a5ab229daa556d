import type { Command } from 'commander';
import type { LoadedView, Snapshot } from '../../../src-shared/snapshot';
import { formatTimeLeft } from '../../../src-shared/time';
import { slotUrl } from '../../../src-shared/slot-url';
import { connect } from '../client';
import type { CliContext } from '../context';
import { keysInFileWarning } from '../keys-in-file-warning';
import { loadAnswering } from '../load-answering';
import { parseEvery, parseMfaCode } from '../api-options';
import { shellWord } from '../status-view';
import { UsageError } from '../usage-error';

export function registerSlotCommands(program: Command, context: () => CliContext): void {
  program
    .command('load')
    .description(
      "Fetch a profile's credentials and serve them from the default slot (or its own slot).",
    )
    .argument('<profile>', 'profile name from ~/.aws/config (see `rolecall profiles`)')
    .option(
      '-s, --slot',
      "load into the profile's own slot, /slot/<profile>, instead of the default slot",
    )
    .option(
      '--every <duration>',
      'also renew at least this often (e.g. 15m), whatever the expiry',
      parseEvery,
    )
    .option(
      '--mfa-code <code>',
      'the MFA code to use if the profile (or one it is made from) asks for one, for scripts',
      parseMfaCode,
    )
    .addHelpText(
      'after',
      '\nRolecall renews the credentials in the background before they expire. Loading a profile that is\nalready loaded renews it now. When the profile needs an MFA code, `load` asks for it in this terminal\n(hidden); without a terminal it says how to give it: `--mfa-code`, `rolecall answer`, or the window.',
    )
    .action(
      async (profile: string, options: { slot?: boolean; every?: number; mfaCode?: string }) => {
        const ctx = context();
        const client = await connect(ctx.home, ctx.secrets);
        const replaced = options.slot ? null : (await client.call('getSnapshot')).defaultProfile;
        const answer = await loadAnswering(ctx, client, {
          profile,
          slot: options.slot ?? false,
          ...(options.every !== undefined && { refreshEverySeconds: options.every }),
          ...(options.mfaCode !== undefined && { mfaCode: options.mfaCode }),
          retryCommand: `rolecall load ${shellWord(profile)}${options.slot ? ' --slot' : ''}`,
        });
        const where = options.slot
          ? `its slot ${slotUrl(client.info.url, profile)}`
          : `the default slot ${client.info.url}`;
        const instead = replaced && replaced !== profile ? ` in place of ${replaced}` : '';
        ctx.stderr(`Loaded ${profile} into ${where}${instead}${expirySuffix(answer.loaded)}.\n`);
        // A listing that fails costs only the warning; the load itself has worked.
        const keysWarning = keysInFileWarning(
          await client.call('listProfiles').catch(() => []),
          profile,
        );
        if (keysWarning) ctx.stderr(`rolecall: warning: ${keysWarning}\n`);
        warnIfNotSaved(ctx, answer);
      },
    );

  program
    .command('unload')
    .description('Stop serving a profile (from every slot it is in), or everything with --all.')
    .argument('[profile]', 'profile to unload')
    .option('-a, --all', 'empty the default slot and every named slot')
    .action(async (profile: string | undefined, options: { all?: boolean }) => {
      const ctx = context();
      if (!profile && !options.all) {
        throw new UsageError('Name a profile to unload, or pass --all.');
      }
      if (profile && options.all) throw new UsageError('Pass either a profile or --all, not both.');
      const client = await connect(ctx.home, ctx.secrets);
      if (options.all) {
        warnIfNotSaved(ctx, await client.call('unloadAll'), 'Unloaded every profile.');
      } else {
        const snapshot = await client.call('unloadProfile', { profile: profile! });
        warnIfNotSaved(ctx, snapshot, `Unloaded ${profile}.`);
      }
    });
}

/** Describes the credentials this load obtained, not whatever the slot holds by now. */
function expirySuffix({ expiresAt }: LoadedView): string {
  if (!expiresAt) return '; the credentials do not expire';
  return `; they expire in ${formatTimeLeft(Date.parse(expiresAt) - Date.now())} (${expiresAt})`;
}

/**
 * Prints what was done, then a warning when it will not survive a restart. The exit status stays
 * 0: the change is in effect now, and scripts that depend on it go on working until a restart.
 */
function warnIfNotSaved(ctx: CliContext, snapshot: Snapshot, done?: string): void {
  if (done) ctx.stderr(`${done}\n`);
  if (snapshot.notSaved) ctx.stderr(`rolecall: warning: ${snapshot.notSaved}\n`);
}
