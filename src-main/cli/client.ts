import {
  apiDeclaration,
  httpRoute,
  type ApiArgs,
  type ApiName,
  type ApiResult,
} from '../../src-shared/api';
import type { ServerInfo } from '../../src-shared/server-info';
import { authorizationValue } from '../core/server/auth';
import { slotUrl } from '../core/server/slot-url';
import { getOrCreateBearerToken } from '../core/bearer-token';
import { RolecallError } from '../core/errors';
import { isProcessAlive, readRuntimeFile } from '../core/runtime/runtime-file';
import type { SecretStore } from '../core/secrets/secret-store';
import type { EcsCredentialsBody } from '../core/server/ecs-format';
import { requestLocal } from './http-request';

/** A connection to the running Rolecall server, found through its runtime file. */
export interface ServerClient {
  info: ServerInfo;
  call<K extends ApiName>(name: K, args?: ApiArgs<K>): Promise<ApiResult<K>>;
  /** GET / or GET /slot/<profile>, exactly as an AWS SDK would. */
  credentials(profile?: string): Promise<EcsCredentialsBody>;
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

  async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
    let answer;
    try {
      answer = await requestLocal(new URL(url), {
        method,
        headers: {
          authorization,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(info!.caFile ? { caFile: info!.caFile } : {}),
      });
    } catch (error) {
      throw new RolecallError(
        'not-reachable',
        `Rolecall (pid ${info!.pid}) did not answer at ${info!.url}: ${(error as Error).message}. Restart it with \`rolecall serve\`.`,
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
    call: (name, args) => {
      // Validate here too, so a typo in a flag fails before anything is sent.
      apiDeclaration[name].args.parse(args ?? undefined);
      return request('POST', new URL(httpRoute(name).slice(1), info.url).href, args ?? {});
    },
    credentials: (profile) =>
      request('GET', profile === undefined ? info.url : slotUrl(info.url, profile)),
  };
}

/** The server announced in the runtime file, if its process is still alive. */
export async function findServer(home: string): Promise<ServerInfo | null> {
  const info = await readRuntimeFile(home);
  if (!info || !isProcessAlive(info.pid)) return null;
  return info;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
