import type { AwsCredentials } from '../credentials';
import type { Clock } from '../clock';
import { ecsCredentialsBody } from './ecs-format';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The body of a credentials answer, as bytes. Each renewal makes a new credentials object; its
 * JSON is made once and sent as it is until the next renewal (a WeakMap, so replaced credentials
 * take their body with them). Bytes, because a string would be encoded to UTF-8 (and measured)
 * again on every answer. Credentials without an expiry are advertised relative to now, so they
 * are serialised every time.
 */
export function createCredentialsBodies(clock: Clock): (credentials: AwsCredentials) => Buffer {
  const bodies = new WeakMap<AwsCredentials, Buffer>();
  const encode = (credentials: AwsCredentials) => {
    const json = JSON.stringify(ecsCredentialsBody(credentials, clock.now()));
    // Not from Buffer's shared pool, where a cached body would keep a whole 8 KiB slab alive.
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
    bytes.write(json);
    return bytes;
  };
  return (credentials) => {
    if (credentials.expiresAt === undefined) return encode(credentials);
    let body = bodies.get(credentials);
    if (body === undefined) bodies.set(credentials, (body = encode(credentials)));
    return body;
  };
}
