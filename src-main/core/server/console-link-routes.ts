import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { CONSOLE_LINK_PREFIX, type ConsoleLinks } from './console-links';

export interface ConsoleLinkRoutesOptions {
  links: ConsoleLinks;
}

const SPENT =
  'This link to the AWS console was opened already, or has expired: each works once, within 2 minutes. Open the console again (`rolecall console <profile>`, the window or the tray).\n';

/**
 * `GET /console/<code>`: a browser opening a one-time console link is sent on to the sign-in URL
 * it stands for. No HEAD route, so nothing but a real visit spends a link; no referrer and no
 * caching, so the link goes no further than the browser that opened it.
 */
export const consoleLinkRoutes: FastifyPluginAsync<ConsoleLinkRoutesOptions> = async (
  app,
  { links },
) => {
  app.get<{ Params: { code: string } }>(
    `${CONSOLE_LINK_PREFIX}:code`,
    {
      exposeHeadRoute: false,
      // `--verbose` logs each request's URL; this one's is a credential until it is opened.
      logSerializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: `${CONSOLE_LINK_PREFIX}[redacted]`,
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const url = links.take(request.params.code);
      if (url === null) return reply.code(404).type('text/plain; charset=utf-8').send(SPENT);
      return reply.redirect(url, 303);
    },
  );
};
