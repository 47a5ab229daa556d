import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getHomeDir } from '@smithy/shared-ini-file-loader';
import { resolveProfileFiles } from '../../core/config/config-paths';
import { RolecallError } from '../../core/errors';
import { applyImport } from '../../core/import/apply-import';
import { decryptAwsVaultJwe } from '../../core/import/aws-vault-jwe';
import { awsVaultCandidates } from '../../core/import/aws-vault-items';
import { readAwsVaultKeyrings } from '../../core/import/aws-vault-keyring';
import { readConfigAsItIs } from '../../core/import/config-block';
import {
  resolvePlan,
  type Candidate,
  type ImportPlan,
  type LeftOut,
} from '../../core/import/import-plan';
import { LEAPP_KEYCHAIN_SERVICE, leappCandidates } from '../../core/import/leapp-candidates';
import { leappMachineKey } from '../../core/import/leapp-machine-key';
import { readLeappWorkspace } from '../../core/import/leapp-workspace';
import { createKeyStore } from '../../core/keys/key-store';
import { findForeignItems } from '../../core/secrets/foreign-keychain';
import { checkSecretStore, createKeytarStore } from '../../core/secrets/keytar-store';
import { readCollection } from '../../core/secrets/secret-service-collection';
import type { CliContext } from '../context';
import { InterruptedError } from '../interrupt';
import { formatTable } from '../table';
import { QuitAtPrompt } from '../terminal';
import { UsageError } from '../usage-error';
import type { ImportOptions } from './import';

export async function importLeapp(
  ctx: CliContext,
  options: ImportOptions & { workspace?: string },
): Promise<void> {
  // Before reading Leapp's items: a locked keyring answers reads with "nothing stored", which
  // would list every IAM user as having no keys.
  if (!options.dryRun) await checkSecretStore(ctx.secrets);
  const path = options.workspace ?? join(getHomeDir(), '.Leapp', 'Leapp-lock.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RolecallError(
      'no-leapp-workspace',
      code === 'ENOENT'
        ? `There is no Leapp workspace at ${path}, so there is nothing to import; if Leapp keeps it elsewhere, give its path with --workspace.`
        : `Could not read Leapp's workspace ${path} (${code ?? String(error)}), so nothing was imported.`,
      404,
    );
  }
  const workspace = readLeappWorkspace(text, path, leappMachineKey());
  const leapp = createKeytarStore(LEAPP_KEYCHAIN_SERVICE);
  const { candidates, leftOut } = await leappCandidates(workspace, (account) => leapp.get(account));
  await run(ctx, 'leapp', options, candidates, leftOut, {
    next: (plan) => leappNextSteps(plan),
    cleanUp: `Leapp's workspace and keychain items are as they were. Once Rolecall serves what you need, remove them from Leapp (delete each session and integration there, which also deletes its keychain items), then uninstall Leapp and delete ${path}.`,
  });
}

