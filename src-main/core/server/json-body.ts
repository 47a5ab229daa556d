import type { FastifyInstance } from 'fastify';

/**
 * Methods whose routes read no body. A client may still label one as JSON and send nothing:
 * aws-sso-cli's ECS client sends every request, `DELETE` included, with
 * `Content-Type: application/json; charset=utf-8`, and its DELETE with `Content-Length: 0`.
 */
const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * fastify's JSON parser, except that an empty body is no body at all where none is needed.
 * Where one is (`PUT`, `POST`), an empty body stays a 400, and everything that is not empty
 * still goes through fastify's own parser (with its prototype-poisoning checks). fastify
 * matches this parser for `application/json` with any parameters, in any case.
 */
export function acceptEmptyJsonWithoutBodyNeeded(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0 && METHODS_WITHOUT_BODY.has(request.method)) {
      done(null, undefined);
      return;
    }
    parseJson(request, body as string, done);
  });
}
