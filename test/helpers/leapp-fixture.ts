import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import CryptoJS from 'crypto-js';
import { machineIdSync } from 'node-machine-id';

/**
 * Leapp's workspace as Leapp writes it: the JSON class-transformer makes of its Workspace (the
 * private fields with their underscores, sessions as plain objects), encrypted with crypto-js's
 * AES passphrase mode under node-machine-id's hashed machine id — the very libraries Leapp
 * uses, so what the tests import is what a Leapp user has.
 */
export function encryptAsLeapp(json: string, key = machineIdSync()): string {
  return CryptoJS.AES.encrypt(json.trim(), key).toString();
}

export async function writeLeappWorkspace(
  home: string,
  workspace: unknown,
  key?: string,
): Promise<string> {
  const dir = join(home, '.Leapp');
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'Leapp-lock.json');
  await writeFile(path, encryptAsLeapp(JSON.stringify(workspace), key));
  return path;
}

export interface LeappSessionFields {
  sessionId: string;
  sessionName: string;
  type: string;
  region: string;
  [field: string]: unknown;
}

/** A session as Leapp stores it: the fields every session has, then its own. */
export function leappSession(fields: LeappSessionFields): Record<string, unknown> {
  return { status: 0, startDateTime: undefined, sessionTokenExpiration: undefined, ...fields };
}

/** A workspace of Leapp's last format (version 7), with Leapp's defaults for what a test omits. */
export function leappWorkspace(parts: {
  sessions: Record<string, unknown>[];
  awsSsoIntegrations?: Record<string, unknown>[];
  azureIntegrations?: Record<string, unknown>[];
  profiles?: Array<{ id: string; name: string }>;
  version?: number;
}): Record<string, unknown> {
  return {
    _pinned: [],
    _sessions: parts.sessions,
    _folders: [],
    _segments: [],
    _defaultRegion: 'us-east-1',
    _defaultLocation: 'eastus',
    _macOsTerminal: 'Terminal',
    _idpUrls: [{ id: 'idp-1', url: 'https://idp.example.com/saml' }],
    _profiles: parts.profiles ?? [{ id: 'profile-default', name: 'default' }],
    _remoteWorkspacesSettingsMap: {},
    _pluginsStatus: [],
    _extensionEnabled: false,
    _awsSsoIntegrations: parts.awsSsoIntegrations ?? [],
    _azureIntegrations: parts.azureIntegrations ?? [],
    _proxyConfiguration: { proxyProtocol: 'https', proxyPort: '8080' },
    _notifications: [],
    _credentialMethod: 'credential-file-method',
    _samlRoleSessionDuration: 3600,
    _ssmRegionBehaviour: 'No',
    _workspaceVersion: parts.version ?? 7,
  };
}
