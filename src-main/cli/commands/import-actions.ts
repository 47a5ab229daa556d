import { join } from 'node:path';
import type { ImportOrigin } from '../../../src-shared/import';
import { resolveProfileFiles } from '../../core/config/config-paths';
import { applyImport } from '../../core/import/apply-import';
import { readConfigAsItIs } from '../../core/import/config-block';
import { resolvePlan, type ImportPlan } from '../../core/import/import-plan';
import {
  defaultLeappWorkspace,
  findAwsVault,
  findLeapp,
  importSummary,
  nextStepsInTerminal,
  planChanges,
  type ImportFindings,
} from '../../core/import/import-sources';
import { createKeyStore } from '../../core/keys/key-store';
import { checkSecretStore } from '../../core/secrets/keytar-store';
import type { CliContext } from '../context';
import { formatTable } from '../table';
import { readHiddenOrCancel } from '../read-hidden';
import { UsageError } from '../usage-error';
import type { ImportOptions } from './import';

export async function importLeapp(
  ctx: CliContext,
  options: ImportOptions & { workspace?: string },
): Promise<void> {
  // Before reading Leapp's items: a locked keyring answers reads with "nothing stored", which
  // would list every IAM user as having no keys.
  if (!options.dryRun) await checkSecretStore(ctx.secrets);
  const findings = await findLeapp(options.workspace ?? defaultLeappWorkspace());
  await run(ctx, 'leapp', options, findings);
}

export async function importAwsVault(
  ctx: CliContext,
  options: ImportOptions & { backend?: string },
): Promise<void> {
  if (!options.dryRun) await checkSecretStore(ctx.secrets);
  const findings = await findAwsVault({
    env: ctx.env,
    platform: process.platform,
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
    askPassphrase: (directory) => askPassphrase(ctx, directory),
  });
  await run(ctx, 'aws-vault', options, findings);
}

async function run(
  ctx: CliContext,
  origin: ImportOrigin,
  options: ImportOptions,
  findings: ImportFindings,
): Promise<void> {
  const dryRun = options.dryRun ?? false;
  const store = createKeyStore(ctx.secrets, { lockFile: join(ctx.home, 'keys.lock') });
  const config = await readConfigAsItIs(resolveProfileFiles({}, ctx.env).configFile);
  const plan = await resolvePlan(findings.candidates, findings.leftOut, config.sections, store);
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
  const changes = planChanges(plan);
  if (dryRun) {
    ctx.stderr(
      changes === 0
        ? 'Dry run: nothing would change; everything that can come in is there already.\n'
        : `Dry run: nothing was changed; run \`rolecall import ${origin}\` to import.\n`,
    );
    return;
  }
  await applyImport(plan, config, store, origin, new Date());
  ctx.stderr(`${importSummary(plan, config.path)}\n`);
  for (const line of nextStepsInTerminal(origin, plan)) ctx.stderr(`${line}\n`);
  ctx.stderr(`${findings.cleanUp}\n`);
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

async function askPassphrase(ctx: CliContext, directory: string): Promise<string> {
  const terminal = ctx.stdinIsTerminal ? (ctx.openTerminal?.('stdin') ?? null) : null;
  if (!terminal) {
    throw new UsageError(
      `aws-vault's key files in ${directory} need their passphrase and there is no terminal to ask on; set AWS_VAULT_FILE_PASSPHRASE, as for aws-vault.`,
    );
  }
  try {
    return await readHiddenOrCancel(
      terminal,
      `Passphrase of aws-vault's keys in ${directory}: `,
      'Cancelled; nothing was imported.',
    );
  } finally {
    terminal.close();
  }
}
