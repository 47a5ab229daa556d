import { execFile } from 'node:child_process';
import { access, chmod, copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RolecallError } from '../errors';

const run = promisify(execFile);

/** The name the CA gets in every system store, so `--remove` finds exactly it. */
export const TRUSTED_CA_NAME = 'Rolecall local CA';
const ANCHOR_FILE = 'rolecall-local-ca.crt';

/** One operating system's trust store: where the CA goes and the command that refreshes it. */
export interface TrustStore {
  name: string;
  add(caFile: string): Promise<void>;
  remove(): Promise<void>;
}

type Runner = (command: string, args: string[]) => Promise<unknown>;

/** A CA-directory store (Debian/Ubuntu, Fedora/RHEL): copy the PEM in, then run the update tool. */
export function directoryTrustStore(options: {
  name: string;
  anchorDir: string;
  update: [string, ...string[]];
  runner?: Runner;
}): TrustStore {
  const runner = options.runner ?? ((command, args) => run(command, args));
  const anchor = join(options.anchorDir, ANCHOR_FILE);
  const update = () => runner(options.update[0], options.update.slice(1));
  return {
    name: options.name,
    async add(caFile) {
      await guard(async () => {
        await copyFile(caFile, anchor);
        // Every program on the machine reads the anchor (OpenSSL's hashed directory links to
        // it), and a copy keeps the mode of a CA file its owner kept to themselves.
        await chmod(anchor, 0o644);
      }, options.name);
      await guard(update, options.name);
    },
    async remove() {
      await guard(() => rm(anchor, { force: true }), options.name);
      await guard(update, options.name);
    },
  };
}

/** The store of this machine, or an error naming what is supported. */
export async function systemTrustStore(
  platform: NodeJS.Platform = process.platform,
): Promise<TrustStore> {
  if (platform === 'darwin') {
    const keychain = '/Library/Keychains/System.keychain';
    return {
      name: 'the macOS System keychain',
      add: (caFile) =>
        guard(
          () =>
            run('security', ['add-trusted-cert', '-d', '-r', 'trustRoot', '-k', keychain, caFile]),
          'the macOS System keychain',
        ),
      remove: () =>
        guard(
          () => run('security', ['delete-certificate', '-c', TRUSTED_CA_NAME, keychain]),
          'the macOS System keychain',
        ),
    };
  }
  if (platform === 'win32') {
    return {
      name: 'the Windows Root certificate store',
      add: (caFile) =>
        guard(
          () => run('certutil', ['-addstore', '-f', 'Root', caFile]),
          'the Windows Root certificate store',
        ),
      remove: () =>
        guard(
          () => run('certutil', ['-delstore', 'Root', TRUSTED_CA_NAME]),
          'the Windows Root certificate store',
        ),
    };
  }
  if (
    (await exists('/usr/local/share/ca-certificates')) &&
    (await onPath('update-ca-certificates'))
  ) {
    return directoryTrustStore({
      name: 'the Debian/Ubuntu CA store (/usr/local/share/ca-certificates)',
      anchorDir: '/usr/local/share/ca-certificates',
      update: ['update-ca-certificates', '--fresh'],
    });
  }
  if ((await exists('/etc/pki/ca-trust/source/anchors')) && (await onPath('update-ca-trust'))) {
    return directoryTrustStore({
      name: 'the Fedora/RHEL CA store (/etc/pki/ca-trust/source/anchors)',
      anchorDir: '/etc/pki/ca-trust/source/anchors',
      update: ['update-ca-trust', 'extract'],
    });
  }
  throw new RolecallError(
    'trust-unsupported',
    'This system has no CA store Rolecall knows (Debian/Ubuntu ca-certificates, Fedora/RHEL ca-trust, macOS, Windows). Trust the CA file by hand, or use credential_process.',
    501,
  );
}

async function guard(step: () => Promise<unknown>, store: string): Promise<void> {
  try {
    await step();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    if (
      code === 'EACCES' ||
      code === 'EPERM' ||
      /permission denied|not permitted|authorization/i.test(stderr)
    ) {
      throw new RolecallError(
        'trust-needs-admin',
        `Changing ${store} needs administrator rights. Run it again as an administrator: sudo rolecall trust --ca-file <your ca.pem> (or from an elevated shell on Windows).`,
        403,
        { cause: error },
      );
    }
    throw new RolecallError(
      'trust-failed',
      `Could not change ${store}: ${stderr || (error as Error).message}`,
      500,
      { cause: error },
    );
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function onPath(command: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${command}`]).then(
    () => true,
    () => false,
  );
}
