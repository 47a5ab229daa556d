import { RolecallError } from '../errors';

/** The only addresses Rolecall listens on: credentials never leave the machine. */
const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host.toLowerCase());
}

/** Throws a clear error for any host that is not loopback (0.0.0.0, a LAN address, a name...). */
export function assertLoopbackHost(host: string): void {
  if (!isLoopbackHost(host)) {
    throw new RolecallError(
      'host-not-loopback',
      `Refusing to listen on ${host}: Rolecall serves credentials only on loopback (127.0.0.1, ::1 or localhost), so no other machine can reach them.`,
      400,
    );
  }
}

/**
 * Values a legitimate local client puts in the Host header. Anything else is a browser that was
 * pointed at us by DNS rebinding (evil.example resolving to 127.0.0.1), so it is refused.
 */
export function allowedHostHeaders(port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  return new Set(names.flatMap((name) => [name, `${name}:${port}`]));
}
