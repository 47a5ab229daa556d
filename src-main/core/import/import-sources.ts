import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getHomeDir } from '@smithy/shared-ini-file-loader';
import type { ImportOrigin } from '../../../src-shared/import';
import { RolecallError } from '../errors';
import { createKeytarStore } from '../secrets/keytar-store';
import { findKeychainFile, readKeychainFileItems } from '../secrets/macos-keychain-file';
import { readCollection } from '../secrets/secret-service-collection';
import { readGenericCredentials } from '../secrets/windows-credentials';
import { decryptAwsVaultJwe } from './aws-vault-jwe';
import { awsVaultCandidates } from './aws-vault-items';
import { readAwsVaultKeyrings } from './aws-vault-keyring';
import type { Candidate, ImportPlan, LeftOut } from './import-plan';
import { LEAPP_KEYCHAIN_SERVICE, leappCandidates } from './leapp-candidates';
import { leappMachineKey } from './leapp-machine-key';
import { readLeappWorkspace } from './leapp-workspace';

/** What another tool has, before it is weighed against what Rolecall has already. */
export interface ImportFindings {
  candidates: Candidate[];
  leftOut: LeftOut[];
  /** How to remove the other tool's data once the person is happy with Rolecall. */
  cleanUp: string;
}

export const defaultLeappWorkspace = (): string => join(getHomeDir(), '.Leapp', 'Leapp-lock.json');

/** How the command says where to point it at a workspace Leapp keeps elsewhere. */
export const LEAPP_ELSEWHERE_OPTION = 'give its path with --workspace';

/**
 * Leapp's workspace (decrypted with this machine's key) and its keychain items. `elsewhere` says
 * how to name another workspace: an option for the command, the command for a window.
 */
export async function findLeapp(
  path: string = defaultLeappWorkspace(),
  elsewhere: string = LEAPP_ELSEWHERE_OPTION,
): Promise<ImportFindings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RolecallError(
      'no-leapp-workspace',
      code === 'ENOENT'
        ? `There is no Leapp workspace at ${path}, so there is nothing to import; if Leapp keeps it elsewhere, ${elsewhere}.`
        : `Could not read Leapp's workspace ${path} (${code ?? String(error)}), so nothing was imported.`,
      404,
    );
  }
  const workspace = readLeappWorkspace(text, path, leappMachineKey());
  const leapp = createKeytarStore(LEAPP_KEYCHAIN_SERVICE);
  const found = await leappCandidates(workspace, (account) => leapp.get(account));
  return {
    ...found,
    cleanUp: `Leapp's workspace and keychain items are as they were. Once Rolecall serves what you need, remove them from Leapp (delete each session and integration there, which also deletes its keychain items), then uninstall Leapp and delete ${path}.`,
  };
}

export interface AwsVaultFindOptions {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  backend?: string;
  /** Asks for the file backend's passphrase; throws where nobody can be asked. */
  askPassphrase: (directory: string) => Promise<string>;
}

/** The long-lived keys in every aws-vault keyring this machine has, first backend first. */
export async function findAwsVault(options: AwsVaultFindOptions): Promise<ImportFindings> {
  const sources = await readAwsVaultKeyrings({
    env: options.env,
    platform: options.platform,
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
    askPassphrase: options.askPassphrase,
    readCollection: (name) => readCollection(name, options.env),
    readKeychainFile: async (name, service) => {
      const path = await findKeychainFile(getHomeDir(), name);
      return path === null ? null : readKeychainFileItems(path, service);
    },
    readWindowsCredentials: (prefix) => readGenericCredentials(prefix),
    decryptJwe: decryptAwsVaultJwe,
  });
  const candidates: Candidate[] = [];
  const leftOut: LeftOut[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    const found = awsVaultCandidates(source.items, source.where);
    for (const candidate of found.candidates) {
      if (seen.has(candidate.name)) {
        leftOut.push({
          kind: candidate.kind,
          from: candidate.from,
          reason: `a key of the same name came from another backend first (${source.where} is read after it)`,
        });
        continue;
      }
      seen.add(candidate.name);
      candidates.push(candidate);
    }
    leftOut.push(...found.leftOut);
  }
  return {
    candidates,
    leftOut,
    cleanUp: `aws-vault's keyring is as it was. Once Rolecall serves what you need, remove each profile's keys from it with \`aws-vault remove <profile>\`.`,
  };
}

/** How many sections and keys a plan adds: 0 when a run would change nothing. */
export function planChanges(plan: ImportPlan): number {
  return plan.sections.length + plan.keys.length;
}

const SESSION_KIND = 'IAM Identity Center integration';

/** The IAM Identity Center sessions a plan brings in (or found there already): each wants a sign-in. */
export function importedSessions(plan: ImportPlan): string[] {
  return plan.rows
    .filter((row) => row.outcome !== 'left-out' && row.kind === SESSION_KIND)
    .map((row) => row.name);
}

/** The profiles a plan brings in (or found there already), in the order shown. */
export function importedProfiles(plan: ImportPlan): string[] {
  return plan.rows
    .filter(
      (row) => row.outcome !== 'left-out' && row.name !== '' && !row.kind.includes(SESSION_KIND),
    )
    .map((row) => row.name);
}

/** One sentence on what a real run wrote, or that it changed nothing. */
export function importSummary(plan: ImportPlan, configFile: string): string {
  if (planChanges(plan) === 0)
    return 'Nothing changed: everything that can come in is there already.';
  const added = [
    plan.sections.length > 0
      ? `added ${plan.sections.length} section${plan.sections.length === 1 ? '' : 's'} at the end of ${configFile}`
      : '',
    plan.keys.length > 0
      ? `stored the keys of ${plan.keys.length} profile${plan.keys.length === 1 ? '' : 's'} in the keychain`
      : '',
  ].filter(Boolean);
  return `Imported: ${added.join(' and ')}.`;
}

/** The next steps in a terminal: sign in to each session, then load a profile. */
export function nextStepsInTerminal(origin: ImportOrigin, plan: ImportPlan): string[] {
  const profiles = importedProfiles(plan);
  const load =
    profiles.length === 0
      ? []
      : [`Next: \`rolecall profiles\` lists them; \`rolecall load ${profiles[0]}\` serves one.`];
  const sessions = origin === 'leapp' ? importedSessions(plan) : [];
  return [
    ...sessions.map((name) => `Sign in to ${name} once: \`rolecall login ${name}\`.`),
    ...load,
  ];
}
