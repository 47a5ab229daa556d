import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Broker, SlotRef } from '../broker/broker';
import type { AwsCredentials } from '../credentials';
import { JSON_CONTENT_TYPE } from './credentials-body';
import type { RequestGate } from './request-gate';

export interface CredentialsFastPathOptions {
  gate: RequestGate;
  broker: Broker;
  bodyOf: (credentials: AwsCredentials) => Buffer;
  /** True once the server is closing: fastify then answers 503 and closes connections. */
  isClosing: () => boolean;
}

/**
 * The one answer every AWS SDK asks for, again and again: valid credentials from a slot,
 * straight from memory. It is the same answer fastify's route gives — same gate, same broker
 * call, same bytes and headers — without fastify's request and reply objects, hooks and router,
 * which cost more than everything else on this path together. Anything that is not that plain
 * case (another method or URL, %-escapes, a query, a body, a request the gate refuses, a slot
 * that is empty, expired or waiting for a renewal, a closing server) is left untouched to
 * fastify, which answers it as always. So it can only ever answer 200.
 *
 * Returns true when it answered.
 */
export function createCredentialsFastPath(
  options: CredentialsFastPathOptions,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    if (request.method !== 'GET' || options.isClosing()) return false;
    const slot = plainSlotOf(request.url);
    if (slot === null) return false;
    const { headers } = request;
    if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) {
      return false;
    }
    if (!options.gate.judge(request).admit) return false;
    const ready = options.broker.servableNow(slot);
    if (ready === null) return false;
    const body = options.bodyOf(ready.credentials);
    response.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': body.length });
    response.end(body);
    return true;
  };
}

const DEFAULT_SLOT: SlotRef = { kind: 'default' };
/** Names that mean the same to the router whether escaped or not, and are valid profile names. */
const PLAIN_NAME = /^[A-Za-z0-9._@+=,-]{1,512}$/;

/** The slot a URL names when it needs no decoding; null for anything else. */
export function plainSlotOf(url: string | undefined): SlotRef | null {
  if (url === '/' || url === '/creds') return DEFAULT_SLOT;
  if (url === undefined || !url.startsWith('/slot/')) return null;
  const name = url.slice('/slot/'.length);
  return PLAIN_NAME.test(name) ? { kind: 'named', profile: name } : null;
}
