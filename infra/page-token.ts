import { createHmac } from 'node:crypto';
import { hasSignature, signature } from './signature';

/**
 * List page tokens: the visibility server's own cursor, bound by an HMAC to
 * the query it belongs to. A token that was altered, made up or taken from
 * another filter is refused here, before the server sees it (the server
 * answers a bad cursor with an opaque "Unknown" error after retries).
 */

/** What the signature covers: the cursor and the query it pages through. */
const signed = (query: string, cursor: string) => `${query}\n${cursor}`;

export function sealPageToken(key: Buffer, query: string, serverToken: Uint8Array): string {
  const cursor = Buffer.from(serverToken).toString('base64url');
  return `${cursor}.${signature(key, signed(query, cursor))}`;
}

/** The server's cursor, or undefined when the token was not issued for this query. */
export function openPageToken(key: Buffer, query: string, token: string): Buffer | undefined {
  const [cursor, given, extra] = token.split('.');
  if (!cursor || !given || extra !== undefined || !hasSignature(key, signed(query, cursor), given)) return undefined;
  return Buffer.from(cursor, 'base64url');
}

/** The key for page tokens, derived from the service's secret so every API replica accepts the others' tokens. */
export function pageTokenKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('msp-orchestrator/page-token').digest();
}
