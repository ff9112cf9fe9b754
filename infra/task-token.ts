import { hasSignature, signature } from './signature';
import type { LinkKind } from '../domain/human-tasks/task-kind';
import { RuleError } from '../domain/rule-error';
import { at, said } from '../domain/said';

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
  kind?: LinkKind;
  /**
   * The workflow that takes the decision when it is not the task's own (a
   * phase gate is decided on its partnership). Absent: the task id names the
   * workflow, as in every link from before gates moved onto the partnership.
   */
  owner?: string;
}

/**
 * Which page a link opens; a task kind names its link (domain/human-tasks/kinds).
 * `inbox`: one approver's page of open tasks of one kind; its `taskId` claim holds the task kind (e.g. "partner-approval").
 */
export type { LinkKind };

/**
 * The link secrets: one, or a key ring with the current secret first and the
 * previous ones after it (TASK_LINK_SECRETS). New links are signed with the
 * first; links signed with any secret on the ring are accepted until they
 * expire, so rotating the secret does not break links already emailed.
 */
export type LinkKeys = string | readonly string[];

const ring = (keys: LinkKeys): readonly string[] => (typeof keys === 'string' ? [keys] : keys);

/** A short public name of a secret, carried in each link so a link signed with a retired secret is told apart from a forged one. */
export function keyId(secret: string): string {
  return signature(secret, 'msp-orchestrator/link-key-id').slice(0, 8);
}

export function createTaskToken(keys: LinkKeys, claims: TaskTokenClaims): string {
  const secret = ring(keys)[0];
  const kind = claims.kind && claims.kind !== 'approval' ? { k: claims.kind } : {};
  const owner = claims.owner ? { o: claims.owner } : {};
  const payload = Buffer.from(JSON.stringify({ t: claims.taskId, a: claims.email, e: claims.exp, ...kind, ...owner, v: keyId(secret) })).toString('base64url');
  return `${payload}.${signature(secret, payload)}`;
}

/**
 * Checks signature, shape and expiry; throws a RuleError a person can read.
 * A link naming a secret no longer on the ring gets a message saying so
 * (410), not the one for a forged link (403).
 *
 * @throws RuleError Invalid `refusals:link.malformed` | Forbidden `refusals:link.forged`
 * @throws RuleError Expired `refusals:link.keyRetired` | `refusals:link.expired` {at}
 */
export function verifyTaskToken(keys: LinkKeys, token: string, now = Date.now()): TaskTokenClaims {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) throw new RuleError('Invalid', said('refusals:link.malformed'));
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    // Unsigned garbage is a forgery; only a link we signed can be "malformed".
    if (!ring(keys).some((k) => hasSignature(k, payload, given))) throw new RuleError('Forbidden', said('refusals:link.forged'));
    throw new RuleError('Invalid', said('refusals:link.malformed'));
  }
  const named = (raw as { v?: unknown })?.v;
  // Links from before key ids carry none: any secret on the ring may have signed them.
  const candidates = typeof named === 'string' ? ring(keys).filter((k) => keyId(k) === named) : ring(keys);
  if (candidates.length === 0) {
    throw new RuleError('Expired', said('refusals:link.keyRetired'));
  }
  if (!candidates.some((k) => hasSignature(k, payload, given))) {
    throw new RuleError('Forbidden', said('refusals:link.forged'));
  }
  const r = raw as { t?: unknown; a?: unknown; e?: unknown; k?: unknown; o?: unknown };
  if (typeof r.t !== 'string' || typeof r.a !== 'string' || typeof r.e !== 'number') {
    throw new RuleError('Invalid', said('refusals:link.malformed'));
  }
  if (now > r.e) throw new RuleError('Expired', said('refusals:link.expired', { at: at(new Date(r.e).toISOString()) }));
  const kind: LinkKind = r.k === 'onboarding' || r.k === 'review' || r.k === 'inbox' ? r.k : 'approval';
  return { taskId: r.t, email: r.a, exp: r.e, kind, ...(typeof r.o === 'string' ? { owner: r.o } : {}) };
}

/** Verifies a token and that it was issued for this kind of page. @throws RuleError Forbidden `refusals:link.wrongKind`, and what `verifyTaskToken` refuses */
export function verifyTaskTokenOfKind(keys: LinkKeys, token: string, kind: LinkKind, now = Date.now()): TaskTokenClaims {
  const claims = verifyTaskToken(keys, token, now);
  if (claims.kind !== kind) throw new RuleError('Forbidden', said('refusals:link.wrongKind'));
  return claims;
}

export function taskLink(publicBaseUrl: string, token: string, kind: LinkKind = 'approval'): string {
  const path = { approval: 'tasks', onboarding: 'invitations', review: 'reviews', inbox: 'approvals' }[kind];
  return `${publicBaseUrl}/${path}/${token}`;
}
