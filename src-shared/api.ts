import { httpRoute } from './api-route';
import { z } from 'zod';
import {
  consoleDeliverySchema,
  consoleDestinationSchema,
  consoleRegionSchema,
  consoleServiceSchema,
  type ConsoleOpenedView,
  type ConsoleSignInView,
} from './console';
import { importOrigins, type ImportPreviewView, type ImportResultView } from './import';
import type { ProfileInfo } from './profile';
import { envFormats } from './env-formats';
import { profileNameProblem, UNSERVABLE_NAME } from './profile-name';
import type { ServerInfo } from './server-info';
import { settingsPatchSchema, type SettingsView } from './settings';
import type { LoadAnswer, Snapshot } from './snapshot';
import type { SignInStarted, SsoSessionView } from './sso-session';
import { MFA_CODE_MESSAGE, MFA_CODE_PATTERN } from './mfa-code';

/**
 * RolecallApi is declared once, here. The Electron IPC channels, the preload bridge and the HTTP
 * control routes are all derived from this map, so adding a call means adding one line here and
 * one handler in the core — nothing else can drift.
 *
 * Every argument is validated with its schema on the receiving side, because a message from a
 * renderer or an HTTP client is untrusted input.
 */

/** Profile names come from AWS config section headers; see profile-name.ts for the few refused. */
export const profileNameSchema = z.string().superRefine((name, context) => {
  const problem = profileNameProblem(name);
  if (problem !== null) {
    context.addIssue({ code: 'custom', message: `profile name ${problem}; ${UNSERVABLE_NAME}` });
  }
});

const noArgs = z.object({}).strict().optional();

/** An MFA code: AWS's are six digits; a little room for other token kinds, none for junk. */
export const mfaCodeSchema = z.string().regex(MFA_CODE_PATTERN, MFA_CODE_MESSAGE);

/** The key of a waiting question (`mfa:<serial>`, `sso:<session>`). */
const inputKeySchema = z.string().min(1).max(2048);

/** What a console sign-in is for: a profile, and the page and region to open. */
function consoleRequest() {
  return z.object({
    profile: profileNameSchema,
    /** A console page by name (`s3`); or `destination`, a page by URL. */
    service: consoleServiceSchema.optional(),
    destination: consoleDestinationSchema.optional(),
    /** The console's region, and the partition's hosts; the profile's region when absent. */
    region: consoleRegionSchema.optional(),
  });
}

const oneConsolePage = [
  (args: { service?: string | undefined; destination?: string | undefined }) =>
    args.service === undefined || args.destination === undefined,
  { message: 'give either service or destination, not both' },
] as const;

function consoleSignInArgs() {
  return consoleRequest()
    .extend({ deliver: consoleDeliverySchema })
    .strict()
    .refine(...oneConsolePage);
}

/**
 * The desktop window's "Open console": main signs in and opens the browser itself, so the
 * sign-in URL never reaches the window.
 */
export const openConsoleArgsSchema = consoleRequest()
  .strict()
  .refine(...oneConsolePage);

/** A token's name, as tokens.json allows it. */
const tokenNameArgs = z
  .object({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
        'a token name is letters, digits, ".", "_" and "-", at most 64',
      ),
  })
  .strict();

/** Pairs an argument schema with the result type it resolves to. */
function call<Result>() {
  return <Args extends z.ZodType>(args: Args) => ({ args, result: undefined as unknown as Result });
}

