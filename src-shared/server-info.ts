/** Where the credentials endpoint listens; what `rolecall env` and the UI show. */
export interface ServerInfo {
  /** Base URL of the default slot, e.g. http://127.0.0.1:4144/ */
  url: string;
  host: string;
  port: number;
  tls: boolean;
  /** With TLS: the PEM file clients should trust (Rolecall's local CA, or an imported certificate). */
  caFile?: string;
  /** The Unix socket the same endpoint also answers on (plain HTTP, same token), if any. */
  socket?: string;
  pid: number;
  version: string;
  startedAt: string;
}
