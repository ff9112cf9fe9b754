import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecision, ApprovalState, DecideInput, DelegateInput, Handover } from '../../domain/human-tasks/approval-state';
import type { DigestItem, DigestSettings, DigestState } from '../../domain/human-tasks/digest';
import type { Person } from '../../domain/schemas';

/**
 * What one can say to a human task's workflows: the approval task's
 * Updates and query, and the approver's digest's signal and query, with
 * their argument types and the digest's input. The workflows, the
 * activities and the API import these, never the workflows' implementation.
 * Names are stable strings: running tasks receive them by name.
 */

// --- approvalWorkflow ------------------------------------------------------

export const decideUpdate = defineUpdate<ApprovalDecision, [DecideInput]>('decide');
/** An assignee hands the task to a colleague (see `delegate`); answers the hand-over. */
export const delegateUpdate = defineUpdate<Handover, [DelegateInput]>('delegate');
export const approvalStateQuery = defineQuery<ApprovalState>('approvalState');

// --- approverDigestWorkflow ------------------------------------------------

export interface DigestItemMessage {
  item: DigestItem;
  /** The worker's current settings: a change of configuration reaches running digests with the next item. */
  settings: DigestSettings;
}

/** Sent (with signal-with-start) by the approval workflow's routing activity, one per task email. */
export const digestItemSignal = defineSignal<[DigestItemMessage]>('digestItem');
export const digestStateQuery = defineQuery<DigestState>('digestState');

/** What `approverDigestWorkflow` is started with. */
export interface ApproverDigestInput {
  approver: Person;
  settings: DigestSettings;
  /** What a previous run carried over through continue-as-new. */
  carried?: Partial<DigestState>;
}

/** The digest workflow's signature, for clients that start it by its type name (`WORKFLOW_TYPES.approverDigest`). */
export type ApproverDigestWorkflow = (input: ApproverDigestInput) => Promise<void>;
