import type { Person } from '../people';
import type { Text } from '../said';

/**
 * The per-approver digest: pure state and rules, run by
 * `approverDigestWorkflow`. In each window the first `after` task emails go
 * out one by one; the rest wait for one digest email at the window's end.
 * A task once put in a digest stays "digested" for this approver: its
 * reminders join the next digest instead of arriving one by one.
 */

export interface DigestSettings {
  /** Task emails per window sent one by one before the rest wait for the digest; 0 turns digests off. */
  after: number;
  /** Length of a window, in milliseconds, from the first email of the window. */
  windowMs: number;
}

/** One task email the approval workflow would have sent (the activity's input, plus the task's kind). */
export interface DigestItem {
  /** The delivery key the approval workflow chose; a repeated signal with the same key is ignored. */
  deliveryKey: string;
  reason: 'assigned' | 'reminder' | 'escalated' | 'delegated';
  /** For `delegated`: who handed the task to this approver, and why (such emails are sent at once, never digested). */
  handover?: { from: Person; reason: string; kind: 'hand-over' | 'out-of-office' };
  taskId: string;
  /** The task's kind, a registry code (domain/human-tasks/kinds). */
  taskKind: string;
  approver: Person;
  partnershipTitle: string;
  /** The task's summary and details, as its request holds them (see `ApprovalRequest`). */
  summary: Text;
  details: Text[];
  requestedBy: string;
  expiresAt: string;
}

export interface DigestState {
  approver: Person;
  settings: DigestSettings;
  /** Start of the current window (epoch ms); absent between windows. */
  windowStartedAt?: number;
  sentInWindow: number;
  /** Items waiting for the next digest, one per task (a reminder replaces the task's earlier item). */
  pending: DigestItem[];
  /** Tasks that went into a digest, with their expiry, so their reminders follow them; pruned once expired. */
  digested: Record<string, string>;
  /** Delivery keys seen in this run (a retried signal must not count twice); reset by continue-as-new with the window. */
  seenKeys: string[];
  digestsSent: number;
}

export function initialDigestState(approver: Person, settings: DigestSettings, carried?: Partial<DigestState>): DigestState {
  return {
    approver,
    settings,
    sentInWindow: 0,
    pending: [],
    digested: {},
    seenKeys: [],
    digestsSent: 0,
    ...carried,
  };
}

export type Routing = 'duplicate' | 'send-now' | 'collect';

/**
 * Whether the task of `item` would expire before the digest that would list
 * it goes out (the end of the current window, or of the window this item would
 * open at `now`): such a task must be sent at once, or its approver learns of
 * it only after it can no longer be decided.
 */
export function expiresBeforeDigest(state: DigestState, item: DigestItem, now: number): boolean {
  const digestAt = (state.windowStartedAt ?? now) + state.settings.windowMs;
  return Date.parse(item.expiresAt) <= digestAt;
}

export interface RouteOptions {
  /**
   * Send at once a task that would expire before the digest goes out (see
   * `expiresBeforeDigest`), even past the window's one-by-one allowance or
   * when the task was digested before. On by default; digests recorded before
   * the rule (patch `digest-sends-expiring-at-once`) pass false.
   */
  sendExpiringAtOnce?: boolean;
}

/** Decides what happens to one arriving item, and records it. */
export function routeItem(state: DigestState, item: DigestItem, now: number, options: RouteOptions = {}): Routing {
  if (state.seenKeys.includes(item.deliveryKey)) return 'duplicate';
  state.seenKeys.push(item.deliveryKey);
  state.windowStartedAt ??= now;
  const alreadyDigested = item.taskId in state.digested || state.pending.some((p) => p.taskId === item.taskId);
  const urgent = (options.sendExpiringAtOnce ?? true) && expiresBeforeDigest(state, item, now);
  if (urgent || (!alreadyDigested && (state.settings.after <= 0 || state.sentInWindow < state.settings.after))) {
    state.sentInWindow += 1;
    // Sent on its own now: the digest no longer lists it (an earlier item of the same task is superseded).
    if (urgent) state.pending = state.pending.filter((p) => p.taskId !== item.taskId);
    return 'send-now';
  }
  state.pending = [...state.pending.filter((p) => p.taskId !== item.taskId), item];
  state.digested[item.taskId] = item.expiresAt;
  return 'collect';
}

export function windowEndsAt(state: DigestState): number | undefined {
  return state.windowStartedAt === undefined ? undefined : state.windowStartedAt + state.settings.windowMs;
}

/** Closes the window: returns what the digest email lists, and forgets tasks whose deadline has passed. */
export function closeWindow(state: DigestState, now: number): DigestItem[] {
  const items = state.pending;
  state.pending = [];
  state.windowStartedAt = undefined;
  state.sentInWindow = 0;
  state.seenKeys = [];
  if (items.length) state.digestsSent += 1;
  for (const [taskId, expiresAt] of Object.entries(state.digested)) {
    if (Date.parse(expiresAt) < now) delete state.digested[taskId];
  }
  return items;
}
