import type { FastifyPluginAsync } from 'fastify';
import type { TokenSet } from '../tokens/token-source';

/** What the route needs of the core: the token for a name, and a look at tokens.json first. */
export interface ServedTokens {
  /** Notices tokens added or removed by another process (`rolecall oauth add`). */
  sync?(): Promise<void>;
  tokenFor(name: string): Promise<TokenSet>;
}

/** The body of `GET /oauth/<name>`, as OAuth2 token answers name things. */
export function tokenBody(token: TokenSet): Record<string, string | null> {
  return {
    access_token: token.accessToken,
    token_type: token.tokenType,
    expires_at: token.expiresAt === undefined ? null : new Date(token.expiresAt).toISOString(),
    scope: token.scope ?? null,
    ...(token.idToken ? { id_token: token.idToken } : {}),
  };
}

/**
 * `GET /oauth/<name>`: a bearer token kept fresh by the broker, behind the same gate (bearer
 * token, no browsers, loopback Host) as the credential routes. Unknown names are 404, a token
 * that cannot be had now 503, each with a sentence.
 */
export const tokenRoutes: FastifyPluginAsync<{ tokens: ServedTokens }> = async (app, options) => {
  app.get<{ Params: { name: string } }>('/oauth/:name', async (request, reply) => {
    await options.tokens.sync?.();
    const token = await options.tokens.tokenFor(request.params.name);
    void reply.header('cache-control', 'no-store');
    return tokenBody(token);
  });
};
