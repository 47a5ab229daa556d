import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { RolecallError } from '../core/errors';
import {
  DEFAULT_SOCKET_MODE,
  parseSocketMode,
  type UnixSocketOptions,
} from '../core/server/unix-socket';
import { UsageError } from './usage-error';

/** `--socket-mode` as commander parses it: a sentence for a value that is not a mode. */
export function socketModeOption(value: string): number {
  try {
    return parseSocketMode(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/**
 * `--socket`, `--socket-mode` and `--socket-group` together: the mode and group only mean
 * something with a socket, and a group its mode gives nothing would be a silent mistake.
 */
export async function socketOptions(options: {
  socket?: string;
  socketMode?: number;
  socketGroup?: string;
}): Promise<UnixSocketOptions | undefined> {
  if (options.socket === undefined) {
    if (options.socketMode !== undefined || options.socketGroup !== undefined) {
      throw new UsageError('--socket-mode and --socket-group need --socket <path>.');
    }
    return undefined;
  }
  if (options.socket === '') throw new UsageError('--socket needs a path.');
  const mode = options.socketMode ?? DEFAULT_SOCKET_MODE;
  if (options.socketGroup === undefined) return { path: options.socket, mode };
  if ((mode & 0o060) === 0) {
    throw new UsageError(
      `--socket-group ${options.socketGroup} gives that group nothing with mode 0${mode.toString(8)}; add --socket-mode 0660.`,
    );
  }
  return { path: options.socket, mode, gid: await groupId(options.socketGroup) };
}

/**
 * A group's id from its number or name. Node has no getgrnam: `getent` asks the system's name
 * service (LDAP and the like included) where it exists; /etc/group is the fallback (macOS).
 */
export async function groupId(group: string): Promise<number> {
  if (/^\d+$/.test(group)) return Number(group);
  const fromGetent = await new Promise<string | null>((done) => {
    execFile('getent', ['group', group], { timeout: 5_000 }, (error, stdout) =>
      done(error ? null : stdout),
    );
  });
  const line =
    fromGetent ??
    (await readFile('/etc/group', 'utf8').catch(() => ''))
      .split('\n')
      .find((entry) => entry.split(':')[0] === group);
  const gid = line?.split(':')[2];
  if (line && gid && /^\d+$/.test(gid.trim())) return Number(gid.trim());
  throw new RolecallError(
    'group-unknown',
    `There is no group named ${group} on this machine; give --socket-group an existing group's name or number.`,
    400,
  );
}