export const apiDeclaration = {
  getSnapshot: call<Snapshot>()(noArgs),
  listProfiles: call<ProfileInfo[]>()(noArgs),
  /**
   * The `[default]` profile as the AWS files alone give it — what an SDK finds before the
   * container endpoint — or null when the files have none or cannot be read. Cheaper than
   * listProfiles (no keychain, no sign-in state), for `rolecall env`, which a shell runs at start.
   */
  awsDefaultProfile: call<ProfileInfo | null>()(noArgs),
  getServerInfo: call<ServerInfo>()(noArgs),
  /**
   * Runs the profile's source once and puts it in the default slot, or in its own slot. A caller
   * that goes away (its request closes) cancels its load, unless another caller waits for it too.
   */
  loadProfile: call<LoadAnswer>()(
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
        /**
         * An MFA code given up front (`rolecall load --mfa-code`): answers this load's first MFA
         * question, so a script need not wait for a prompt.
         */
        mfaCode: mfaCodeSchema.optional(),
        /**
         * Credentials for the profile that a slot already holds, valid and not due for renewal,
         * fill this slot too, and the source is not run: for helpers that only need credentials.
         */
        reuseHeld: z.boolean().optional(),
      })
      .strict(),
  ),
  /**
   * Answers a question waiting for a person (`Snapshot.inputRequests`): an MFA code. Every
   * renewal waiting on that question goes on with the answer. A wrong code comes back as the
   * same question with `retryReason` set.
   */
  answerInput: call<Snapshot>()(
    z.object({ key: inputKeySchema, answer: z.string().min(1).max(256) }).strict(),
  ),
  /**
   * Declines a question: every renewal waiting on it fails with a sentence saying nobody answered,
   * and what was still valid is served until it expires.
   */
  dismissInput: call<Snapshot>()(z.object({ key: inputKeySchema }).strict()),
  /** Removes a profile from every slot it is in. */
  unloadProfile: call<Snapshot>()(z.object({ profile: profileNameSchema }).strict()),
  /** Empties the default slot and every named slot. */
  unloadAll: call<Snapshot>()(noArgs),
  /** IAM Identity Center sessions from the AWS config and whether each is signed in. */
  listSessions: call<SsoSessionView[]>()(noArgs),
  /**
   * Starts signing in to a session; answers as soon as there is something to show the user (a
   * device code, or a page to open) — or, when a sign-in to it already waits, where that one
   * waits (`alreadyWaiting`). Completion shows up in listSessions.
   */
  startSignIn: call<SignInStarted>()(
    z
      .object({ session: z.string().min(1).max(2048), flow: z.enum(['device', 'pkce']).optional() })
      .strict(),
  ),
  /**
   * Cancels the sign-in waiting for a session, wherever it was started (this window, another,
   * the tray, or `rolecall login` in a terminal). Answers the sessions as they are then.
   */
  cancelSignIn: call<SsoSessionView[]>()(
    z.object({ session: z.string().min(1).max(2048) }).strict(),
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
  /**
   * Signs in to the AWS console as a profile: the federation sign-in URL built from the
   * credentials Rolecall holds for it (loading it into its own slot when it holds none), or a
   * one-time link to it. Either is a secret that signs anyone in for 15 minutes.
   */
  consoleSignIn: call<ConsoleSignInView>()(consoleSignInArgs()),
  /**
   * Renews a bearer token now, even one whose renewals stopped (a person fixed what was wrong);
   * answers the snapshot after it, or the issuer's refusal in words.
   */
  renewToken: call<Snapshot>()(tokenNameArgs),
  /** Removes a bearer token: its definition, and its secrets from the keychain. */
  removeToken: call<Snapshot>()(tokenNameArgs),
  getSettings: call<SettingsView>()(noArgs),
  /** Saves the changed settings and applies what can be applied while running. */
  updateSettings: call<SettingsView>()(settingsPatchSchema),
  /**
   * What `rolecall import <from> --dry-run` shows: each thing the other tool has and whether it
   * would come in. Reads the other tool and changes nothing.
   */
  previewImport: call<ImportPreviewView>()(z.object({ from: z.enum(importOrigins) }).strict()),
  /**
   * `rolecall import <from>`: brings in what the preview showed. aws-vault's file backend is
   * refused (its passphrase is asked in a terminal, never through this API).
   */
  runImport: call<ImportResultView>()(z.object({ from: z.enum(importOrigins) }).strict()),
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
  [K in ApiName]: (args: ApiParsedArgs<K>, call?: ApiCallContext) => Promise<ApiResult<K>>;
};

/** What a transport knows about one call besides its argument. */
export interface ApiCallContext {
  /** Aborted when the caller has gone away before the answer (a CLI stopped with Ctrl-C). */
  signal?: AbortSignal;
}

export const apiNames = Object.keys(apiDeclaration) as ApiName[];

/** A call's outcome on the wire (IPC or HTTP): errors travel as data, never as thrown objects. */
export type ApiOutcome<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** The one error shape every route and channel answers with. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

export const ipcChannel = (name: ApiName): string => `rolecall:${name}`;

/**
 * A channel the desktop app's main process pushes messages on, each carrying a `Payload`. The
 * name is all that travels; `payload` only gives both ends one type to agree on.
 */
export interface PushChannel<Payload> {
  readonly name: string;
  readonly payload?: Payload;
}

/**
 * Every new snapshot, pushed to the desktop window as the broker changes — the IPC twin of the
 * web UI's `GET /api/events` stream. Its own prefix keeps it apart from the call channels.
 */
export const snapshotPushChannel: PushChannel<Snapshot> = { name: 'rolecall-push:snapshot' };

/**
 * "Show this question": the key of an open question (`Snapshot.inputRequests`) whose dialog the
 * window brings up, because the user clicked its notification or tray item.
 */
export const showQuestionPushChannel: PushChannel<string> = { name: 'rolecall-push:show-question' };

/** `window.rolecall` in the desktop app: every RolecallApi call, plus what main pushes. */
export interface DesktopBridge extends RolecallApi {
  /** Opens the AWS console in the browser, signed in as a profile; the URL stays in main. */
  openConsole(args: z.input<typeof openConsoleArgsSchema>): Promise<ConsoleOpenedView>;
  /** Calls `listener` with each new snapshot until the returned function is called. */
  subscribeSnapshots(listener: (snapshot: Snapshot) => void): () => void;
  /** Calls `listener` with the key of each question to show, until the returned function is called. */
  subscribeShowQuestion(listener: (key: string) => void): () => void;
  /** Calls `listener` with the update notice now and at each change (null: none). */
  subscribeUpdateNotice(listener: (notice: string | null) => void): () => void;
}
export { httpRoute };
/** Where the web UI's page trades its link's one-time code for a session token. */
export const UI_SESSION_ROUTE = '/ui-session';

export function isApiName(value: unknown): value is ApiName {
  return typeof value === 'string' && Object.hasOwn(apiDeclaration, value);
}
