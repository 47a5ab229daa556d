import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import {
  apiDeclaration,
  type ApiCallContext,
  apiNames,
  httpRoute,
  type ApiHandlers,
  type ApiName,
} from '../../../src-shared/api';
import { parseOrSentence } from '../../../src-shared/validation-sentence';
import { RolecallError } from '../errors';

export interface ControlRoutesOptions {
  api: ApiHandlers;
}

/**
 * `POST /api/<call>` for every call in RolecallApi, derived from the one declaration in
 * src-shared/api.ts. The body is the call's argument object; the answer is its result.
 */
export const controlRoutes: FastifyPluginAsync<ControlRoutesOptions> = async (app, { api }) => {
  for (const name of apiNames) {
    app.post(httpRoute(name), async (request, reply) =>
      invoke(api, name, request.body, { signal: abortedIfClientLeaves(reply.raw) }),
    );
  }
};

export async function invoke<K extends ApiName>(
  api: ApiHandlers,
  name: K,
  body: unknown,
  call?: ApiCallContext,
): Promise<unknown> {
  // The window shows this sentence as it is, so it names the field, never zod's JSON.
  const parsed = parseOrSentence(apiDeclaration[name].args, body ?? undefined);
  if (!parsed.success) throw new RolecallError('bad-request', parsed.message, 400);
  const handler = api[name] as (args: unknown, call?: ApiCallContext) => Promise<unknown>;
  return handler(parsed.data, call);
}

/**
 * Aborted when the connection closes before the answer was sent: the caller gave up (Ctrl-C on a
 * waiting `rolecall load`), so what it started for itself alone can stop.
 */
function abortedIfClientLeaves(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
