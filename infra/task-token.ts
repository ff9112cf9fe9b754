import { createHmac, timingSafeEqual } from 'node:crypto';
import { RuleError } from '../domain/rule-error';

/**
 * Task links: `<payload>.<signature>`, both base64url. The payload binds the
 * link to one task and one approver and carries its expiry; the HMAC makes it
 * unforgeable. Single use is enforced by the approval workflow itself (its
 * Update validator refuses a second decision), so no token table is needed.
 */
export interface TaskTokenClaims {
  /** Task id (the approval workflow id). */
  taskId: string;
  /** The approver this link was sent to. */
  email: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function createTaskToken(secret: string, claims: TaskTokenClaims): string {
  const payload = Buffer.from(JSON.stringify({ t: claims.taskId, a: claims.email, e: claims.exp })).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** Checks signature, shape and expiry; throws a RuleError a person can read. */
export function verifyTaskToken(secret: string, token: string, now = Date.now()): TaskTokenClaims {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) throw new RuleError('Invalid', 'this link is malformed');
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new RuleError('Forbidden', 'this link is not valid (its signature does not match)');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new RuleError('Invalid', 'this link is malformed');
  }
  const r = raw as { t?: unknown; a?: unknown; e?: unknown };
  if (typeof r.t !== 'string' || typeof r.a !== 'string' || typeof r.e !== 'number') {
    throw new RuleError('Invalid', 'this link is malformed');
  }
  if (now > r.e) throw new RuleError('Expired', `this link expired on ${new Date(r.e).toISOString()}`);
  return { taskId: r.t, email: r.a, exp: r.e };
}

export function taskLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/tasks/${token}`;
}
