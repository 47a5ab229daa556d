import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The keychain module is a native addon, loaded by the desktop app on Electron's Node and by the
 * CLI on whatever Node the user has. It loads in both only as an N-API module built for an N-API
 * version both provide: a binary built for a newer N-API version ends a runtime that lacks it with
 * a segmentation fault at load (keytar built on Node 24 does so on Node 20), and an ABI-bound
 * (non-N-API) binary fails to load in Electron at all. Every fact here is read from the installed
 * packages, so a dependency change that breaks the app fails this test.
 */
const root = resolve(__dirname, '..');
const packageJson = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/**
 * The first release of each Node line with each N-API version, from Node's "Node-API version
 * matrix" (doc/api/n-api.md). N-API versions only grow within a line.
 */
const NAPI_VERSION_MATRIX: Record<number, string[]> = {
  8: ['12.22.0', '14.17.0', '15.12.0', '16.0.0'],
  9: ['18.17.0', '20.3.0', '21.0.0'],
  10: ['22.14.0', '23.6.0', '24.0.0'],
};

type Version = [number, number, number];
const parse = (version: string): Version =>
  version.split('.').map((part) => Number.parseInt(part, 10)) as Version;
const atLeast = (a: Version, b: Version) =>
  a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2];

/** The N-API version a Node release provides, from the matrix. */
function napiVersionOfNode(version: string): number {
  const node = parse(version);
  let provided = 0;
  for (const [napi, firsts] of Object.entries(NAPI_VERSION_MATRIX)) {
    // A line's first release with it, or any later line (a line not listed has it from its start).
    const has = firsts.some((first) => {
      const since = parse(first);
      return node[0] === since[0] ? atLeast(node, since) : node[0] > since[0];
    });
    if (has) provided = Math.max(provided, Number(napi));
  }
  if (provided === 0)
    throw new Error(`Node ${version} is older than the N-API matrix this test knows.`);
  return provided;
}

/** The lowest Node version a range such as ">=22.12.0" or "^24.9.0" admits. */
function lowestVersionIn(range: string): string {
  const found = /(\d+)\.(\d+)\.(\d+)/.exec(range);
  if (!found) throw new Error(`Cannot read a version from the range "${range}".`);
  return found[0];
}

/** The keytar the desktop entry (out/main/index.js, keytar left external) loads, and its binary. */
function keychainAddon() {
  const requireFromDesktop = createRequire(join(root, 'out/main/index.js'));
  const entry = requireFromDesktop.resolve('keytar');
  const lib = readFileSync(entry, 'utf8');
  const binaryRequest = /require\('(\.\.\/build\/Release\/[^']+\.node)'\)/.exec(lib)?.[1];
  if (!binaryRequest) throw new Error(`${entry} no longer loads a binary this test can find.`);
  const packageDir = dirname(requireFromDesktop.resolve('keytar/package.json'));
  return {
    packageDir,
    binary: readFileSync(resolve(dirname(entry), binaryRequest)),
    declaredNapiVersions: (
      packageJson(join(packageDir, 'package.json')).binary as {
        napi_versions: number[];
      }
    ).napi_versions,
  };
}

/**
 * The N-API version the binary was built for: node-gyp records it in build/config.gypi when it
 * builds from source; a prebuilt binary (no config.gypi) is keytar's declared N-API version.
 */
function builtNapiVersion(packageDir: string, declared: number[]): number {
  try {
    const gypi = readFileSync(join(packageDir, 'build/config.gypi'), 'utf8');
    const built = /"napi_build_version":\s*"(\d+)"/.exec(gypi)?.[1];
    if (built) return Number(built);
  } catch {
    // No build directory: a prebuilt binary.
  }
  return Math.max(...declared);
}

/** The Node inside the installed Electron: its package depends on that Node line's types. */
function electronNode() {
  const electron = packageJson(join(root, 'node_modules/electron/package.json'));
  const dependencies = electron.dependencies as Record<string, string>;
  return {
    electron: electron.version as string,
    node: lowestVersionIn(dependencies['@types/node']!),
  };
}

describe('the keychain module in the desktop app', () => {
  it('is an N-API module, not one bound to a Node ABI', () => {
    const { binary } = keychainAddon();
    expect(binary.includes('napi_register_module_v1')).toBe(true);
    expect(binary.includes('node_register_module_v')).toBe(false);
  });

  it('needs no N-API version the bundled Electron or the oldest supported Node lacks', () => {
    const { packageDir, declaredNapiVersions } = keychainAddon();
    const built = builtNapiVersion(packageDir, declaredNapiVersions);
    const { electron, node } = electronNode();
    const inElectron = napiVersionOfNode(node);
    const oldestNode = lowestVersionIn(
      (packageJson(join(root, 'package.json')).engines as { node: string }).node,
    );
    const inOldestNode = napiVersionOfNode(oldestNode);

    expect(
      built,
      `keytar was built for N-API ${built}; Electron ${electron} (Node ${node}) provides ${inElectron}`,
    ).toBeLessThanOrEqual(inElectron);
    expect(
      built,
      `keytar was built for N-API ${built}; Node ${oldestNode}, the oldest in "engines", provides ${inOldestNode}. Build it with npm_config_napi_build_version=${Math.max(...declaredNapiVersions)}.`,
    ).toBeLessThanOrEqual(inOldestNode);
  });

  it('reads N-API versions from the matrix as Node ships them', () => {
    expect(napiVersionOfNode('20.20.2')).toBe(9);
    expect(napiVersionOfNode('22.12.0')).toBe(9);
    expect(napiVersionOfNode('22.14.0')).toBe(10);
    expect(napiVersionOfNode('24.9.0')).toBe(10);
    expect(napiVersionOfNode('26.1.0')).toBe(10);
    expect(() => napiVersionOfNode('10.0.0')).toThrow('older than the N-API matrix');
  });
});
