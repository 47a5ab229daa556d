/**
 * The requests aws-sso-cli's ECS client (`aws-sso ecs load|list|profile|unload`) puts on the
 * wire, byte for byte, as read from its source (internal/ecs/client) and Go's net/http client:
 *
 * - the server is `host:port` (`--server`, `AWS_SSO_ECS_SERVER`, default `localhost:4144`);
 * - every request carries `Content-Type: application/json; charset=utf-8`, and the bearer token
 *   from aws-sso-cli's own secure store as `Authorization: Bearer <token>`;
 * - `load` PUTs `{"Creds": {...}, "ProfileName": ...}` to `/`, or with `--slotted` to
 *   `/slot/<url.PathEscape(profile)>`; `accountId` and `expiration` are JSON numbers (Go int64);
 * - `list` GETs `/slot`, `profile` GETs `/profile`, with no body;
 * - `unload` DELETEs `/` or `/slot/<url.PathEscape(profile)>` with an empty body, which Go
 *   frames as `Content-Length: 0` (it sends no length for a GET without a body);
 * - Go writes Host, User-Agent, the framing header, then the request's own headers sorted by
 *   name, then the Transport's `Accept-Encoding: gzip`.
 */

export interface GoRoleCredentials {
  roleName: string;
  accountId: number;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}

export interface AwsSsoCliClient {
  /** `aws-sso ecs load` (`slotted`: `--slotted`). */
  load(profile: string, creds: GoRoleCredentials, slotted: boolean): Buffer;
  /** `aws-sso ecs list`. */
  list(): Buffer;
  /** `aws-sso ecs profile`. */
  profile(): Buffer;
  /** `aws-sso ecs unload`, or `aws-sso ecs unload --profile <profile>`. */
  unload(profile?: string): Buffer;
}

export function awsSsoCliClient(server: string, token: string): AwsSsoCliClient {
  const request = (method: string, path: string, body?: string) => {
    const lines = [
      `${method} ${path} HTTP/1.1`,
      `Host: ${server}`,
      'User-Agent: Go-http-client/1.1',
    ];
    if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    lines.push(
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json; charset=utf-8',
      'Accept-Encoding: gzip',
    );
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
  };
  const slotOrDefault = (profile: string | undefined) =>
    profile ? `/slot/${goPathEscape(profile)}` : '/';
  return {
    load: (profile, creds, slotted) =>
      request('PUT', slotOrDefault(slotted ? profile : undefined), goRequestBody(profile, creds)),
    list: () => request('GET', '/slot'),
    profile: () => request('GET', '/profile'),
    unload: (profile) => request('DELETE', slotOrDefault(profile), ''),
  };
}

/** `json.Marshal(ECSClientRequest{Creds, ProfileName})`: struct fields in declaration order. */
function goRequestBody(profile: string, creds: GoRoleCredentials): string {
  const fields = [
    `"roleName":${goJsonString(creds.roleName)}`,
    `"accountId":${creds.accountId}`,
    `"accessKeyId":${goJsonString(creds.accessKeyId)}`,
    `"secretAccessKey":${goJsonString(creds.secretAccessKey)}`,
    `"sessionToken":${goJsonString(creds.sessionToken)}`,
    `"expiration":${creds.expiration}`,
    '"roleChaining":false',
  ];
  return `{"Creds":{${fields.join(',')}},"ProfileName":${goJsonString(profile)}}`;
}

/**
 * Go's JSON string encoding: like JSON.stringify, but `<`, `>`, `&`, U+2028 and U+2029 are
 * written as \u escapes (HTML-safe output), and lone surrogates become U+FFFD.
 */
export function goJsonString(text: string): string {
  return JSON.stringify(text.replace(/\p{Surrogate}/gu, '\uFFFD')).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Go's `url.PathEscape`: every byte of the UTF-8 form is %-escaped (upper-case hex) except
 * letters, digits, `-_.~` and the sub-delimiters a path segment may hold raw, `$&+:=@`.
 * (`/`, `;`, `,` and `?` are escaped; `..` stays `..`.)
 */
export function goPathEscape(segment: string): string {
  let out = '';
  for (const byte of Buffer.from(segment, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~$&+:=@]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
