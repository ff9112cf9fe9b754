import { hasSignature, signature } from './signature';
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
  /** Which kind of workflow the link acts on; a link for one kind is refused by the other's pages. */
  kind?: TaskKind;
}

/** `inbox`: one approver's page of open tasks of one kind; its `taskId` claim holds the task kind (e.g. "partner-approval"). */
export type TaskKind = 'approval' | 'onboarding' | 'review' | 'inbox';

export function createTaskToken(secret: string, claims: TaskTokenClaims): string {
  const kind = claims.kind && claims.kind !== 'approval' ? { k: claims.kind } : {};
  const payload = Buffer.from(JSON.stringify({ t: claims.taskId, a: claims.email, e: claims.exp, ...kind })).toString('base64url');
  return `${payload}.${signature(secret, payload)}`;
}

/** Checks signature, shape and expiry; throws a RuleError a person can read. */
export function verifyTaskToken(secret: string, token: string, now = Date.now()): TaskTokenClaims {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) throw new RuleError('Invalid', 'this link is malformed');
  if (!hasSignature(secret, payload, given)) {
    throw new RuleError('Forbidden', 'this link is not valid (its signature does not match)');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new RuleError('Invalid', 'this link is malformed');
  }
  const r = raw as { t?: unknown; a?: unknown; e?: unknown; k?: unknown };
  if (typeof r.t !== 'string' || typeof r.a !== 'string' || typeof r.e !== 'number') {
    throw new RuleError('Invalid', 'this link is malformed');
  }
  if (now > r.e) throw new RuleError('Expired', `this link expired on ${new Date(r.e).toISOString()}`);
  const kind: TaskKind = r.k === 'onboarding' || r.k === 'review' || r.k === 'inbox' ? r.k : 'approval';
  return { taskId: r.t, email: r.a, exp: r.e, kind };
}

/** Verifies a token and that it was issued for this kind of page. */
export function verifyTaskTokenOfKind(secret: string, token: string, kind: TaskKind, now = Date.now()): TaskTokenClaims {
  const claims = verifyTaskToken(secret, token, now);
  if (claims.kind !== kind) throw new RuleError('Forbidden', 'this link belongs to another kind of request');
  return claims;
}

export function taskLink(publicBaseUrl: string, token: string, kind: TaskKind = 'approval'): string {
  const path = { approval: 'tasks', onboarding: 'invitations', review: 'reviews', inbox: 'approvals' }[kind];
  return `${publicBaseUrl}/${path}/${token}`;
}
