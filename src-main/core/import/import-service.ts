import type { ImportOrigin, ImportPreviewView, ImportResultView } from '../../../src-shared/import';
import { RolecallError } from '../errors';
import type { KeyStore } from '../keys/key-store';
import { applyImport } from './apply-import';
import { readConfigAsItIs } from './config-block';
import { resolvePlan, type ImportPlan } from './import-plan';
import {
  defaultLeappWorkspace,
  findAwsVault,
  findLeapp,
  importedProfiles,
  importedSessions,
  importSummary,
  planChanges,
  type ImportFindings,
} from './import-sources';

export interface ImportServiceOptions {
  keys: KeyStore;
  /** The AWS config file new sections go to; read at each call, as the CLI does. */
  configFile: () => string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Refuses with a sentence when the keychain cannot be written (before a real run reads). */
  checkKeychain: () => Promise<void>;
  now: () => Date;
  /** Tests replace reading the other tools. */
  find?: (origin: ImportOrigin) => Promise<ImportFindings>;
}

export interface ImportService {
  preview(origin: ImportOrigin): Promise<ImportPreviewView>;
  run(origin: ImportOrigin): Promise<ImportResultView>;
}

/**
 * `rolecall import` for a window: the same findings and plan as the command, with no terminal to
 * ask aws-vault's file passphrase on, so that backend is refused with where to go instead.
 */
export function createImportService(options: ImportServiceOptions): ImportService {
  const find = options.find ?? ((origin) => findFor(origin, options));

  async function plan(origin: ImportOrigin) {
    const findings = await find(origin);
    const config = await readConfigAsItIs(options.configFile());
    const resolved = await resolvePlan(
      findings.candidates,
      findings.leftOut,
      config.sections,
      options.keys,
    );
    return { findings, config, plan: resolved };
  }

  return {
    async preview(origin) {
      const { plan: resolved } = await plan(origin);
      return previewView(origin, resolved);
    },
    async run(origin) {
      // Before reading Leapp's items: a locked keyring answers reads with "nothing stored".
      await options.checkKeychain();
      const { findings, config, plan: resolved } = await plan(origin);
      await applyImport(resolved, config, options.keys, origin, options.now());
      return {
        ...previewView(origin, resolved),
        summary: importSummary(resolved, config.path),
        sessions: importedSessions(resolved),
        profiles: importedProfiles(resolved),
        cleanUp: findings.cleanUp,
      };
    },
  };
}

function previewView(origin: ImportOrigin, plan: ImportPlan): ImportPreviewView {
  return {
    from: origin,
    rows: plan.rows.map(({ kind, from, name, outcome, detail }) => ({
      kind,
      from,
      name,
      outcome,
      detail,
    })),
    changes: planChanges(plan),
  };
}

/** Where a window is: aws-vault's file backend needs a passphrase typed in a terminal. */
export const FILE_BACKEND_IN_TERMINAL =
  "aws-vault's file backend needs its passphrase, which this window does not ask for; use `rolecall import aws-vault` in a terminal for the file backend.";

/** A window has no --workspace: the command in a terminal does. */
export const LEAPP_ELSEWHERE_COMMAND =
  'run `rolecall import leapp --workspace <file>` in a terminal';

function findFor(origin: ImportOrigin, options: ImportServiceOptions): Promise<ImportFindings> {
  if (origin === 'leapp') return findLeapp(defaultLeappWorkspace(), LEAPP_ELSEWHERE_COMMAND);
  return findAwsVault({
    env: options.env,
    platform: options.platform,
    askPassphrase: async () => {
      throw new RolecallError('passphrase-in-terminal', FILE_BACKEND_IN_TERMINAL, 409);
    },
  });
}
