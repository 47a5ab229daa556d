import { posix, resolve, win32 } from 'node:path';
import {
  LAUNCH_AGENT_LABEL,
  SCHEDULED_TASK_NAME,
  SYSTEMD_UNIT_NAME,
  launchAgentPlist,
  scheduledTaskXml,
  systemdUserUnit,
  type ServiceSpec,
} from './service-files';

export type ServiceAction = 'install' | 'uninstall' | 'status';

/** A command to run; one that may fail (stopping what is not running) does not stop the plan. */
export interface ServiceCommand {
  argv: string[];
  mayFail?: boolean;
}

/**
 * What one action does, in order: the commands before, the file written (install) or removed
 * (uninstall), the commands after.
 */
export interface ServicePlan {
  before: ServiceCommand[];
  file: { path: string; content: string; encoding: 'utf8' | 'utf16le' } | null;
  removes: string | null;
  after: ServiceCommand[];
  /** Sentences for the person, said after it is done (or with the dry run). */
  notes: string[];
}

/** What the plan is made from: the machine as this process sees it. */
export interface ServiceHostFacts {
  platform: NodeJS.Platform;
  /** The user's home directory. */
  homedir: string;
  uid: number;
  /** `DOMAIN\user` on Windows, for the logon trigger. */
  windowsUser: string;
  env: NodeJS.ProcessEnv;
  /** node and Rolecall's CLI, absolute. */
  node: string;
  cli: string;
}

/**
 * Variables a service needs to find the same files as the shell that installed it: where Rolecall
 * and the AWS files live, and the PATH a credential_process command is found on. Never a secret:
 * keys and tokens stay out of the file by name.
 */
const CARRIED_VARIABLES = [
  'ROLECALL_HOME',
  'ROLECALL_PORT',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CA_BUNDLE',
  'PATH',
] as const;
/** Variables holding a path, made absolute: a service does not start in the installer's directory. */
const PATH_VARIABLES = new Set([
  'ROLECALL_HOME',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CA_BUNDLE',
]);

export function serviceSpec(facts: ServiceHostFacts, serveArgs: readonly string[]): ServiceSpec {
  const env: Record<string, string> = {};
  for (const name of CARRIED_VARIABLES) {
    const value = facts.env[name];
    if (value) env[name] = PATH_VARIABLES.has(name) ? resolve(value) : value;
  }
  return { command: [facts.node, facts.cli, 'serve', ...serveArgs], env };
}

/** The plan for an action on this platform; null where Rolecall knows no service manager. */
export function servicePlan(
  action: ServiceAction,
  facts: ServiceHostFacts,
  serveArgs: readonly string[],
): ServicePlan | null {
  const spec = serviceSpec(facts, serveArgs);
  switch (facts.platform) {
    case 'linux':
      return systemdPlan(action, facts, spec);
    case 'darwin':
      return launchdPlan(action, facts, spec);
    case 'win32':
      return schtasksPlan(action, facts, spec);
    default:
      return null;
  }
}

function systemdPlan(action: ServiceAction, facts: ServiceHostFacts, spec: ServiceSpec) {
  const configHome = facts.env.XDG_CONFIG_HOME || posix.join(facts.homedir, '.config');
  const path = posix.join(configHome, 'systemd', 'user', SYSTEMD_UNIT_NAME);
  const systemctl = (...args: string[]) => ({ argv: ['systemctl', '--user', ...args] });
  if (action === 'status') {
    return plan({
      after: [{ ...systemctl('status', '--no-pager', SYSTEMD_UNIT_NAME), mayFail: true }],
    });
  }
  if (action === 'uninstall') {
    return plan({
      before: [{ ...systemctl('disable', '--now', SYSTEMD_UNIT_NAME), mayFail: true }],
      removes: path,
      after: [systemctl('daemon-reload')],
    });
  }
  return plan({
    file: { path, content: systemdUserUnit(spec), encoding: 'utf8' },
    // restart, not start: a reinstall with other options must take effect now.
    after: [
      systemctl('daemon-reload'),
      systemctl('enable', SYSTEMD_UNIT_NAME),
      systemctl('restart', SYSTEMD_UNIT_NAME),
    ],
    notes: [
      `Its log: journalctl --user -u ${SYSTEMD_UNIT_NAME}.`,
      'It runs while you are logged in. To keep it running without a login (a server reached over SSH), run `loginctl enable-linger` once; the keychain must then be unlocked without a desktop login, or Rolecall refuses to start and says so in its log.',
    ],
  });
}

function launchdPlan(action: ServiceAction, facts: ServiceHostFacts, spec: ServiceSpec) {
  const path = posix.join(facts.homedir, 'Library', 'LaunchAgents', `${LAUNCH_AGENT_LABEL}.plist`);
  const domain = `gui/${facts.uid}`;
  const bootout = {
    argv: ['launchctl', 'bootout', `${domain}/${LAUNCH_AGENT_LABEL}`],
    mayFail: true,
  };
  if (action === 'status') {
    return plan({
      after: [{ argv: ['launchctl', 'print', `${domain}/${LAUNCH_AGENT_LABEL}`], mayFail: true }],
    });
  }
  if (action === 'uninstall') return plan({ before: [bootout], removes: path });
  const logFile = posix.join(facts.homedir, 'Library', 'Logs', 'Rolecall', 'serve.log');
  return plan({
    // A loaded agent is taken out first: bootstrap refuses a label that is loaded.
    before: [bootout],
    file: { path, content: launchAgentPlist(spec, logFile), encoding: 'utf8' },
    after: [{ argv: ['launchctl', 'bootstrap', domain, path] }],
    notes: [`Its log: ${logFile}.`],
  });
}

function schtasksPlan(action: ServiceAction, facts: ServiceHostFacts, spec: ServiceSpec) {
  const localAppData = facts.env.LOCALAPPDATA || win32.join(facts.homedir, 'AppData', 'Local');
  const path = win32.join(localAppData, 'Rolecall', 'rolecall-task.xml');
  const task = ['/TN', SCHEDULED_TASK_NAME];
  const end = { argv: ['schtasks', '/End', ...task], mayFail: true };
  if (action === 'status') {
    return plan({
      after: [{ argv: ['schtasks', '/Query', ...task, '/V', '/FO', 'LIST'], mayFail: true }],
    });
  }
  if (action === 'uninstall') {
    return plan({
      before: [end, { argv: ['schtasks', '/Delete', ...task, '/F'] }],
      removes: path,
    });
  }
  const carried = Object.keys(spec.env).filter((name) => name !== 'PATH');
  return plan({
    // schtasks reads a task file reliably only as UTF-16 with its byte order mark.
    file: {
      path,
      content: scheduledTaskXml(spec, facts.windowsUser),
      encoding: 'utf16le',
    },
    before: [end],
    after: [
      { argv: ['schtasks', '/Create', ...task, '/XML', path, '/F'] },
      { argv: ['schtasks', '/Run', ...task] },
    ],
    notes: carried.length
      ? [
          `A scheduled task runs with your user's own environment, not this shell's: set ${carried.join(', ')} for your user (setx) if the service should use them.`,
        ]
      : [],
  });
}

function plan(parts: Partial<ServicePlan>): ServicePlan {
  return {
    before: parts.before ?? [],
    file: parts.file ?? null,
    removes: parts.removes ?? null,
    after: parts.after ?? [],
    notes: parts.notes ?? [],
  };
}
