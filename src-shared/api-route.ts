import type { ApiName } from './api';

/** The HTTP route of an API call; apart from the schemas, so a client can call without them. */
export const httpRoute = (name: ApiName): string => `/api/${name}`;
