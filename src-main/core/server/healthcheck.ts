import type { FastifyPluginAsync } from 'fastify';
import { X509Certificate } from 'node:crypto';
import type { Clock } from '../clock';
import { ROLECALL_VERSION } from '../version';

/**
 * `GET /healthcheck` (and `/healthcheck/`), where aws-sso-cli's ECS server has it, for liveness
 * probes (Docker, systemd, Kubernetes): no token needed, so it says nothing a token protects —
 * no profile, no slot, no expiry of any credentials. Only that the server is up, its version,
 * and whether the certificate it serves is valid now. The request gate decides that it needs no
 * token (it still refuses browsers and foreign Host headers).
 */
export const HEALTHCHECK_PATHS: ReadonlySet<string> = new Set(['/healthcheck', '/healthcheck/']);

/** Whether the request gate should let this request through without a token. */
export function isHealthcheckRequest(method: string | undefined, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const mark = url.indexOf('?');
  return HEALTHCHECK_PATHS.has(mark < 0 ? url : url.slice(0, mark));
}

/** When the served certificate is valid, in epoch milliseconds. */
export interface CertificateValidity {
  notBefore: number;
  notAfter: number;
}

export function certificateValidity(certPem: string): CertificateValidity {
  const certificate = new X509Certificate(certPem);
  return {
    notBefore: Date.parse(certificate.validFrom),
    notAfter: Date.parse(certificate.validTo),
  };
}

export interface HealthcheckBody {
  /** `ok`, or what is wrong (as aws-sso-cli words its states): answered 503 then. */
  status: 'ok' | 'certificate expired' | 'certificate not yet valid';
  version: string;
  /** Whether this server speaks HTTPS. */
  tls: boolean;
  /** The certificate it serves, with TLS. */
  certificate?: { valid: boolean; notAfter: string };
}

export function healthcheckBody(
  certificate: CertificateValidity | null,
  now: number,
): HealthcheckBody {
  if (!certificate) return { status: 'ok', version: ROLECALL_VERSION, tls: false };
  const status =
    now >= certificate.notAfter
      ? 'certificate expired'
      : now < certificate.notBefore
        ? 'certificate not yet valid'
        : 'ok';
  return {
    status,
    version: ROLECALL_VERSION,
    tls: true,
    certificate: {
      valid: status === 'ok',
      notAfter: new Date(certificate.notAfter).toISOString(),
    },
  };
}

export interface HealthcheckRouteOptions {
  clock: Clock;
  /** The certificate served now; null without TLS. */
  certificate: () => CertificateValidity | null;
}

export const healthcheckRoutes: FastifyPluginAsync<HealthcheckRouteOptions> = async (
  app,
  { clock, certificate },
) => {
  for (const path of HEALTHCHECK_PATHS) {
    app.get(path, async (_request, reply) => {
      const body = healthcheckBody(certificate(), clock.now());
      return reply.code(body.status === 'ok' ? 200 : 503).send(body);
    });
  }
};
