import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The passphrase Leapp encrypts its workspace with: node-machine-id's `machineIdSync()`, which
 * is the SHA-256 (hex) of the machine's id with every space and line break removed, lower-cased.
 * The id is, on Linux, the first line of /var/lib/dbus/machine-id or else /etc/machine-id (the
 * host name when neither exists); on macOS the IOPlatformUUID that `ioreg` reports; on Windows
 * the registry's Cryptography\MachineGuid.
 */
export interface MachineIdSources {
  platform: NodeJS.Platform;
  readFile: (path: string) => string;
  run: (command: string, args: string[]) => string;
  hostname: () => string;
}

export const systemMachineIdSources: MachineIdSources = {
  platform: process.platform,
  readFile: (path) => readFileSync(path, 'utf8'),
  run: (command, args) =>
    execFileSync(command, args, { encoding: 'utf8', timeout: 5000, windowsHide: true }),
  hostname,
};

export function leappMachineKey(sources: MachineIdSources = systemMachineIdSources): string {
  return createHash('sha256').update(rawMachineId(sources)).digest('hex');
}

function squeezed(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase();
}

function rawMachineId(sources: MachineIdSources): string {
  switch (sources.platform) {
    case 'darwin': {
      const report = sources.run('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']);
      const line = report.split('IOPlatformUUID')[1]?.split('\n')[0] ?? '';
      return line.replace(/[=\s"]+/g, '').toLowerCase();
    }
    case 'win32': {
      const report = sources.run('REG', [
        'QUERY',
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography',
        '/v',
        'MachineGuid',
      ]);
      return squeezed(report.split('REG_SZ')[1] ?? '');
    }
    default: {
      for (const path of ['/var/lib/dbus/machine-id', '/etc/machine-id']) {
        let text: string;
        try {
          text = sources.readFile(path);
        } catch {
          continue;
        }
        return squeezed(text.split('\n')[0] ?? '');
      }
      return squeezed(sources.hostname());
    }
  }
}
