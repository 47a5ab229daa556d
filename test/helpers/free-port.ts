import { createServer, type Server } from 'node:net';

/** A TCP server on 127.0.0.1 (port 0: any free one), for tests that need a port taken. */
export function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A port that was free a moment ago: for settings that must name a real port (1024+). */
export async function freePort(): Promise<number> {
  const server = await listenOn(0);
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
