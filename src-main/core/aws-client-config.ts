/**
 * Time limits for Rolecall's AWS clients (IAM Identity Center, STS). The SDK's default HTTP
 * handler has none, so an endpoint that accepts a connection and never answers would stall a
 * renewal forever. Its `requestTimeout` alone only logs a warning (to the console) when passed;
 * `throwOnRequestTimeout` makes it end the request with a TimeoutError, which the SDK retries
 * like any transient failure.
 */
export const awsClientTimeouts = {
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
} as const;

/** The time limits' shape, for a client made with shorter ones in a test. */
export interface AwsClientTimeouts {
  requestHandler: {
    connectionTimeout: number;
    requestTimeout: number;
    throwOnRequestTimeout: boolean;
  };
}
