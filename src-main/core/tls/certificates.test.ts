import { createServer } from 'node:https';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createCa, createLeaf, describeCertificate, keyMatchesCertificate } from './certificates';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('local CA and leaf', () => {
  it('makes a CA and a localhost leaf with the right names, lifetimes and key pairing', async () => {
    const ca = await createCa({ now });
    const leaf = await createLeaf(ca, { now, validityDays: 90 });
    const info = describeCertificate(leaf.certPem);
    expect(info.subject).toContain('CN=localhost');
    expect(info.issuer).toContain('CN=Rolecall local CA');
    expect(info.subjectAltNames).toEqual([
      'DNS:localhost',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
    ]);
    expect(info.notAfter).toBe('2026-04-01T00:00:00.000Z');
    expect(info.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(keyMatchesCertificate(leaf.certPem, leaf.keyPem)).toBe(true);
    expect(keyMatchesCertificate(leaf.certPem, ca.keyPem)).toBe(false);
    expect(() => keyMatchesCertificate(leaf.certPem, 'not a key')).toThrow(
      'The private key is not a PEM-encoded key',
    );
  });

  it('serves TLS that a client trusting only the CA accepts, for 127.0.0.1 and localhost', async () => {
    const ca = await createCa({ now: Date.now() });
    const leaf = await createLeaf(ca, { now: Date.now() });
    const server = createServer({ key: leaf.keyPem, cert: leaf.certPem }, (_req, res) =>
      res.end('ok'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (host: string, trust?: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            servername: host === 'localhost' ? 'localhost' : undefined,
            port,
            ca: trust,
            headers: { host },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve(body));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get('127.0.0.1', ca.certPem)).toBe('ok');
      expect(await get('localhost', ca.certPem)).toBe('ok');
      await expect(get('127.0.0.1')).rejects.toThrow(/self-signed|unable to verify|certificate/i);
    } finally {
      server.close();
    }
  });
});
