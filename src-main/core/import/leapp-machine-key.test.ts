import { createHash } from 'node:crypto';
import { machineIdSync } from 'node-machine-id';
import { describe, expect, it } from 'vitest';
import { leappMachineKey, type MachineIdSources } from './leapp-machine-key';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function sources(overrides: Partial<MachineIdSources>): MachineIdSources {
  return {
    platform: 'linux',
    readFile: () => {
      throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    },
    run: () => {
      throw new Error('not expected');
    },
    hostname: () => 'Build-Box',
    ...overrides,
  };
}

describe('leappMachineKey', () => {
  it('is the key node-machine-id gives Leapp on this machine', () => {
    expect(leappMachineKey()).toBe(machineIdSync());
  });

  it('on Linux takes the D-Bus machine id first, then /etc/machine-id, then the host name', () => {
    const files: Record<string, string> = {
      '/var/lib/dbus/machine-id': '0123ABCDEF\n',
      '/etc/machine-id': 'fedcba9876\n',
    };
    const read = (present: string[]) => (path: string) => {
      if (!present.includes(path)) throw new Error('ENOENT');
      return files[path]!;
    };
    expect(leappMachineKey(sources({ readFile: read(Object.keys(files)) }))).toBe(
      sha256('0123abcdef'),
    );
    expect(leappMachineKey(sources({ readFile: read(['/etc/machine-id']) }))).toBe(
      sha256('fedcba9876'),
    );
    expect(leappMachineKey(sources({}))).toBe(sha256('build-box'));
  });

  it("on macOS reads ioreg's IOPlatformUUID, on Windows the registry's MachineGuid", () => {
    const ioreg = [
      '+-o J314sAP  <class IOPlatformExpertDevice, id 0x100000219>',
      '    "IOPlatformSerialNumber" = "C02XXXX"',
      '    "IOPlatformUUID" = "4A1B2C3D-0000-1111-2222-333344445555"',
      '',
    ].join('\n');
    expect(leappMachineKey(sources({ platform: 'darwin', run: () => ioreg }))).toBe(
      sha256('4a1b2c3d-0000-1111-2222-333344445555'),
    );
    const reg = [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography',
      '    MachineGuid    REG_SZ    9F8E7D6C-aaaa-bbbb-cccc-ddddeeeeffff',
      '',
    ].join('\r\n');
    expect(leappMachineKey(sources({ platform: 'win32', run: () => reg }))).toBe(
      sha256('9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff'),
    );
  });
});
