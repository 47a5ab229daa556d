/**
 * The path of a profile's named slot, relative to the server's base URL (which ends in `/`):
 * `slot/<profile>`, escaped so that it stays one segment under `/slot/` and the server's router
 * decodes it back to the name — `/`, spaces, `?` and `#` included.
 *
 * Null for a profile named `.` or `..`: URL parsers resolve such a segment, escaped or not
 * (`%2E%2E` counts as `..` in the WHATWG URL standard), so its URL would name another slot.
 */
export function slotPath(profile: string): string | null {
  if (profile === '.' || profile === '..') return null;
  return `slot/${encodeURIComponent(profile)}`;
}
