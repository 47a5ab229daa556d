import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636: a high-entropy verifier and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** The OIDC service's authorize endpoint, honouring `AWS_ENDPOINT_URL_SSO_OIDC` like the SDK. */
export function authorizeEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): URL {
  const base =
    env.AWS_ENDPOINT_URL_SSO_OIDC ?? env.AWS_ENDPOINT_URL ?? `https://oidc.${region}.amazonaws.com`;
  return new URL('authorize', base.endsWith('/') ? base : `${base}/`);
}

/**
 * The authorize endpoint for a given OIDC client: its explicit `endpoint` when it has one (the
 * authorize page lives on the same host as the API), else the environment's, else AWS's.
 */
export async function authorizeEndpointFor(
  client: {
    config: {
      endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
    };
  },
  region: string,
): Promise<URL> {
  const explicit = await client.config.endpoint?.();
  if (!explicit) return authorizeEndpoint(region);
  const port = explicit.port ? `:${explicit.port}` : '';
  const base = `${explicit.protocol}//${explicit.hostname}${port}${explicit.path.endsWith('/') ? explicit.path : `${explicit.path}/`}`;
  return new URL('authorize', base);
}
