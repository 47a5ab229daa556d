import { InvalidArgumentError } from 'commander';
import { isEnvFormat, type EnvFormat } from '../core/env-format';

/** Ports 1–65535; 0 asks the OS for a free one, which tests and side-by-side runs use. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError(`"${value}" is not a port number (0-65535).`);
  }
  return port;
}

/** --port, else ROLECALL_PORT, else undefined (the `server.port` setting decides). */
export function explicitPort(
  option: number | undefined,
  env: NodeJS.ProcessEnv,
): number | undefined {
  if (option !== undefined) return option;
  if (env.ROLECALL_PORT !== undefined && env.ROLECALL_PORT !== '') {
    try {
      return parsePort(env.ROLECALL_PORT);
    } catch {
      throw new InvalidArgumentError(
        `ROLECALL_PORT="${env.ROLECALL_PORT}" is not a port number (0-65535).`,
      );
    }
  }
  return undefined;
}

const durationUnits: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "90s", "15m", "2h", "1d" or plain seconds, to whole seconds. */
export function parseDurationSeconds(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match)
    throw new InvalidArgumentError(`"${value}" is not a duration like 90s, 15m, 2h or 1d.`);
  return Number(match[1]) * (durationUnits[match[2] || 's'] ?? 1);
}

/** Whole seconds in the largest unit that writes them exactly: 60 → "1m", 604800 → "7d". */
export function formatDurationSeconds(seconds: number): string {
  const units = Object.entries(durationUnits).sort(([, a], [, b]) => b - a);
  for (const [unit, size] of units) {
    if (seconds !== 0 && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** bash and zsh read POSIX sh exports, so their names are accepted for it. */
const envFormatAliases: Readonly<Record<string, EnvFormat>> = { bash: 'sh', zsh: 'sh' };

/** `--format` of `rolecall env`: a format, or a shell whose syntax is one. */
export function parseEnvFormat(value: string): EnvFormat {
  const format = envFormatAliases[value.toLowerCase()] ?? value.toLowerCase();
  if (isEnvFormat(format)) return format;
  throw new InvalidArgumentError(
    `"${value}" is not a format Rolecall writes: use sh (also for bash and zsh), fish, powershell or json.`,
  );
}
