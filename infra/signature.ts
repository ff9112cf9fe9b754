import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of `data`, base64url: the signature on task links and on list page tokens. */
export function signature(key: string | Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** Whether `given` is the signature of `data`, compared in constant time. */
export function hasSignature(key: string | Buffer, data: string, given: string): boolean {
  const expected = Buffer.from(signature(key, data));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
