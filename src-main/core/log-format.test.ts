import { describe, expect, it } from 'vitest';
import { formatLogLine } from './log-format';

const at = new Date(2030, 0, 2, 3, 4, 5).getTime();
const line = (entry: Record<string, unknown>) => `${JSON.stringify({ time: at, ...entry })}\n`;

describe('formatLogLine', () => {
  it('reads as time, level and the sentence, then the other fields', () => {
    expect(
      formatLogLine(line({ level: 40, msg: 'Renewing dev failed.', profile: 'dev' }), {
        color: false,
      }),
    ).toBe('03:04:05 WARN  Renewing dev failed. profile=dev\n');
  });

  it('spells out nested fields and quotes values with spaces', () => {
    expect(
      formatLogLine(
        line({
          level: 30,
          msg: 'request completed',
          reqId: 'req-1',
          res: { statusCode: 401 },
          responseTime: 13.186995000000024,
          note: 'two words',
        }),
        { color: false },
      ),
    ).toBe(
      '03:04:05 INFO  request completed reqId=req-1 res.statusCode=401 responseTime=13.19 note="two words"\n',
    );
  });

  it('colours only the level, and only when asked', () => {
    expect(formatLogLine(line({ level: 50, msg: 'Broken.' }), { color: true })).toBe(
      '03:04:05 \u001b[31mERROR\u001b[0m Broken.\n',
    );
  });

  it('passes on a line that is not JSON as it is', () => {
    expect(formatLogLine('not json', { color: false })).toBe('not json\n');
  });
});