export async function importAwsVault(
  ctx: CliContext,
  options: ImportOptions & { backend?: string },
): Promise<void> {
  if (!options.dryRun) await checkSecretStore(ctx.secrets);
  const sources = await readAwsVaultKeyrings({
    env: ctx.env,
    platform: process.platform,
    backend: options.backend,
    askPassphrase: (directory) => askPassphrase(ctx, directory),
    readCollection: (name) => readCollection(name, ctx.env),
    findKeychainItems: findForeignItems,
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
  await run(ctx, 'aws-vault', options, candidates, leftOut, {
    next: (plan) => loadHint(plan),
    cleanUp: `aws-vault's keyring is as it was. Once Rolecall serves what you need, remove each profile's keys from it with \`aws-vault remove <profile>\`.`,
  });
}

async function run(
  ctx: CliContext,
  origin: string,
  options: ImportOptions,
  candidates: Candidate[],
  leftOut: LeftOut[],
  words: { next: (plan: ImportPlan) => string[]; cleanUp: string },
): Promise<void> {
  const dryRun = options.dryRun ?? false;
  const store = createKeyStore(ctx.secrets, { lockFile: join(ctx.home, 'keys.lock') });
  const config = await readConfigAsItIs(resolveProfileFiles({}, ctx.env).configFile);
  const plan = await resolvePlan(candidates, leftOut, config.sections, store);
  if (plan.rows.length === 0) {
    ctx.stderr(`Found nothing to import from ${origin}.\n`);
    return;
  }
  ctx.stdout(
    formatTable(
      ['KIND', `IN ${origin.toUpperCase()}`, 'IN ROLECALL', 'RESULT'],
      plan.rows.map((row) => [row.kind, row.from, row.name || '-', result(row, dryRun)]),
    ),
  );
  const changes = plan.sections.length + plan.keys.length;
  if (dryRun) {
    ctx.stderr(
      changes === 0
        ? 'Dry run: nothing would change; everything that can come in is there already.\n'
        : `Dry run: nothing was changed; run \`rolecall import ${origin}\` to import.\n`,
    );
    return;
  }
  await applyImport(plan, config, store, origin, new Date());
  if (changes === 0) {
    ctx.stderr('Nothing changed: everything that can come in is there already.\n');
  } else {
    const added = [
      plan.sections.length > 0
        ? `added ${plan.sections.length} section${plan.sections.length === 1 ? '' : 's'} at the end of ${config.path}`
        : '',
      plan.keys.length > 0
        ? `stored the keys of ${plan.keys.length} profile${plan.keys.length === 1 ? '' : 's'} in the keychain`
        : '',
    ].filter(Boolean);
    ctx.stderr(`Imported: ${added.join(' and ')}.\n`);
  }
  for (const line of words.next(plan)) ctx.stderr(`${line}\n`);
  ctx.stderr(`${words.cleanUp}\n`);
}

function result(row: ImportPlan['rows'][number], dryRun: boolean): string {
  switch (row.outcome) {
    case 'new':
      return `${dryRun ? 'would add' : 'added'}: ${row.detail}`;
    case 'already':
      return 'already there';
    case 'left-out':
      return `not imported: ${row.detail}`;
  }
}

function importedProfiles(plan: ImportPlan): string[] {
  return plan.rows
    .filter(
      (row) =>
        row.outcome !== 'left-out' &&
        row.name !== '' &&
        !row.kind.includes('Identity Center integration'),
    )
    .map((row) => row.name);
}

function loadHint(plan: ImportPlan): string[] {
  const profiles = importedProfiles(plan);
  if (profiles.length === 0) return [];
  return [`Next: \`rolecall profiles\` lists them; \`rolecall load ${profiles[0]}\` serves one.`];
}

function leappNextSteps(plan: ImportPlan): string[] {
  const sessions = plan.rows
    .filter((row) => row.outcome !== 'left-out' && row.kind === 'IAM Identity Center integration')
    .map((row) => row.name);
  return [
    ...sessions.map((name) => `Sign in to ${name} once: \`rolecall login ${name}\`.`),
    ...loadHint(plan),
  ];
}

async function askPassphrase(ctx: CliContext, directory: string): Promise<string> {
  const terminal = ctx.stdinIsTerminal ? (ctx.openTerminal?.('stdin') ?? null) : null;
  if (!terminal) {
    throw new UsageError(
      `aws-vault's key files in ${directory} need their passphrase and there is no terminal to ask on; set AWS_VAULT_FILE_PASSPHRASE, as for aws-vault.`,
    );
  }
  try {
    return (await terminal.readHidden(`Passphrase of aws-vault's keys in ${directory}: `)) ?? '';
  } catch (error) {
    if (error instanceof QuitAtPrompt)
      throw new InterruptedError('Cancelled; nothing was imported.');
    throw error;
  } finally {
    terminal.close();
  }
}
