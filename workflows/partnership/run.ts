import type { GateEffect } from '../../domain/partnership/gates';
import type { PartnershipState, PendingTask } from '../../domain/partnership/state';
import type { PhaseDocumentFacts } from '../../domain/partnership/document-facts';

/**
 * The per-run state of one partnership workflow run, in one object: the
 * workflow function makes it and hands it to the handlers, the gate runners,
 * the outbox and publishing. Nothing in these modules lives at module level,
 * so two runs in one worker never share a value, and a replay rebuilds this
 * object exactly as the run had it.
 */
export interface PartnershipRun {
  /** The partnership itself: changed only through the domain's transitions. */
  readonly state: PartnershipState;
  /** A gate the `decideGate` handler applied, waiting for the loop to run its side effects (document, registry, email). */
  gateApplied?: AppliedGate;
  /** The fingerprint of the search attributes last written (see `publish`). */
  lastPublished?: string;
  /** Notifications scheduled in this run whose send has not settled yet (see `settleNotifications`). */
  sendsInFlight: number;
}

/** A gate decision applied to the state, with the facts of the closed phase's document as they stood at the gate. */
export interface AppliedGate {
  effect: GateEffect;
  task: PendingTask;
  facts: PhaseDocumentFacts;
}

/** A new run's object around `state`. */
export function newRun(state: PartnershipState): PartnershipRun {
  return { state, sendsInFlight: 0 };
}

/** Workflow time (deterministic: the SDK replays `Date.now()`), as an ISO 8601 string. */
export const nowIso = () => new Date(Date.now()).toISOString();
