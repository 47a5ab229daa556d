// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, X509Certificate, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { RolecallError } from '../errors';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA P-256: small, fast, and accepted by every TLS stack the AWS SDKs use. */
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

/** A certificate (public, PEM) and its private key (secret, PKCS#8 PEM). */
export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

/** The names the leaf serves: every way a local client addresses the endpoint. */
export const LEAF_DNS_NAMES = ['localhost'];
export const LEAF_IP_ADDRESSES = ['127.0.0.1', '::1'];

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
}

/** A local certificate authority that signs only Rolecall's localhost leaf. */
export async function createCa(options: {
  now: number;
  validityDays?: number;
}): Promise<CertificatePair> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Rolecall local CA, O=Rolecall',
    notBefore: new Date(options.now - DAY),
    notAfter: new Date(options.now + (options.validityDays ?? 3650) * DAY),
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** A leaf for localhost, 127.0.0.1 and ::1, signed by the CA. */
export async function createLeaf(
  ca: CertificatePair,
  options: { now: number; validityDays?: number },
): Promise<CertificatePair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    pemBody(ca.keyPem),
    KEY_ALGORITHM,
    false,
    ['sign'],
  );
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost, O=Rolecall',
    issuer: caCert.subject,
    notBefore: new Date(options.now - 60_000),
    notAfter: new Date(options.now + (options.validityDays ?? 90) * DAY),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        ...LEAF_DNS_NAMES.map((value) => ({ type: 'dns' as const, value })),
        ...LEAF_IP_ADDRESSES.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** What `rolecall cert` shows. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
}

export function describeCertificate(certPem: string): CertificateInfo {
  const cert = parseCertificate(certPem);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    subjectAltNames: (cert.subjectAltName ?? '').split(', ').filter(Boolean),
    fingerprintSha256: cert.fingerprint256,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

export function parseCertificate(certPem: string): X509Certificate {
  try {
    return new X509Certificate(certPem);
  } catch (error) {
    throw new RolecallError(
      'bad-certificate',
      'The certificate is not a PEM-encoded X.509 certificate.',
      400,
      { cause: error },
    );
  }
}

/** Whether a private key belongs to a certificate (compares the public keys). */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    throw new RolecallError(
      'bad-key',
      'The private key is not a PEM-encoded key (PKCS#8, PKCS#1 or SEC1).',
      400,
      { cause: error },
    );
  }
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const fromCert = parseCertificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return Buffer.compare(fromKey, fromCert) === 0;
}

function pemBody(pem: string): ArrayBuffer {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
}
