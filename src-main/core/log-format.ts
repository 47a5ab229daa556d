/**
 * How a log line reads on a terminal: `14:03:07 WARN  Renewing dev failed: … profile=dev`.
 * It rewrites the JSON line pino has already made — after redaction — so both formats carry
 * exactly the same, already redacted, fields. (pino-pretty does the same job with a dozen
 * dependencies and a worker thread; Rolecall's lines are short sentences that need none of it.)
 */
export interface PrettyOptions {
  /** Colour the level (a terminal that has not asked for NO_COLOR). */
  color: boolean;
}

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '90' },
  20: { name: 'DEBUG', color: '90' },
  30: { name: 'INFO', color: '32' },
  40: { name: 'WARN', color: '33' },
  50: { name: 'ERROR', color: '31' },
  60: { name: 'FATAL', color: '31;1' },
};

/** Fields every line has, shown as the time, the level and the sentence. */
const SHOWN_APART = new Set(['level', 'time', 'msg']);

export function formatLogLine(json: string, options: PrettyOptions): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level), color: '0' };
  const name = level.name.padEnd(5);
  const parts = [
    clock(entry.time),
    options.color ? `\u001b[${level.color}m${name}\u001b[0m` : name,
    typeof entry.msg === 'string' ? entry.msg : '',
    ...Object.entries(entry)
      .filter(([key]) => !SHOWN_APART.has(key))
      .flatMap(([key, value]) => fields(key, value)),
  ];
  return `${parts.filter(Boolean).join(' ')}\n`;
}

function clock(time: unknown): string {
  if (typeof time !== 'number') return '';
  const at = new Date(time);
  return [at.getHours(), at.getMinutes(), at.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

/** `req={"method":"GET"}` reads as `req.method=GET`. */
function fields(key: string, value: unknown): string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([inner, nested]) => fields(`${key}.${inner}`, nested));
  }
  return [`${key}=${formatValue(value)}`];
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  // Response times come in nanosecond precision nobody reads.
  if (typeof value === 'number' && !Number.isInteger(value))
    return String(Number(value.toFixed(2)));
  return JSON.stringify(value) ?? String(value);
}
