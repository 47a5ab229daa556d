// How `npm run dist` packages the desktop app (electron-builder). Checked against electron-builder's
// own JSON schema by test/electron-builder-config.test.ts; docs/install.md says what each
// installer does. Signing and notarization read their secrets from the environment only.

/** The GitHub repository releases are published to and the app updates from (owner/name). */
const releaseRepository = (process.env.GITHUB_REPOSITORY ?? 'rolecall/rolecall').split('/');

/** @type {import('electron-builder').Configuration} */
const config = {
  // The AppUserModelID of the Start menu shortcut too: main.ts sets the same one, without which
  // Windows shows no notifications.
  appId: 'dev.rolecall.desktop',
  productName: 'Rolecall',
  copyright: 'Copyright © Rolecall contributors',
  directories: { output: 'dist', buildResources: 'resources' },
  // The build output and package.json; electron-builder adds the production dependencies.
  files: ['out/**', 'package.json'],
  // Native addons cannot be loaded from inside an asar archive: keytar (the keychain) would fail
  // at start. They are unpacked beside it (app.asar.unpacked), where require() finds them.
  asarUnpack: ['**/*.node'],
  // Read at run time from process.resourcesPath: the tray and window icons, and the launcher of
  // the `rolecall` command (resources/bin).
  extraResources: [
    { from: 'resources', to: '.', filter: ['tray-*.png', 'icon.png'] },
    { from: 'resources/bin', to: 'bin' },
  ],
  electronFuses: {
    // The `rolecall` launcher runs the bundled CLI with ELECTRON_RUN_AS_NODE.
    runAsNode: true,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
  publish: [{ provider: 'github', owner: releaseRepository[0], repo: releaseRepository[1] }],

  mac: {
    category: 'public.app-category.developer-tools',
    icon: 'resources/icon.icns',
    target: [
      { target: 'dmg', arch: ['arm64', 'x64'] },
      // electron-updater on macOS installs from the zip.
      { target: 'zip', arch: ['arm64', 'x64'] },
    ],
    hardenedRuntime: true,
    // Notarized when APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER (or APPLE_ID,
    // APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID) are set; signed with CSC_LINK and
    // CSC_KEY_PASSWORD.
    notarize: true,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },

  win: {
    icon: 'resources/icon.ico',
    target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
  },
  nsis: {
    // Per user, in %LOCALAPPDATA%\Programs: no administrator rights, and updates install silently.
    oneClick: true,
    perMachine: false,
    artifactName: '${productName}-Setup-${version}.${ext}',
  },

  linux: {
    // The desktop binary; `rolecall` on the PATH is the command-line launcher.
    executableName: 'rolecall-desktop',
    icon: 'resources/icons',
    category: 'Development',
    synopsis: 'Fresh AWS credentials for every CLI and SDK',
    target: ['AppImage', 'deb'],
  },
  deb: {
    // /usr/bin/rolecall: a link to the launcher inside /opt/Rolecall (fpm packs the link as is).
    fpm: ['resources/linux/rolecall=/usr/bin/rolecall'],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
};

export default config;
