/** 4144 is the port aws-sso-cli's ECS server uses; users and docs already know it. */
export const DEFAULT_PORT = 4144;
export const DEFAULT_HOST = '127.0.0.1';

/** IPv6 literals need brackets in a URL. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
