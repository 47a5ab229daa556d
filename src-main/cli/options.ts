import { InvalidArgumentError } from 'commander';

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
