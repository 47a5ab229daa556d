import { z } from 'zod';
import { RolecallError } from '../errors';
import { decryptLeappText, LeappDecryptError } from './leapp-cipher';

/**
 * The newest workspace layout Leapp wrote (its `workspaceLastVersion`). A newer one may have
 * moved or renamed what Rolecall reads, so it is refused rather than half understood.
 */
export const NEWEST_LEAPP_WORKSPACE_VERSION = 7;

/**
 * What Rolecall reads of Leapp's workspace: the JSON class-transformer makes of Leapp's
 * `Workspace` (its private fields, underscore and all) and of each session as it is. Everything
 * else in the file (folders, pins, plugins, proxy settings) is left alone.
 */
const sessionSchema = z
  .object({
    sessionId: z.string(),
    sessionName: z.string(),
    type: z.string(),
    region: z.string().optional().nullable(),
    profileId: z.string().optional().nullable(),
    mfaDevice: z.string().optional().nullable(),
    roleArn: z.string().optional().nullable(),
    parentSessionId: z.string().optional().nullable(),
    roleSessionName: z.string().optional().nullable(),
    awsSsoConfigurationId: z.string().optional().nullable(),
  })
  .passthrough();

const integrationSchema = z
  .object({
    id: z.string(),
    alias: z.string(),
    portalUrl: z.string().optional(),
    region: z.string().optional(),
  })
  .passthrough();

const workspaceSchema = z
  .object({
    _workspaceVersion: z.number().int().optional(),
    _sessions: z.array(sessionSchema),
    _awsSsoIntegrations: z.array(integrationSchema).optional().nullable(),
    _azureIntegrations: z.array(integrationSchema).optional().nullable(),
    _profiles: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .optional()
      .nullable(),
    _defaultRegion: z.string().optional().nullable(),
  })
  .passthrough();

export type LeappSession = z.infer<typeof sessionSchema>;
export type LeappIntegration = z.infer<typeof integrationSchema>;

export interface LeappWorkspace {
  version: number | null;
  sessions: LeappSession[];
  ssoIntegrations: LeappIntegration[];
  azureIntegrations: LeappIntegration[];
  /** Named profiles by their id. */
  profileNames: ReadonlyMap<string, string>;
  defaultRegion: string | null;
}

/** Decrypts and reads the workspace file's text; every failure is one sentence naming the file. */
export function readLeappWorkspace(text: string, path: string, machineKey: string): LeappWorkspace {
  let json: string;
  try {
    json = decryptLeappText(text, machineKey);
  } catch (error) {
    if (!(error instanceof LeappDecryptError)) throw error;
    throw new RolecallError(
      'leapp-workspace-unreadable',
      error.failure === 'not-encrypted'
        ? `${path} is not a Leapp workspace (it is not text Leapp encrypted), so nothing was imported; if Leapp still opens, quit it and run this again, otherwise restore the file from Leapp's backup.`
        : `${path} cannot be decrypted with this machine's id, so nothing was imported: Leapp encrypts it with the id of the machine that wrote it, so run this on that machine (or open Leapp here once so it writes the file anew).`,
      422,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw damaged(path);
  }
  const version = (data as { _workspaceVersion?: unknown } | null)?._workspaceVersion;
  if (typeof version === 'number' && version > NEWEST_LEAPP_WORKSPACE_VERSION) {
    throw new RolecallError(
      'leapp-workspace-too-new',
      `${path} was written by a newer Leapp (workspace version ${version}) than Rolecall knows (up to ${NEWEST_LEAPP_WORKSPACE_VERSION}), so nothing was imported; tell us at the Rolecall issue tracker which Leapp version wrote it.`,
      422,
    );
  }
  const parsed = workspaceSchema.safeParse(data);
  if (!parsed.success) throw damaged(path);
  const workspace = parsed.data;
  return {
    version: workspace._workspaceVersion ?? null,
    sessions: workspace._sessions,
    ssoIntegrations: workspace._awsSsoIntegrations ?? [],
    azureIntegrations: workspace._azureIntegrations ?? [],
    profileNames: new Map((workspace._profiles ?? []).map((each) => [each.id, each.name])),
    defaultRegion: workspace._defaultRegion ?? null,
  };
}

function damaged(path: string): RolecallError {
  return new RolecallError(
    'leapp-workspace-damaged',
    `${path} decrypts but is not a Leapp workspace Rolecall can read, so nothing was imported; open Leapp once so it repairs or rewrites the file, then run this again.`,
    422,
  );
}
