/**
 * Where a profile's named slot is served. Every URL Rolecall prints or asks for a slot is made
 * here, so each one reaches exactly that slot from every client.
 *
 * A name goes into one path segment, %-escaped as `encodeURIComponent` does: every byte but
 * A-Z a-z 0-9 - _ . ! ~ * ' ( ) is escaped, so `/`, `%`, `?`, `#`, `\`, `+`, spaces and
 * non-ASCII all arrive as the name, and no client has anything left to re-escape or misread.
 * Clients pass such a path through byte for byte (botocore, the AWS SDK for JavaScript, Go,
 * curl); the router decodes it once.
 *
 * Two names cannot be a path segment at all: `.` and `..`. WHATWG URL parsers (Node's `URL`,
 * and so the JavaScript SDK's container providers, and browsers) resolve `..`, `.%2E`, `%2E.`
 * and `%2E%2E` alike as "the parent directory", so `/slot/%2E%2E` reaches `/` — the default
 * slot, another profile's keys. Those two names travel in the query instead, which no client
 * resolves: `/slot?profile=..`.
 */
export function slotPath(profile: string): string {
  if (DOT_SEGMENT_NAMES.has(profile)) {
    return `/slot?${SLOT_QUERY_PARAMETER}=${escapeName(profile)}`;
  }
  return `/slot/${escapeName(profile)}`;
}

/** The full URL of a profile's slot on the server at `serverUrl` (its root, as announced). */
export function slotUrl(serverUrl: string, profile: string): string {
  const root = new URL(serverUrl);
  // Not `new URL(path, base)`: that would resolve the path again; slotPath's output is final.
  return `${root.protocol}//${root.host}${slotPath(profile)}`;
}

/** `GET|PUT|DELETE /slot?profile=<name>` names a slot, for names a path cannot carry. */
export const SLOT_QUERY_PARAMETER = 'profile';

const DOT_SEGMENT_NAMES = new Set(['.', '..']);

/**
 * `encodeURIComponent`, except that a lone surrogate (which has no UTF-8 form, so no escape
 * the router could decode back) becomes U+FFFD instead of an exception. Profile names are
 * validated to hold none; this keeps a URL builder from throwing on a string it was handed.
 */
function escapeName(name: string): string {
  return encodeURIComponent(name.replace(/\p{Surrogate}/gu, '\uFFFD'));
}
