import { readFile, rm } from 'node:fs/promises';
import { parseJsonAs } from '../parse-json';
import { join } from 'node:path';
import { z } from 'zod';
import type { ServerInfo } from '../../../src-shared/server-info';
import { askInstanceHolder } from './instance-lock';
import { writePrivateFile } from './private-file';
import { isProcessAlive } from './process-alive';

/**
 * The running server announces itself in `<ROLECALL_HOME>/runtime.json` so the CLI can find it.
 * It holds no secret: the token stays in the keychain.
 */
export function runtimeFilePath(home: string): string {
  return join(home, 'runtime.json');
}

const serverInfoSchema = z.object({
  url: z.string(),
  host: z.string(),
  port: z.number().int(),
  tls: z.boolean(),
  caFile: z.string().optional(),
  pid: z.number().int(),
  version: z.string(),
  startedAt: z.string(),
});

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
  return parseJsonAs(serverInfoSchema, text);
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
