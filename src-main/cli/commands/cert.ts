import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { RolecallError } from '../../core/errors';
import { describeCertificate } from '../../core/tls/certificates';
import {
  ensureTlsMaterial,
  importLeaf,
  rotateLeaf,
  type TlsMaterial,
} from '../../core/tls/tls-material';
import { findServer } from '../client';
import type { CliContext } from '../context';
import { UsageError } from '../usage-error';

export function registerCert(program: Command, context: () => CliContext): void {
  program
    .command('cert')
    .description(
      'Show the TLS certificate Rolecall serves with --tls, rotate it, or import your own.',
    )
    .option('--rotate', 'make a new leaf certificate from the local CA (also ends an import)')
    .option('--import', 'serve your own certificate and key (the key goes to the keychain)')
    .option('--cert <file>', 'with --import: the PEM certificate')
    .option('--key <file>', 'with --import: the PEM private key')
    .option('--json', 'print the details as JSON')
    .addHelpText(
      'after',
      '\nA running server picks up a rotated or imported certificate when it restarts.',
    )
    .action(
      async (options: {
        rotate?: boolean;
        import?: boolean;
        cert?: string;
        key?: string;
        json?: boolean;
      }) => {
        const ctx = context();
        const tls = { home: ctx.home, secrets: ctx.secrets };
        let material: TlsMaterial;
        if (options.import) {
          if (!options.cert || !options.key)
            throw new UsageError('--import needs --cert <file> and --key <file>.');
          material = await importLeaf({
            ...tls,
            certPem: await readPem(options.cert),
            keyPem: await readPem(options.key),
          });
        } else if (options.rotate) {
          material = await rotateLeaf(tls);
        } else {
          material = await ensureTlsMaterial(tls);
        }
        const info = {
          ...describeCertificate(material.leaf.certPem),
          trustFile: material.trustFile,
          imported: material.imported,
        };
        if (options.json) {
          ctx.stdout(`${JSON.stringify(info, null, 2)}\n`);
        } else {
          ctx.stdout(
            [
              `Subject:      ${info.subject.replaceAll('\n', ', ')}`,
              `Issuer:       ${info.issuer.replaceAll('\n', ', ')}${info.imported ? ' (imported)' : ''}`,
              `Names:        ${info.subjectAltNames.join(', ')}`,
              `SHA-256:      ${info.fingerprintSha256}`,
              `Valid:        ${info.notBefore} to ${info.notAfter}`,
              `Trust file:   ${info.trustFile}`,
              '',
            ].join('\n'),
          );
        }
        if ((options.rotate || options.import) && (await findServer(ctx.home))) {
          ctx.stderr('Restart `rolecall serve` (or the app) to serve the new certificate.\n');
        }
      },
    );
}

async function readPem(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new RolecallError(
      'unreadable-file',
      `Cannot read ${path}: ${(error as Error).message}`,
      400,
      { cause: error },
    );
  }
}
