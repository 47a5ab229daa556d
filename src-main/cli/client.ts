import type { ApiArgs, ApiName, ApiResult } from '../../src-shared/api';
import { httpRoute } from '../../src-shared/api-route';
import type { ServerInfo } from '../../src-shared/server-info';
import { authorizationValue } from '../core/server/authorization-value';
import { slotUrl } from '../../src-shared/slot-url';
import { getOrCreateBearerToken } from '../core/bearer-token';
import { RolecallError } from '../core/errors';
import { readLiveRuntimeFile } from '../core/runtime/runtime-file';
import type { SecretStore } from '../core/secrets/secret-store';
import type { EcsCredentialsBody } from '../core/server/ecs-format';
import { requestLocal } from './http-request';
import { UsageError } from './usage-error';

/** A connection to the running Rolecall server, found through its runtime file. */
export interface ServerClient {
  info: ServerInfo;
  /** The `Authorization` value every request sends: what a command given the endpoint sends too. */
  authorization: string;
  /** `signal` abandons the call: the connection closes, and the server cancels what it started. */
  call<K extends ApiName>(
    name: K,
    args?: ApiArgs<K>,
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<K>>;
  /** GET / or GET /slot/<profile>, exactly as an AWS SDK would; `signal` abandons it. */
  credentials(profile?: string, options?: { signal?: AbortSignal }): Promise<EcsCredentialsBody>;
}

export async function connect(home: string, secrets: SecretStore): Promise<ServerClient> {
  const info = await findServer(home);
  if (!info) {
    throw new RolecallError(
      'not-running',
      'Rolecall is not running. Start it with `rolecall serve` (or open the app).',
      503,
    );
  }
  const authorization = authorizationValue(await getOrCreateBearerToken(secrets));
  // A server that names a socket is asked there: plain HTTP, the Host the socket accepts.
  const base = info.socket ? SOCKET_BASE_URL : info.url;
  const where = info.socket ?? info.url;

  async function request<T>(
    method: string,
    url: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    let answer;
    try {
      answer = await requestLocal(new URL(url), {
        method,
        headers: {
          authorization,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(info!.socket ? { socketPath: info!.socket } : {}),
        ...(info!.caFile && !info!.socket ? { caFile: info!.caFile } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new RolecallError(
        'not-reachable',
        `Rolecall (pid ${info!.pid}) did not answer at ${where}: ${(error as Error).message}. Restart it with \`rolecall serve\`.`,
        503,
        { cause: error },
      );
    }
    const parsed = parseJson(answer.text);
    if (answer.status < 200 || answer.status >= 300) {
      const message =
        parsed && typeof parsed === 'object' && 'message' in parsed
          ? String(parsed.message)
          : answer.text.slice(0, 500);
      throw new RolecallError(`http-${answer.status}`, message, answer.status);
    }
    return parsed as T;
  }

  return {
    info,
    authorization,
    call: async (name, args, options) => {
      // Validate here too, so a mistake in an option fails before anything is sent, and is
      // told in the option's own name. A call without arguments has no option to be wrong, and
      // does not load the schemas (a shell prompt asks for the snapshot before every line).
      if (args !== undefined) await validateArgs(name, args);
      return request(
        'POST',
        new URL(httpRoute(name).slice(1), base).href,
        args ?? {},
        options?.signal,
      );
    },
    credentials: (profile, options) =>
      request(
        'GET',
        profile === undefined ? base : slotUrl(base, profile),
        undefined,
        options?.signal,
      ),
  };
}

const SOCKET_BASE_URL = 'http://localhost/';

/** The server announced in the runtime file, if it is the Rolecall running on this home. */
export function findServer(home: string): Promise<ServerInfo | null> {
  return readLiveRuntimeFile(home);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function validateArgs<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<void> {
  const [{ apiDeclaration }, { parseOrSentence }, { cliFieldNames }] = await Promise.all([
    import('../../src-shared/api'),
    import('../../src-shared/validation-sentence'),
    import('./api-options'),
  ]);
  const parsed = parseOrSentence(apiDeclaration[name].args, args, cliFieldNames);
  if (!parsed.success) throw new UsageError(parsed.message);
}
