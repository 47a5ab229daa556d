import { readFile } from 'node:fs/promises';
import { parseJsonAs } from '../../parse-json';
import { join } from 'node:path';
import { z } from 'zod';
import { writePrivateFile } from '../../runtime/private-file';
import type { DiscoveredRole } from '../types';

/** A session's discovered roles: account ids, names and role names — nothing secret. */
export interface RoleCache {
  version: 1;
  startUrl: string;
  region: string;
  discoveredAt: string;
  roles: DiscoveredRole[];
}

const roleCacheSchema = z.object({
  version: z.literal(1),
  startUrl: z.string(),
  region: z.string(),
  discoveredAt: z.string(),
  roles: z.array(
    z.object({
      accountId: z.string(),
      accountName: z.string(),
      emailAddress: z.string().optional(),
      roleName: z.string(),
    }),
  ),
});

/** Roles are listed again after a day, so new assignments show up without a sign-in. */
export const ROLE_CACHE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

function cachePath(dir: string, sessionKey: string): string {
  return join(dir, `${sessionKey}.json`);
}

/** The cached roles, or null (with a warning for a damaged file) — never an exception. */
export async function readRoleCache(
  dir: string,
  sessionKey: string,
): Promise<{ cache: RoleCache | null; warning?: string }> {
  const path = cachePath(dir, sessionKey);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { cache: null };
  }
  const cache = parseJsonAs(roleCacheSchema, text);
  if (cache) return { cache: cache as RoleCache };
  return {
    cache: null,
    warning: `Ignoring ${path}: it is not a list of roles. Sign in again to rebuild it.`,
  };
}

export async function writeRoleCache(
  dir: string,
  sessionKey: string,
  data: { startUrl: string; region: string; roles: DiscoveredRole[] },
  now: number = Date.now(),
): Promise<void> {
  const cache: RoleCache = { version: 1, ...data, discoveredAt: new Date(now).toISOString() };
  await writePrivateFile(cachePath(dir, sessionKey), `${JSON.stringify(cache)}\n`);
}

export function isStale(cache: RoleCache, now: number, maxAgeMs = ROLE_CACHE_MAX_AGE_MS): boolean {
  const at = Date.parse(cache.discoveredAt);
  return Number.isNaN(at) || now - at > maxAgeMs;
}
