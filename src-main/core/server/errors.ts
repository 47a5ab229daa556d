import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiErrorBody } from '../../../src-shared/api';
import { RolecallError } from '../errors';
import { BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from './limits';

/** Every error leaves the server as `{"code": "<http status>", "message": "..."}`. */
export function errorBody(status: number, message: string): ApiErrorBody {
  return { code: String(status), message };
}

/** Messages for fastify's own client errors, in words a user can act on. */
const fastifyClientErrors: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, `Request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB.`],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Send the request body as application/json.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'Request body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'Request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'Content-Length does not match the body.'],
  FST_ERR_MAX_PARAM_LENGTH: [
    414,
    `A name in the URL is longer than ${MAX_PARAM_LENGTH / 1024} KiB.`,
  ],
  FST_ERR_BAD_URL: [400, 'The URL is not valid (check its %-escapes).'],
};

/**
 * Errors the router raises before any hook runs (fastify's `frameworkErrors`). Without this they
 * would bypass the error handler and echo the whole URL back.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const known = fastifyClientErrors[error.code];
  const [status, message] = known ?? [400, 'The request is not valid.'];
  void reply.code(status).send(errorBody(status, message));
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(
    (error: FastifyError | RolecallError | z.ZodError | Error, request, reply) => {
      if (error instanceof RolecallError) {
        return reply.code(error.status).send(errorBody(error.status, error.message));
      }
      if (error instanceof z.ZodError) {
        return reply.code(400).send(errorBody(400, describeZodError(error)));
      }
      const code = (error as FastifyError).code;
      const known = code ? fastifyClientErrors[code] : undefined;
      if (known) return reply.code(known[0]).send(errorBody(known[0], known[1]));
      if (error instanceof SyntaxError) {
        return reply.code(400).send(errorBody(400, 'Request body is not valid JSON.'));
      }
      const status = (error as FastifyError).statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        return reply.code(status).send(errorBody(status, error.message));
      }
      request.log.error({ err: error }, 'unexpected error');
      return reply.code(500).send(errorBody(500, 'Rolecall hit an unexpected error; see its log.'));
    },
  );

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(errorBody(404, `No such route: ${request.method} ${request.url.slice(0, 200)}`));
  });
}

/** "profile: profile name is empty; slot: expected boolean" */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}
