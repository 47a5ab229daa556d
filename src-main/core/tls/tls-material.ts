import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RolecallError } from '../errors';
import { writePublicFile } from '../runtime/private-file';
import type { SecretStore } from '../secrets/secret-store';
import {
  createCa,
  createLeaf,
  keyMatchesCertificate,
  parseCertificate,
  type CertificatePair,
} from './certificates';

/** Leaves live 90 days and are renewed when 30 remain, so a renewal is never urgent. */
export const LEAF_VALIDITY_DAYS = 90;
export const LEAF_RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export const CA_KEY_ACCOUNT = 'tls/ca-key';
export const LEAF_KEY_ACCOUNT = 'tls/leaf-key';

/**
 * Public files under ROLECALL_HOME/tls, readable by anyone (0644 in a 0755 directory, with
 * ROLECALL_HOME passable): another user — an administrator running `rolecall trust`, a client
 * verifying the server — may need the CA. The private keys are only in the keychain.
 */
export function tlsPaths(home: string) {
  const dir = join(home, 'tls');
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    leafCert: join(dir, 'leaf.pem'),
    imported: join(dir, 'imported'),
  };
}

export interface TlsMaterial {
  leaf: CertificatePair;
  /** The CA file clients should trust (Rolecall's CA, or the imported certificate itself). */
  trustFile: string;
  imported: boolean;
}

export interface TlsOptions {
  home: string;
  secrets: SecretStore;
  now?: () => number;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The certificate and key to serve, created on first use and renewed when fewer than 30 days
 * remain. An imported pair is served as is (and never renewed by Rolecall).
 */
export async function ensureTlsMaterial(options: TlsOptions): Promise<TlsMaterial> {
  const material = await currentMaterial(options);
  // Earlier versions wrote the certificates owner-only; they are opened up on the next use.
  await makeCertificatesReadable(options.home);
  return material;
}

async function currentMaterial(options: TlsOptions): Promise<TlsMaterial> {
  const now = (options.now ?? Date.now)();
  const paths = tlsPaths(options.home);
  const imported = (await readText(paths.imported)) !== null;
  const leafCert = await readText(paths.leafCert);
  const leafKey = await options.secrets.get(LEAF_KEY_ACCOUNT);

  if (imported) {
    if (!leafCert || !leafKey) {
      throw new RolecallError(
        'tls-import-missing',
        'The imported certificate or its key is gone. Import them again with `rolecall cert --import --cert F --key F`, or remove the import with `rolecall cert --rotate`.',
        500,
      );
    }
    return {
      leaf: { certPem: leafCert, keyPem: leafKey },
      trustFile: paths.leafCert,
      imported: true,
    };
  }

  const ca = await ensureCa(options, now);
  const usable =
    leafCert &&
    leafKey &&
    keyMatchesCertificate(leafCert, leafKey) &&
    Date.parse(parseCertificate(leafCert).validTo) - now > LEAF_RENEW_BEFORE_MS &&
    parseCertificate(leafCert).checkIssued(parseCertificate(ca.certPem));
  const leaf = usable ? { certPem: leafCert, keyPem: leafKey } : await issueLeaf(options, ca, now);
  return { leaf, trustFile: paths.caCert, imported: false };
}

/** A new leaf from Rolecall's CA, replacing any imported pair. */
export async function rotateLeaf(options: TlsOptions): Promise<TlsMaterial> {
  const now = (options.now ?? Date.now)();
  const paths = tlsPaths(options.home);
  await rm(paths.imported, { force: true });
  const ca = await ensureCa(options, now);
  return { leaf: await issueLeaf(options, ca, now), trustFile: paths.caCert, imported: false };
}

/** Serves the user's own certificate and key; the key goes to the keychain. */
export async function importLeaf(
  options: TlsOptions & { certPem: string; keyPem: string },
): Promise<TlsMaterial> {
  const now = (options.now ?? Date.now)();
  const cert = parseCertificate(options.certPem);
  if (!keyMatchesCertificate(options.certPem, options.keyPem)) {
    throw new RolecallError(
      'tls-key-mismatch',
      'The private key does not belong to the certificate (their public keys differ).',
      400,
    );
  }
  if (Date.parse(cert.validTo) <= now) {
    throw new RolecallError(
      'tls-expired',
      `The certificate expired on ${new Date(cert.validTo).toISOString()}; import a current one.`,
      400,
    );
  }
  const paths = tlsPaths(options.home);
  await options.secrets.set(LEAF_KEY_ACCOUNT, options.keyPem);
  await writeCertificateFile(options.home, paths.leafCert, options.certPem);
  await writeCertificateFile(
    options.home,
    paths.imported,
    'The certificate in leaf.pem was imported with `rolecall cert --import`.\n',
  );
  return {
    leaf: { certPem: options.certPem, keyPem: options.keyPem },
    trustFile: paths.leafCert,
    imported: true,
  };
}

async function ensureCa(options: TlsOptions, now: number): Promise<CertificatePair> {
  const paths = tlsPaths(options.home);
  const certPem = await readText(paths.caCert);
  const keyPem = await options.secrets.get(CA_KEY_ACCOUNT);
  if (
    certPem &&
    keyPem &&
    keyMatchesCertificate(certPem, keyPem) &&
    Date.parse(parseCertificate(certPem).validTo) > now + LEAF_VALIDITY_DAYS * 86_400_000
  ) {
    return { certPem, keyPem };
  }
  const ca = await createCa({ now });
  // Key first: a CA file without its key in the keychain would be useless but harmless.
  await options.secrets.set(CA_KEY_ACCOUNT, ca.keyPem);
  await writeCertificateFile(options.home, paths.caCert, ca.certPem);
  return ca;
}

async function issueLeaf(
  options: TlsOptions,
  ca: CertificatePair,
  now: number,
): Promise<CertificatePair> {
  const leaf = await createLeaf(ca, { now, validityDays: LEAF_VALIDITY_DAYS });
  await options.secrets.set(LEAF_KEY_ACCOUNT, leaf.keyPem);
  await writeCertificateFile(options.home, tlsPaths(options.home).leafCert, leaf.certPem);
  return leaf;
}

/** A public file under ROLECALL_HOME/tls, and ROLECALL_HOME passable (not listable) to reach it. */
async function writeCertificateFile(home: string, path: string, content: string): Promise<void> {
  await writePublicFile(path, content);
  await makePassable(home);
}

async function makeCertificatesReadable(home: string): Promise<void> {
  const paths = tlsPaths(home);
  for (const file of [paths.caCert, paths.leafCert, paths.imported]) {
    await chmod(file, 0o644).catch(() => undefined);
  }
  await chmod(paths.dir, 0o755).catch(() => undefined);
  await makePassable(home);
}

async function makePassable(home: string): Promise<void> {
  const { mode } = await stat(home);
  if ((mode & 0o011) !== 0o011) await chmod(home, (mode & 0o777) | 0o011);
}
