import { RolecallError } from '../../core/errors';

/**
 * The files that make `rolecall serve` a service of the person's own session: a systemd user
 * unit, a macOS LaunchAgent, a Windows logon task. Pure text from a spec, so each is tested as
 * the system's own tools read it; writing them and telling the system is the adapter's job.
 */
export interface ServiceSpec {
  /** What runs, absolute paths first: node, Rolecall's CLI, `serve` and its options. */
  command: readonly string[];
  /** Variables the service is given (paths, never a secret). */
  env: Readonly<Record<string, string>>;
}

/** The systemd name of the service, the LaunchAgent's label and the scheduled task's name. */
export const SYSTEMD_UNIT_NAME = 'rolecall.service';
export const LAUNCH_AGENT_LABEL = 'dev.rolecall.serve';
export const SCHEDULED_TASK_NAME = 'Rolecall';

const DESCRIPTION = 'Rolecall: fresh AWS credentials for local tools';

/**
 * A systemd user unit. The keychain is the Secret Service on the session bus: the unit points
 * at the user manager's bus (`%t/bus`, what dbus-user-session provides) and starts after it.
 */
export function systemdUserUnit(spec: ServiceSpec): string {
  const env = { ...spec.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=%t/bus' };
  return [
    '[Unit]',
    `Description=${DESCRIPTION}`,
    // Secret Service (the keychain) is reached over the session bus.
    'Wants=dbus.socket',
    'After=dbus.socket',
    '',
    '[Service]',
    'Type=exec',
    `ExecStart=${[systemdProgram(spec.command[0] ?? ''), ...spec.command.slice(1).map(systemdExecWord)].join(' ')}`,
    ...Object.entries(env).map(
      ([name, value]) =>
        // %t (the runtime directory) is meant as a specifier; nothing else is.
        `Environment=${systemdQuoted(`${name}=${name === 'DBUS_SESSION_BUS_ADDRESS' ? value : escapeSpecifiers(value)}`)}`,
    ),
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** A LaunchAgent: started in the person's session (where their login keychain is) and kept up. */
export function launchAgentPlist(spec: ServiceSpec, logFile: string): string {
  const strings = (values: readonly string[]) =>
    values.map((value) => `\t\t<string>${xmlEscape(value)}</string>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>Label</key>',
    `\t<string>${LAUNCH_AGENT_LABEL}</string>`,
    '\t<key>ProgramArguments</key>',
    '\t<array>',
    ...strings(spec.command),
    '\t</array>',
    '\t<key>EnvironmentVariables</key>',
    '\t<dict>',
    ...Object.entries(spec.env).flatMap(([name, value]) => [
      `\t\t<key>${xmlEscape(name)}</key>`,
      `\t\t<string>${xmlEscape(value)}</string>`,
    ]),
    '\t</dict>',
    '\t<key>RunAtLoad</key>',
    '\t<true/>',
    // Restarted after a crash, not after it was stopped cleanly (launchctl bootout, SIGTERM).
    '\t<key>KeepAlive</key>',
    '\t<dict>',
    '\t\t<key>SuccessfulExit</key>',
    '\t\t<false/>',
    '\t</dict>',
    '\t<key>ProcessType</key>',
    '\t<string>Background</string>',
    '\t<key>StandardErrorPath</key>',
    `\t<string>${xmlEscape(logFile)}</string>`,
    '\t<key>StandardOutPath</key>',
    `\t<string>${xmlEscape(logFile)}</string>`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/**
 * A Task Scheduler task that starts at the person's logon, in their session (their Credential
 * Manager), without a time limit, restarted after a failure. Task Scheduler gives a task no
 * variables of its own: it runs with the user's environment.
 */
export function scheduledTaskXml(spec: ServiceSpec, userId: string): string {
  const [program, ...args] = spec.command;
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    `    <Description>${xmlEscape(DESCRIPTION)}</Description>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <LogonTrigger>',
    '      <Enabled>true</Enabled>',
    `      <UserId>${xmlEscape(userId)}</UserId>`,
    '    </LogonTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${xmlEscape(userId)}</UserId>`,
    '      <LogonType>InteractiveToken</LogonType>',
    '      <RunLevel>LeastPrivilege</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
    '    <RestartOnFailure>',
    '      <Interval>PT1M</Interval>',
    '      <Count>3</Count>',
    '    </RestartOnFailure>',
    '    <Enabled>true</Enabled>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xmlEscape(program ?? '')}</Command>`,
    `      <Arguments>${xmlEscape(args.map(windowsArgument).join(' '))}</Arguments>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\n');
}

/** Characters systemd refuses in the path of the program it starts (it says "special characters"). */
// eslint-disable-next-line no-control-regex
const REFUSED_IN_PROGRAM_PATH = /["'$\\\u0000-\u001f\u007f]/;

/** ExecStart's program: never expanded by systemd, and refused by it with some characters. */
function systemdProgram(path: string): string {
  if (REFUSED_IN_PROGRAM_PATH.test(path)) {
    throw new RolecallError(
      'service-path-refused',
      `systemd cannot start a program whose path holds a quote, $ or backslash (${path}); run Rolecall with a node installed at a plain path.`,
      400,
    );
  }
  return systemdQuoted(escapeSpecifiers(path));
}

/** One argument of ExecStart: quoted, with `$` and `%` taken literally rather than expanded. */
function systemdExecWord(word: string): string {
  return systemdQuoted(escapeSpecifiers(word).replace(/\$/g, '$$$$'));
}

function escapeSpecifiers(text: string): string {
  return text.replace(/%/g, '%%');
}

/** A double-quoted systemd value: backslash and quote escaped, control characters as \xNN. */
function systemdQuoted(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u001f\u007f]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
  return `"${escaped}"`;
}

function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * One argument as the C runtime's command-line parser reads it back (CommandLineToArgvW):
 * quoted when it holds a space, tab or quote, with backslashes doubled only before a quote.
 */
export function windowsArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let quoted = '"';
  let backslashes = 0;
  for (const char of arg) {
    if (char === '\\') {
      backslashes += 1;
      continue;
    }
    quoted += '\\'.repeat(char === '"' ? backslashes * 2 + 1 : backslashes) + char;
    backslashes = 0;
  }
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`;
}
