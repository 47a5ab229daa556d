import { describe, expect, it } from 'vitest';
import {
  globMatches,
  headlessArguments,
  missingDisplay,
  profileAttachments,
  sandboxBlockedByAppArmor,
  type SandboxFacts,
} from '../scripts/desktop-support.mjs';

const ELECTRON = '/home/dev/src/rolecall/node_modules/electron/dist/electron';
const HELPER = '/home/dev/src/rolecall/node_modules/electron/dist/chrome-sandbox';

/** Ubuntu 24.04 after `npm install`: the restriction on, the helper owned by the user, 0755. */
function ubuntu2404(overrides: Partial<SandboxFacts> = {}): SandboxFacts {
  return {
    platform: 'linux',
    restrictUnprivilegedUserns: '1',
    sandboxHelper: { uid: 1000, mode: 0o100755 },
    appArmorProfiles: [],
    electronPath: ELECTRON,
    args: [],
    env: {},
    ...overrides,
  };
}

describe('sandboxBlockedByAppArmor', () => {
  it('says why Electron would abort on Ubuntu 24.04 and how to fix it', () => {
    const blocked = sandboxBlockedByAppArmor(ubuntu2404());
    expect(blocked?.reason).toBe(
      `AppArmor keeps Electron's sandbox from starting here (kernel.apparmor_restrict_unprivileged_userns = 1, and ${HELPER} is not setuid root)`,
    );
    expect(blocked?.fix).toContain(`sudo chown root:root ${HELPER} && sudo chmod 4755 ${HELPER}`);
    expect(blocked?.fix).toContain(`AppArmor profile that allows user namespaces for ${ELECTRON}`);
  });

  it('says so when the helper is missing altogether', () => {
    expect(sandboxBlockedByAppArmor(ubuntu2404({ sandboxHelper: null }))?.reason).toContain(
      `${HELPER} is missing`,
    );
  });

  it('lets Electron start where the restriction is off or absent, or not Linux', () => {
    expect(sandboxBlockedByAppArmor(ubuntu2404({ restrictUnprivilegedUserns: '0' }))).toBeNull();
    expect(sandboxBlockedByAppArmor(ubuntu2404({ restrictUnprivilegedUserns: null }))).toBeNull();
    expect(sandboxBlockedByAppArmor(ubuntu2404({ platform: 'darwin' }))).toBeNull();
  });

  it('lets Electron start with a setuid-root helper, but not a setuid one owned by the user', () => {
    expect(
      sandboxBlockedByAppArmor(ubuntu2404({ sandboxHelper: { uid: 0, mode: 0o104755 } })),
    ).toBeNull();
    expect(
      sandboxBlockedByAppArmor(ubuntu2404({ sandboxHelper: { uid: 0, mode: 0o100755 } })),
    ).not.toBeNull();
    expect(
      sandboxBlockedByAppArmor(ubuntu2404({ sandboxHelper: { uid: 1000, mode: 0o104755 } })),
    ).not.toBeNull();
  });

  it('lets Electron start under an AppArmor profile that allows userns for its binary', () => {
    const profile = (attach: string, rules = 'userns,') =>
      `abi <abi/4.0>,\ninclude <tunables/global>\n\nprofile rolecall-electron ${attach} flags=(unconfined) {\n  ${rules}\n}\n`;
    expect(
      sandboxBlockedByAppArmor(ubuntu2404({ appArmorProfiles: [profile(ELECTRON)] })),
    ).toBeNull();
    expect(
      sandboxBlockedByAppArmor(
        ubuntu2404({ appArmorProfiles: [profile('/home/*/src/**/electron/dist/electron')] }),
      ),
    ).toBeNull();
    // A profile for another program, or one without userns, changes nothing.
    expect(
      sandboxBlockedByAppArmor(ubuntu2404({ appArmorProfiles: [profile('/opt/Other/other')] })),
    ).not.toBeNull();
    expect(
      sandboxBlockedByAppArmor(ubuntu2404({ appArmorProfiles: [profile(ELECTRON, 'network,')] })),
    ).not.toBeNull();
  });

  it('lets Electron start when its sandbox is turned off', () => {
    expect(sandboxBlockedByAppArmor(ubuntu2404({ args: ['--no-sandbox'] }))).toBeNull();
    expect(
      sandboxBlockedByAppArmor(ubuntu2404({ env: { ELECTRON_DISABLE_SANDBOX: '1' } })),
    ).toBeNull();
  });
});

describe('AppArmor profile attachments', () => {
  it('reads named, path-named and bare profiles, quoted or not', () => {
    const text = [
      'profile app /opt/App/app flags=(unconfined) {',
      '}',
      'profile /usr/bin/tool {',
      '}',
      '"/opt/My App/app" flags=(unconfined) {',
      '}',
      'profile nameonly flags=(unconfined) {',
      '}',
    ].join('\n');
    expect(profileAttachments(text).sort()).toEqual(
      ['/opt/App/app', '/opt/My App/app', '/usr/bin/tool'].sort(),
    );
  });

  it('globs as AppArmor does', () => {
    expect(globMatches('/home/*/electron', '/home/dev/electron')).toBe(true);
    expect(globMatches('/home/*/electron', '/home/dev/src/electron')).toBe(false);
    expect(globMatches('/home/**/electron', '/home/dev/src/electron')).toBe(true);
    expect(globMatches('/opt/{a,b}/x', '/opt/b/x')).toBe(true);
    expect(globMatches('/opt/a.b', '/opt/aXb')).toBe(false);
  });
});

describe('npm start without the desktop app', () => {
  it('knows when there is no display', () => {
    expect(missingDisplay('linux', {})).toBe(
      'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)',
    );
    expect(missingDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(missingDisplay('linux', { DISPLAY: ':0' })).toBeNull();
    expect(missingDisplay('darwin', {})).toBeNull();
  });

  it('starts the headless host with its web UI, keeping what was passed', () => {
    expect(headlessArguments([])).toEqual(['serve', '--ui']);
    expect(headlessArguments(['--port', '41700'])).toEqual(['serve', '--port', '41700', '--ui']);
    expect(headlessArguments(['--ui'])).toEqual(['serve', '--ui']);
  });
});
