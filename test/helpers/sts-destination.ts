import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

/**
 * Where a client's GetCallerIdentity would go and the region its signature is for, read from
 * the signed request just before it is sent (it is not sent). A client that refuses its own
 * settings rejects with the SDK's error.
 */
export async function stsDestination(
  client: STSClient,
): Promise<{ url: string; signingRegion: string }> {
  let seen: { url: string; signingRegion: string } | undefined;
  client.middlewareStack.addRelativeTo(
    () => (args: { request: unknown }) => {
      const request = args.request as {
        protocol: string;
        hostname: string;
        port?: number;
        path: string;
        headers: Record<string, string>;
      };
      const port = request.port ? `:${request.port}` : '';
      seen = {
        url: `${request.protocol}//${request.hostname}${port}${request.path}`,
        signingRegion: /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(
          request.headers.authorization!,
        )![1]!,
      };
      return Promise.reject(new Error('stopped before sending'));
    },
    { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'stsDestination' },
  );
  await client.send(new GetCallerIdentityCommand({})).catch((error: Error) => {
    if (error.message !== 'stopped before sending') throw error;
  });
  return seen!;
}
