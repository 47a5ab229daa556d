/**
 * Variables a credential_process must never see. Rolecall's bearer token would let the command
 * (or anything it runs) read every profile Rolecall serves. The container-credentials URIs point
 * AWS SDKs at Rolecall itself: a credential_process that calls AWS would ask Rolecall for the very
 * credentials Rolecall is waiting on it for, and hang until the time-out.
 */
const REMOVED = new Set([
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
]);

/** Rolecall's own secrets, whatever they come to be called. */
const isRolecallToken = (name: string) => name.startsWith('ROLECALL_') && name.includes('TOKEN');

/**
 * The environment for a credential_process: a copy of `base` without Rolecall's secrets.
 * Names are compared upper-cased because Windows treats them case-insensitively.
 */
export function credentialProcessEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    const upper = name.toUpperCase();
    if (value === undefined || REMOVED.has(upper) || isRolecallToken(upper)) continue;
    env[name] = value;
  }
  return env;
}
