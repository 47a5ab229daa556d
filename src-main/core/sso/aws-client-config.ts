/**
 * Time limits for Rolecall's AWS clients. The SDK's default HTTP handler has none, so a portal
 * that accepts a connection and never answers would stall a renewal forever.
 */
export const awsClientTimeouts = {
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
} as const;
