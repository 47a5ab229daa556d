import { readFile, rm } from 'node:fs/promises';
import type { ServerInfo } from '../../../src-shared/server-info';
import { askInstanceHolder } from './instance-holder';
import { writePrivateFile } from './private-file';
import { isProcessAlive } from './process-alive';

import { runtimeFilePath } from '../paths';

export { runtimeFilePath };

/**
 * The runtime file read back, or null when it is not one a server wrote. Checked by hand rather
 * than with a zod schema: every `credential-process`, `env` and shell prompt reads this file, and
 * loading zod would cost them more than all their own work.
 */
export function parseServerInfo(text: string): ServerInfo | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const info = json as Record<string, unknown>;
  const strings = ['url', 'host', 'version', 'startedAt'].every(
    (key) => typeof info[key] === 'string',
  );
  const integers = ['port', 'pid'].every((key) => Number.isInteger(info[key]));
  const optional = ['caFile', 'socket'].every(
    (key) => info[key] === undefined || typeof info[key] === 'string',
  );
  if (!strings || !integers || typeof info.tls !== 'boolean' || !optional) return null;
  // Only ServerInfo's own fields: anything else in the file is dropped.
  return {
    url: info.url as string,
    host: info.host as string,
    port: info.port as number,
    tls: info.tls,
    ...(info.caFile === undefined ? {} : { caFile: info.caFile as string }),
    ...(info.socket === undefined ? {} : { socket: info.socket as string }),
    pid: info.pid as number,
    version: info.version as string,
    startedAt: info.startedAt as string,
  };
}

export async function writeRuntimeFile(home: string, info: ServerInfo): Promise<void> {
  await writePrivateFile(runtimeFilePath(home), `${JSON.stringify(info, null, 2)}\n`);
}

/** The announced server, or null when there is no runtime file or it is unreadable. */
export async function readRuntimeFile(home: string): Promise<ServerInfo | null> {
  let text: string;
  try {
    text = await readFile(runtimeFilePath(home), 'utf8');
  } catch {
    return null;
  }
  return parseServerInfo(text);
}

/** Removes the runtime file only if it still describes this process (a newer server may own it). */
export async function removeRuntimeFile(home: string, pid: number): Promise<void> {
  const current = await readRuntimeFile(home);
  if (current && current.pid !== pid) return;
  await rm(runtimeFilePath(home), { force: true });
}

/**
 * The announced server, if it is the Rolecall that holds this home's instance lock. A runtime
 * file left by a server that was killed names a pid that may since belong to another process;
 * the lock knows better.
 */
export async function readLiveRuntimeFile(home: string): Promise<ServerInfo | null> {
  const info = await readRuntimeFile(home);
  if (!info) return null;
  const holder = await askInstanceHolder(home);
  if (!holder) return null;
  return (holder.pid === null ? isProcessAlive(info.pid) : holder.pid === info.pid) ? info : null;
}
