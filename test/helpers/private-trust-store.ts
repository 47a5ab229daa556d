import { execFile, spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Debian's CA store, swapped for private copies in the commands run through it. Each command runs
 * in a mount namespace of its own where directories in a temporary folder are bind-mounted over
 * the store's paths, so the real `rolecall trust` (and the `update-ca-certificates` it runs)
 * changes the copies, the real clients read them, and the machine's own store is never touched.
 */
export interface PrivateTrustStore {
  /** What /usr/local/share/ca-certificates is for the commands (extra CAs go here). */
  localDir: string;
  run(command: string, args: string[], options: RunOptions): Promise<RunResult>;
  dispose(): Promise<void>;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  input?: string;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Debian's store: where extra CAs go, the bundle clients read, the hooks, the list of CAs. */
const LOCAL_DIR = '/usr/local/share/ca-certificates';
const CERTS_DIR = '/etc/ssl/certs';
const HOOKS_DIR = '/etc/ca-certificates/update.d';
const CERTS_CONF = '/etc/ca-certificates.conf';

// Mounts made in a private namespace vanish with its last process; `--propagation private`
// (unshare's default, said out loud) keeps them from reaching the machine's mount table.
const MOUNT_AND_RUN = `set -e
mount --bind "$1" ${LOCAL_DIR}
mount --bind "$2" ${CERTS_DIR}
mount --bind "$3" ${HOOKS_DIR}
mount --bind "$4" ${CERTS_CONF}
shift 4
exec "$@"`;

const run = promisify(execFile);

/** Why this machine cannot host a private Debian CA store, or null when it can. */
export async function privateTrustStoreUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return 'Linux';
  if (process.getuid?.() !== 0) return 'root (to make mount namespaces)';
  for (const path of [LOCAL_DIR, CERTS_DIR, HOOKS_DIR, CERTS_CONF]) {
    if (!(await exists(path))) return `Debian's CA store (${path} is missing)`;
  }
  try {
    await run('unshare', ['--mount', '--propagation', 'private', 'true']);
    await run('sh', ['-c', 'command -v update-ca-certificates && command -v openssl']);
  } catch (error) {
    return `unshare --mount, update-ca-certificates and openssl (${(error as Error).message.trim()})`;
  }
  return null;
}

/**
 * A store holding only the CAs `seed` puts in `localDir`. Debian's own list is left out: on a busy
 * machine rebuilding it takes longer than a test may, and no client here needs a public CA.
 */
export async function createPrivateTrustStore(
  seed?: (localDir: string) => Promise<void>,
): Promise<PrivateTrustStore> {
  const root = await mkdtemp(join(tmpdir(), 'rolecall-trust-store-'));
  const dirs = ['local', 'certs', 'hooks'].map((name) => join(root, name));
  for (const dir of dirs) await mkdir(dir);
  const conf = join(root, 'ca-certificates.conf');
  await writeFile(conf, '');
  const [localDir] = dirs as [string, string, string];
  await seed?.(localDir);

  const store: PrivateTrustStore = {
    localDir,
    run: (command, args, options) =>
      runCommand(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          MOUNT_AND_RUN,
          'sh',
          ...dirs,
          conf,
          command,
          ...args,
        ],
        options,
      ),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  // The hooks directory is empty, so no hook (Java's keystore, say) runs against the copies.
  const built = await store.run('update-ca-certificates', ['--fresh'], { env: process.env });
  if (built.code !== 0) {
    await store.dispose();
    throw new Error(`update-ca-certificates failed in the private store: ${built.stderr}`);
  }
  return store;
}

function runCommand(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
