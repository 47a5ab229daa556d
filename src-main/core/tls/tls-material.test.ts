import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { writePrivateFile } from '../runtime/private-file';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type MemoryStore } from '../secrets/memory-store';
import { createCa, createLeaf, describeCertificate } from './certificates';
import {
  CA_KEY_ACCOUNT,
  ensureTlsMaterial,
  importLeaf,
  LEAF_KEY_ACCOUNT,
  rotateLeaf,
  tlsPaths,
} from './tls-material';
import { readFile } from 'node:fs/promises';

const DAY = 86_400_000;
let home: string;
let secrets: MemoryStore;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-tls-'));
  // A ROLECALL_HOME as Rolecall makes it.
  await chmod(home, 0o700);
  secrets = createMemoryStore();
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('TLS material', () => {
  it('creates a CA and a leaf on first use: keys only in the keychain, certificates in files', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const material = await ensureTlsMaterial({ home, secrets, now: () => now });
    const paths = tlsPaths(home);
    expect(material.trustFile).toBe(paths.caCert);
    expect(await readFile(paths.caCert, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(await readFile(paths.leafCert, 'utf8')).toBe(material.leaf.certPem);
    expect(secrets.items.get(LEAF_KEY_ACCOUNT)).toBe(material.leaf.keyPem);
    expect(secrets.items.get(CA_KEY_ACCOUNT)).toContain('PRIVATE KEY');
    for (const file of [paths.caCert, paths.leafCert])
      expect(await readFile(file, 'utf8')).not.toContain('PRIVATE KEY');
  });

  it('lets anyone read the certificates (they are public), through a home nobody else can list', async () => {
    await ensureTlsMaterial({ home, secrets });
    const paths = tlsPaths(home);
    const mode = async (path: string) => (await stat(path)).mode & 0o777;
    expect(await mode(paths.caCert)).toBe(0o644);
    expect(await mode(paths.leafCert)).toBe(0o644);
    expect(await mode(paths.dir)).toBe(0o755);
    expect(await mode(home)).toBe(0o711);
    // Writing a private file into the home afterwards keeps it passable, and the file private.
    await writePrivateFile(join(home, 'settings.json'), '{}');
    expect(await mode(home)).toBe(0o711);
    expect(await mode(join(home, 'settings.json'))).toBe(0o600);

    // Certificates an earlier version kept owner-only are opened up on the next use.
    await chmod(paths.caCert, 0o600);
    await chmod(home, 0o700);
    await ensureTlsMaterial({ home, secrets });
    expect(await mode(paths.caCert)).toBe(0o644);
    expect(await mode(home)).toBe(0o711);
  });

  it('keeps the leaf until 30 days before it expires, then renews it from the same CA', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const first = await ensureTlsMaterial({ home, secrets, now: () => now });
    now += 59 * DAY;
    expect((await ensureTlsMaterial({ home, secrets, now: () => now })).leaf.certPem).toBe(
      first.leaf.certPem,
    );
    now += 2 * DAY;
    const renewed = await ensureTlsMaterial({ home, secrets, now: () => now });
    expect(renewed.leaf.certPem).not.toBe(first.leaf.certPem);
    expect(describeCertificate(renewed.leaf.certPem).notAfter).toBe(
      new Date(now + 90 * DAY).toISOString(),
    );
    expect(describeCertificate(renewed.leaf.certPem).issuer).toBe(
      describeCertificate(first.leaf.certPem).issuer,
    );
    expect(await readFile(tlsPaths(home).caCert, 'utf8')).toBe(
      await readFile(first.trustFile, 'utf8'),
    );
  });

  it('rotates the leaf on demand', async () => {
    const first = await ensureTlsMaterial({ home, secrets });
    const rotated = await rotateLeaf({ home, secrets });
    expect(rotated.leaf.certPem).not.toBe(first.leaf.certPem);
    expect((await ensureTlsMaterial({ home, secrets })).leaf.certPem).toBe(rotated.leaf.certPem);
  });

  it('imports a user pair, refusing a key that does not match or a certificate that expired', async () => {
    const now = Date.now();
    const ca = await createCa({ now });
    const mine = await createLeaf(ca, { now, validityDays: 30 });
    const other = await createLeaf(ca, { now });
    await expect(
      importLeaf({ home, secrets, certPem: mine.certPem, keyPem: other.keyPem }),
    ).rejects.toThrow('The private key does not belong to the certificate');
    const old = await createLeaf(ca, { now: now - 400 * DAY, validityDays: 10 });
    await expect(
      importLeaf({ home, secrets, certPem: old.certPem, keyPem: old.keyPem }),
    ).rejects.toThrow(/^The certificate expired on/);
    await expect(
      importLeaf({ home, secrets, certPem: 'nope', keyPem: mine.keyPem }),
    ).rejects.toThrow('not a PEM-encoded X.509');

    const imported = await importLeaf({
      home,
      secrets,
      certPem: mine.certPem,
      keyPem: mine.keyPem,
    });
    expect(imported.imported).toBe(true);
    // Served as is, even though it has fewer than 30 days left: Rolecall never renews a user's pair.
    expect((await ensureTlsMaterial({ home, secrets })).leaf.certPem).toBe(mine.certPem);
    expect((await rotateLeaf({ home, secrets })).imported).toBe(false);
  });

  it("fails with the keychain's own explanation when the keychain refuses", async () => {
    secrets.failWith('The OS keychain is not usable: the keyring is locked.');
    await expect(ensureTlsMaterial({ home, secrets })).rejects.toThrow('the keyring is locked');
  });
});
