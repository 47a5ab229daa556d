import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface TrustFile {
  /** What the command's NODE_EXTRA_CA_CERTS names. */
  path: string;
  /** Removes a file made for this run; the CA file itself stays. */
  dispose(): Promise<void>;
}

/**
 * The file Node-based SDKs in the command must trust: Rolecall's CA, plus the certificates the
 * user's own NODE_EXTRA_CA_CERTS already names (a company proxy's CA, say). Node reads only one
 * such file, so replacing the variable would break every other HTTPS call the command makes; both
 * go into a file of their own, made for this run (certificates are public; it is removed when the
 * command ends). A file of the user's that cannot be read adds nothing, as Node would also skip it.
 */
export async function trustFileFor(
  parentEnv: NodeJS.ProcessEnv,
  caFile: string,
): Promise<TrustFile> {
  const own = parentEnv.NODE_EXTRA_CA_CERTS;
  const alone: TrustFile = { path: caFile, dispose: async () => {} };
  if (!own || resolve(own) === resolve(caFile)) return alone;
  const [theirs, ours] = await Promise.all([
    readFile(own, 'utf8').catch(() => null),
    readFile(caFile, 'utf8'),
  ]);
  if (theirs === null) return alone;
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-exec-'));
  const path = join(dir, 'trust.pem');
  await writeFile(path, `${theirs.trimEnd()}\n${ours}`, { mode: 0o600 });
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}
