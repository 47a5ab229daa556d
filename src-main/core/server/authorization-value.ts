/**
 * The header value clients must send: what `AWS_CONTAINER_AUTHORIZATION_TOKEN` holds. Kept apart
 * from auth.ts's check so the CLI's hot commands, which only send it, never load `node:crypto`.
 */
export function authorizationValue(token: string): string {
  return `Bearer ${token}`;
}
