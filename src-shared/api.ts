import { z } from 'zod';
import type { ProfileInfo } from './profile';
import { envFormats } from './env-formats';
import type { ServerInfo } from './server-info';
import { settingsPatchSchema, type SettingsView } from './settings';
import type { Snapshot } from './snapshot';
import type { SignInStarted, SsoSessionView } from './sso-session';

/**
 * RolecallApi is declared once, here. The Electron IPC channels, the preload bridge and the HTTP
 * control routes are all derived from this map, so adding a call means adding one line here and
 * one handler in the core — nothing else can drift.
 *
 * Every argument is validated with its schema on the receiving side, because a message from a
 * renderer or an HTTP client is untrusted input.
 */

/** Profile names come from ~/.aws/config section headers; cap them to keep bad input cheap. */
export const profileNameSchema = z
  .string()
  .min(1, 'profile name is empty')
  .max(512, 'profile name is longer than 512 characters')
  .refine((name) => !hasControlCharacter(name), 'profile name contains control characters')
  // A lone surrogate has no UTF-8 form, so no URL could name the slot.
  .refine((name) => !/\p{Surrogate}/u.test(name), 'profile name is not valid Unicode');

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

const noArgs = z.object({}).strict().optional();

/** Pairs an argument schema with the result type it resolves to. */
function call<Result>() {
  return <Args extends z.ZodType>(args: Args) => ({ args, result: undefined as unknown as Result });
}

export const apiDeclaration = {
  getSnapshot: call<Snapshot>()(noArgs),
  listProfiles: call<ProfileInfo[]>()(noArgs),
  getServerInfo: call<ServerInfo>()(noArgs),
  /** Runs the profile's source once and puts it in the default slot, or in its own slot. */
  loadProfile: call<Snapshot>()(
    z
      .object({
        profile: profileNameSchema,
        slot: z.boolean().optional(),
        /** Renew at least this often, whatever the expiry (for sources with long or no expiry). */
        refreshEverySeconds: z
          .number()
          .int()
          .min(60)
          .max(7 * 24 * 3600)
          .optional(),
      })
      .strict(),
  ),
  /** Removes a profile from every slot it is in. */
  unloadProfile: call<Snapshot>()(z.object({ profile: profileNameSchema }).strict()),
  /** Empties the default slot and every named slot. */
  unloadAll: call<Snapshot>()(noArgs),
  /** IAM Identity Center sessions from the AWS config and whether each is signed in. */
  listSessions: call<SsoSessionView[]>()(noArgs),
  /**
   * Starts signing in to a session; answers as soon as there is something to show the user (a
   * device code, or a page to open). Completion shows up in listSessions.
   */
  startSignIn: call<SignInStarted>()(
    z
      .object({ session: z.string().min(1).max(2048), flow: z.enum(['device', 'pkce']).optional() })
      .strict(),
  ),
  /** Signs out of a session and unloads every profile that depended on it. */
  signOut: call<Snapshot>()(z.object({ session: z.string().min(1).max(2048) }).strict()),
  /**
   * The shell exports that point AWS SDKs at the default slot, or at a profile's slot. They
   * carry the bearer token, so UIs fetch them only when the user asks to copy them.
   */
  getEnvExports: call<{ text: string }>()(
    z.object({ profile: profileNameSchema.optional(), format: z.enum(envFormats) }).strict(),
  ),
  /** The Authorization value clients send; only ever on an explicit "reveal". */
  revealToken: call<BearerTokenView>()(noArgs),
  /** Replaces the bearer token at once; clients with the old one get 401 until given the new. */
  rotateToken: call<BearerTokenView>()(noArgs),
  /** A one-time sign-in link to the web UI of `rolecall serve --ui`. */
  createUiLink: call<{ url: string }>()(noArgs),
  getSettings: call<SettingsView>()(noArgs),
  /** Saves the changed settings and applies what can be applied while running. */
  updateSettings: call<SettingsView>()(settingsPatchSchema),
};

export interface BearerTokenView {
  token: string;
  /** What AWS_CONTAINER_AUTHORIZATION_TOKEN holds: `Bearer <token>`. */
  authorization: string;
}

export type ApiDeclaration = typeof apiDeclaration;
export type ApiName = keyof ApiDeclaration;
export type ApiArgs<K extends ApiName> = z.input<ApiDeclaration[K]['args']>;
export type ApiParsedArgs<K extends ApiName> = z.output<ApiDeclaration[K]['args']>;
export type ApiResult<K extends ApiName> = ApiDeclaration[K]['result'];

/** What any UI calls. The preload exposes exactly this as `window.rolecall`. */
export type RolecallApi = {
  [K in ApiName]: (...args: ApiArgsTuple<K>) => Promise<ApiResult<K>>;
};
type ApiArgsTuple<K extends ApiName> =
  undefined extends ApiArgs<K> ? [args?: ApiArgs<K>] : [args: ApiArgs<K>];

/** What the core implements: arguments already validated. */
export type ApiHandlers = {
  [K in ApiName]: (args: ApiParsedArgs<K>) => Promise<ApiResult<K>>;
};

export const apiNames = Object.keys(apiDeclaration) as ApiName[];

/** A call's outcome on the wire (IPC or HTTP): errors travel as data, never as thrown objects. */
export type ApiOutcome<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** The one error shape every route and channel answers with. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

export const ipcChannel = (name: ApiName): string => `rolecall:${name}`;
export const httpRoute = (name: ApiName): string => `/api/${name}`;
/** Where the web UI's page trades its link's one-time code for a session token. */
export const UI_SESSION_ROUTE = '/ui-session';

export function isApiName(value: unknown): value is ApiName {
  return typeof value === 'string' && Object.hasOwn(apiDeclaration, value);
}
