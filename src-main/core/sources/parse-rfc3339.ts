/** `date-time` from RFC 3339 §5.6; the `T` may be a space or lowercase, as §5.6 allows. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch milliseconds for an RFC 3339 date-time, or undefined when it is not one. Stricter than
 * Date.parse, which accepts February 30 and many other shapes; each field is range-checked.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zulu, sign, offsetH, offsetM] =
    match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  // Second 60 is a leap second; Date.UTC rolls it into the next minute, which is close enough.
  if (h > 23 || mi > 59 || s > 60) return undefined;
  let offsetMinutes = 0;
  if (!zulu) {
    const oh = Number(offsetH);
    const om = Number(offsetM);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, millis));
  // Date.UTC maps years 0-99 to 1900-1999; setting the year afterwards keeps it as written.
  date.setUTCFullYear(y);
  return date.getTime() - offsetMinutes * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}
