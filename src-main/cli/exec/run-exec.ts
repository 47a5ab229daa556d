import type { ProfileInfo } from '../../../src-shared/profile';
import { slotUrl } from '../../../src-shared/slot-url';
import { formatTimeLeft } from '../../../src-shared/time';
import { RolecallError } from '../../core/errors';
import type { EcsCredentialsBody } from '../../core/server/ecs-format';
import { connect, type ServerClient } from '../client';
import type { CliContext } from '../context';
import { ExitStatus } from '../exit-status';
import { loadAnswering } from '../load-answering';
import { shellWord } from '../status-view';
import { UsageError } from '../usage-error';
import { childEnvironment, type ChildCredentials } from './child-env';
import { defaultProfileShadows, defaultProfileWithCredentials } from './default-profile';
import { runCommand } from './run-command';
import { trustFileFor, type TrustFile } from './trust-file';

export interface ExecOptions {
  /** Serve the command from the default slot (loading the profile there) instead of its own. */
  defaultSlot?: boolean;
  /** Give the command the keys themselves, as they are now, instead of the endpoint. */
  envKeys?: boolean;
}

/**
 * `rolecall exec <profile> -- <command> [args...]`: makes sure the profile is served (loading it,
 * and asking for an MFA code as `load` does, only when its slot holds nothing valid), then runs
 * the command with the endpoint of that slot in its environment and ends with its exit status.
 */
export async function runExec(
  ctx: CliContext,
  profile: string,
  commandLine: readonly string[],
  options: ExecOptions,
): Promise<void> {
  const [command, ...args] = commandLine;
  if (!command) {
    throw new UsageError(
      `Name the command to run after \`--\`: rolecall exec ${shellWord(profile)} -- <command> [args...].`,
    );
  }
  const client = await connect(ctx.home, ctx.secrets);
  const profiles = await client.call('listProfiles').catch(() => null);
  if (!options.envKeys) refuseShadowingDefault(profiles ?? [], profile);
  const body = options.defaultSlot
    ? await servedFromDefaultSlot(ctx, client, profile)
    : await servedFromOwnSlot(ctx, client, profile);
  const region = profiles?.find((known) => known.name === profile)?.region;

  let trust: TrustFile | undefined;
  let credentials: ChildCredentials;
  if (options.envKeys) {
    credentials = { kind: 'keys', body };
    ctx.stderr(`rolecall: warning: ${keysNotRenewed(profile, body.Expiration)}\n`);
  } else {
    const url = options.defaultSlot ? client.info.url : slotUrl(client.info.url, profile);
    if (client.info.caFile) trust = await trustFileFor(ctx.env, client.info.caFile);
    credentials = {
      kind: 'endpoint',
      url,
      authorization: client.authorization,
      ...(trust ? { caFile: trust.path } : {}),
    };
  }
  let status: number;
  try {
    status = await runCommand(command, args, {
      env: childEnvironment(ctx.env, credentials, region),
    });
  } finally {
    await trust?.dispose();
  }
  if (status !== 0) throw new ExitStatus(status);
}

/**
 * The profile's own slot, as it is when it holds valid credentials — so running many commands
 * renews nothing — else loaded, or its renewal joined.
 */
async function servedFromOwnSlot(
  ctx: CliContext,
  client: ServerClient,
  profile: string,
): Promise<EcsCredentialsBody> {
  const held = await heldCredentials(() => client.credentials(profile));
  if (held) return held;
  await loadAnswering(ctx, client, {
    profile,
    slot: true,
    reuseHeld: true,
    retryCommand: `rolecall load ${shellWord(profile)} --slot`,
  });
  return client.credentials(profile);
}

/** The default slot, when it serves this profile; else the profile is loaded there. */
async function servedFromDefaultSlot(
  ctx: CliContext,
  client: ServerClient,
  profile: string,
): Promise<EcsCredentialsBody> {
  const { defaultProfile } = await client.call('getSnapshot');
  if (defaultProfile === profile) {
    const held = await heldCredentials(() => client.credentials());
    if (held) return held;
  }
  await loadAnswering(ctx, client, {
    profile,
    slot: false,
    reuseHeld: true,
    retryCommand: `rolecall load ${shellWord(profile)}`,
  });
  if (defaultProfile && defaultProfile !== profile)
    ctx.stderr(`rolecall: ${profile} is now in the default slot, in place of ${defaultProfile}.\n`);
  return client.credentials();
}

/**
 * What a slot serves now, or null when a load must fill it first: nothing there (404), or
 * nothing valid (503: expired, or waiting for a person).
 */
async function heldCredentials(
  read: () => Promise<EcsCredentialsBody>,
): Promise<EcsCredentialsBody | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof RolecallError && (error.status === 404 || error.status === 503))
      return null;
    throw error;
  }
}

function refuseShadowingDefault(profiles: readonly ProfileInfo[], profile: string): void {
  if (profile === 'default') return;
  const fallback = defaultProfileWithCredentials(profiles);
  if (!fallback) return;
  throw new RolecallError(
    'default-profile-shadows',
    `${defaultProfileShadows(fallback, profile)}. Move them into a named profile, or pass --env-keys.`,
    409,
  );
}

function keysNotRenewed(profile: string, expiration: string): string {
  const left = formatTimeLeft(Date.parse(expiration) - Date.now());
  return `--env-keys gives the command ${profile}'s keys as they are now; they are not renewed while it runs, and expire in ${left} (${expiration}).`;
}
