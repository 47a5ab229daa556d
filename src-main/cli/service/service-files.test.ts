import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitWindowsCommandLine } from '../../core/sources/windows-command-line';
import {
  launchAgentPlist,
  scheduledTaskXml,
  systemdUserUnit,
  windowsArgument,
  type ServiceSpec,
} from './service-files';

/** /usr/bin/python3 is Debian's, with plistlib and xml.etree (the pyenv one on PATH may differ). */
const PYTHON = '/usr/bin/python3';

let dir: string;
/** A node reachable through a path with a space and a %: quoting must keep it whole. */
let oddNode: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rc-service-'));
  const odd = join(dir, 'a b%c');
  await mkdir(odd);
  oddNode = join(odd, 'node');
  await symlink(process.execPath, oddNode);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function spec(): ServiceSpec {
  return {
    command: [
      oddNode,
      '/opt/rolecall/out/main/cli.js',
      'serve',
      '--socket',
      '/run/user/1000/rc %t $HOME.sock',
    ],
    env: {
      ROLECALL_HOME: '/home/me/100% "rolecall"',
      PATH: '/home/me/.local/bin:/usr/bin',
    },
  };
}

/** systemd-analyze, where it can run: in CI (.ci/run installs systemd) it must. */
function systemdAnalyzeMissing(): boolean {
  const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (probe.error && process.env.CI)
    throw new Error('CI must have systemd-analyze (.ci/run installs systemd)');
  return Boolean(probe.error);
}

describe('systemdUserUnit', () => {
  it.skipIf(systemdAnalyzeMissing())(
    'is a unit systemd-analyze verifies without a word',
    async () => {
      const unitDir = join(dir, 'units');
      await mkdir(unitDir, { recursive: true });
      const file = join(unitDir, 'rolecall.service');
      await writeFile(file, systemdUserUnit(spec()));
      const runtime = join(dir, 'runtime');
      await mkdir(runtime, { recursive: true, mode: 0o700 });
      const result = spawnSync('systemd-analyze', ['--user', 'verify', file], {
        encoding: 'utf8',
        env: { ...process.env, XDG_RUNTIME_DIR: runtime },
      });
      // It checks that ExecStart's program exists: the odd path came through the quoting whole.
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );

  it('fails systemd-analyze when the program is not where ExecStart says (the check is real)', async () => {
    if (systemdAnalyzeMissing()) return;
    const file = join(dir, 'units', 'broken.service');
    await mkdir(join(dir, 'units'), { recursive: true });
    await writeFile(
      file,
      systemdUserUnit({ ...spec(), command: [join(dir, 'no-such-node'), 'serve'] }),
    );
    const runtime = join(dir, 'runtime');
    await mkdir(runtime, { recursive: true, mode: 0o700 });
    const result = spawnSync('systemd-analyze', ['--user', 'verify', file], {
      encoding: 'utf8',
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
    });
    expect(result.stderr).toContain('is not executable');
  });

  it('takes %, $, quotes and backslashes literally, and gives the keychain the session bus', () => {
    const unit = systemdUserUnit(spec());
    expect(unit).toContain(
      `ExecStart="${oddNode.split('%').join('%%')}" "/opt/rolecall/out/main/cli.js" "serve" "--socket" "/run/user/1000/rc %%t $$HOME.sock"`,
    );
    expect(unit).toContain('Environment="ROLECALL_HOME=/home/me/100%% \\"rolecall\\""');
    expect(unit).toContain('Environment="DBUS_SESSION_BUS_ADDRESS=unix:path=%t/bus"');
    expect(unit).toMatch(/^After=dbus\.socket$/m);
    expect(unit).toMatch(/^WantedBy=default\.target$/m);
  });
  it.each([`/opt/it's/node`, '/opt/$x/node', '/opt/a"b/node', '/opt/a\\b/node'])(
    'refuses a program path systemd would refuse (%s), in a sentence',
    (path) => {
      expect(() => systemdUserUnit({ ...spec(), command: [path, 'serve'] })).toThrow(
        `systemd cannot start a program whose path holds a quote, $ or backslash (${path}); run Rolecall with a node installed at a plain path.`,
      );
    },
  );
});

describe('launchAgentPlist', () => {
  it('is a plist that plistlib reads back to exactly the command and variables given', () => {
    const odd = { ...spec(), env: { ...spec().env, AWS_CONFIG_FILE: '/Users/me/<a & b>/config' } };
    const text = launchAgentPlist(odd, '/Users/me/Library/Logs/Rolecall/serve.log');
    const result = spawnSync(
      PYTHON,
      [
        '-c',
        'import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))',
      ],
      { input: text, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      Label: 'dev.rolecall.serve',
      ProgramArguments: odd.command,
      EnvironmentVariables: odd.env,
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: 'Background',
      StandardErrorPath: '/Users/me/Library/Logs/Rolecall/serve.log',
      StandardOutPath: '/Users/me/Library/Logs/Rolecall/serve.log',
    });
  });
});

describe('scheduledTaskXml', () => {
  it('is well-formed task XML whose arguments Windows splits back into the command', () => {
    const windowsSpec: ServiceSpec = {
      command: [
        'C:\\Program Files\\nodejs\\node.exe',
        'C:\\Users\\Jo "Q" Smith\\rolecall\\out\\main\\cli.js',
        'serve',
        '--port',
        '4144',
        'C:\\trailing\\',
      ],
      env: {},
    };
    const xml = scheduledTaskXml(windowsSpec, 'CORP\\jo & co');
    const result = spawnSync(
      PYTHON,
      [
        '-c',
        [
          'import json, sys, xml.etree.ElementTree as ET',
          'ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}',
          'root = ET.fromstring(sys.stdin.read().split("?>", 1)[1])',
          'print(json.dumps({k: root.find(p, ns).text for k, p in [("command", ".//t:Exec/t:Command"), ("arguments", ".//t:Exec/t:Arguments"), ("user", ".//t:LogonTrigger/t:UserId"), ("logon", ".//t:Principal/t:LogonType"), ("limit", ".//t:ExecutionTimeLimit")]}))',
        ].join('\n'),
      ],
      { input: xml, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    const read = JSON.parse(result.stdout) as Record<string, string>;
    expect(read).toMatchObject({
      command: 'C:\\Program Files\\nodejs\\node.exe',
      user: 'CORP\\jo & co',
      logon: 'InteractiveToken',
      limit: 'PT0S',
    });
    expect(splitWindowsCommandLine(read.arguments!).map((word) => word.text)).toEqual(
      windowsSpec.command.slice(1),
    );
  });
});

describe('windowsArgument', () => {
  it.each([
    'plain',
    '',
    'with space',
    'quote"inside',
    'C:\\dir with space\\',
    'back\\\\slashes\\"and quote',
    '\\\\server\\share\\x',
  ])('%j comes back whole from the C runtime rules', (arg) => {
    expect(splitWindowsCommandLine(`x ${windowsArgument(arg)} y`).map((w) => w.text)).toEqual([
      'x',
      arg,
      'y',
    ]);
  });
});
