import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustFileFor } from './trust-file';

let dir: string;
let ca: string;
let corporate: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-trust-file-'));
  ca = join(dir, 'ca.pem');
  corporate = join(dir, 'corporate.pem');
  await writeFile(ca, '-----BEGIN CERTIFICATE-----\nROLECALL\n-----END CERTIFICATE-----\n');
  await writeFile(corporate, '-----BEGIN CERTIFICATE-----\nPROXY\n-----END CERTIFICATE-----');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('trustFileFor', () => {
  it("is Rolecall's CA file itself when the user names no file of their own", async () => {
    const trust = await trustFileFor({}, ca);
    expect(trust.path).toBe(ca);
    await trust.dispose();
    expect(existsSync(ca)).toBe(true);
  });

  it("keeps the user's certificates beside Rolecall's CA, in a file removed afterwards", async () => {
    const trust = await trustFileFor({ NODE_EXTRA_CA_CERTS: corporate }, ca);
    expect(trust.path).not.toBe(ca);
    expect(await readFile(trust.path, 'utf8')).toBe(
      '-----BEGIN CERTIFICATE-----\nPROXY\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nROLECALL\n-----END CERTIFICATE-----\n',
    );
    expect((await stat(trust.path)).mode & 0o077).toBe(0);
    await trust.dispose();
    expect(existsSync(trust.path)).toBe(false);
    expect(existsSync(ca)).toBe(true);
  });

  it('adds nothing for a file of the user’s that cannot be read, as Node would skip it', async () => {
    const trust = await trustFileFor({ NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') }, ca);
    expect(trust.path).toBe(ca);
  });

  it('is the CA file when the user already names it', async () => {
    expect((await trustFileFor({ NODE_EXTRA_CA_CERTS: ca }, ca)).path).toBe(ca);
  });
});
