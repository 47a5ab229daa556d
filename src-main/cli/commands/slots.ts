import type { Command } from 'commander';
import type { Snapshot } from '../../../src-shared/snapshot';
import { formatTimeLeft } from '../../../src-shared/time';
import { slotUrl } from '../../core/server/slot-url';
import { connect } from '../client';
import type { CliContext } from '../context';
import { parseDurationSeconds } from '../options';
import { formatStatus } from '../status-view';

export function registerSlotCommands(program: Command, context: () => CliContext): void {
  program
    .command('status')
    .description('Show the running server and every loaded slot: state, expiry and next refresh.')
    .option('--json', 'print the snapshot as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const client = await connect(ctx.home, ctx.secrets);
      const snapshot = await client.call('getSnapshot');
      ctx.stdout(
        options.json
          ? `${JSON.stringify({ server: client.info, ...snapshot }, null, 2)}\n`
          : formatStatus(client.info, snapshot, Date.now()),
      );
    });

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
      parseDurationSeconds,
    )
    .addHelpText(
      'after',
      '\nRolecall renews the credentials in the background before they expire. Loading a profile that is\nalready loaded renews it now.',
    )
    .action(async (profile: string, options: { slot?: boolean; every?: number }) => {
      const ctx = context();
      const client = await connect(ctx.home, ctx.secrets);
      const snapshot = await client.call('loadProfile', {
        profile,
        slot: options.slot ?? false,
        ...(options.every !== undefined && { refreshEverySeconds: options.every }),
      });
      const where = options.slot
        ? `its slot ${slotUrl(client.info.url, profile)}`
        : `the default slot ${client.info.url}`;
      ctx.stderr(`Loaded ${profile} into ${where}${expirySuffix(snapshot, profile)}.\n`);
    });

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
        await client.call('unloadAll');
        ctx.stderr('Unloaded every profile.\n');
      } else {
        await client.call('unloadProfile', { profile: profile! });
        ctx.stderr(`Unloaded ${profile}.\n`);
      }
    });
}

/** A mistake in how a command was called; printed with a pointer to --help. */
export class UsageError extends Error {}

function expirySuffix(snapshot: Snapshot, profile: string): string {
  const expiresAt = snapshot.entries.find((entry) => entry.profile === profile)?.expiresAt;
  if (!expiresAt) return '; the credentials do not expire';
  return `; they expire in ${formatTimeLeft(Date.parse(expiresAt) - Date.now())} (${expiresAt})`;
}
