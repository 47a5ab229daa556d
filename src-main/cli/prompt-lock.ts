import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonAs } from '../core/parse-json';
import { isProcessAlive } from '../core/runtime/process-alive';
import { removeStaleFile } from '../core/runtime/stale-file';

/** A claim is written within milliseconds of its file being created; empty for this long, it was abandoned. */
const EMPTY_CLAIM_STALE_MS = 5_000;

const recordSchema = z.object({ id: z.string(), key: z.string(), pid: z.number().int() });
type PromptRecord = z.infer<typeof recordSchema>;

/** The right to ask a question in a terminal; only one process holds it per question at a time. */
export interface HeldPrompt {
  release(): Promise<void>;
}

export type PromptClaim = { held: HeldPrompt } | { heldBy: number };

/**
 * One terminal asks each question, however many `rolecall load` or `credential-process`
 * processes wait on it: ten helpers started at once by a build tool must show one prompt, not
 * ten. The first to create `<ROLECALL_HOME>/prompts/<hash of the key>.json` (exclusively) asks;
 * the others wait for the answer through the server. A file whose process has ended (killed,
 * Ctrl-C) is taken over, so a question is never left with nobody to ask it.
 */
export class PromptLocks {
  constructor(
    private readonly dir: string,
    private readonly isAlive: (pid: number) => boolean = isProcessAlive,
  ) {}

  async claim(key: string): Promise<PromptClaim> {
    const record: PromptRecord = {
      id: randomBytes(12).toString('base64url'),
      key,
      pid: process.pid,
    };
    const path = this.pathOf(key);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; ; attempt += 1) {
      try {
        await writeFile(path, JSON.stringify(record), { flag: 'wx', mode: 0o600 });
        return { held: { release: () => this.release(path, record.id) } };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      }
      const current = await this.read(path);
      // Being written this instant (created, not yet filled): whoever made it asks. Left empty by
      // a process killed in that instant, it is stale once it has been empty for a while.
      if (current === undefined && !(await this.emptyForLong(path))) return { heldBy: 0 };
      if (current && this.isAlive(current.pid)) return { heldBy: current.pid };
      await removeStaleFile(path, current ?? null, (moved) => this.read(moved));
    }
  }

  private async release(path: string, id: string): Promise<void> {
    if ((await this.read(path))?.id === id) await rm(path, { force: true });
  }

  /** The record; null when it is damaged or gone; undefined when the file is still empty. */
  private async read(path: string): Promise<PromptRecord | null | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return null;
    }
    return text === '' ? undefined : parseJsonAs(recordSchema, text);
  }

  private async emptyForLong(path: string): Promise<boolean> {
    const written = await stat(path).then(
      (info) => info.mtimeMs,
      () => 0,
    );
    return Date.now() - written > EMPTY_CLAIM_STALE_MS;
  }

  private pathOf(key: string): string {
    return join(this.dir, `${createHash('sha1').update(key).digest('hex')}.json`);
  }
}
