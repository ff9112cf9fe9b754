/**
 * Every `patched()` id the workflows ask, in one inventory: which workflow
 * type asks it, the day it was added, and what changed. The workflows import
 * their ids from here; `test/replay/patch-coverage.test.ts` fails when an id
 * has no checked-in history on each side of it (one recorded before, one
 * after), and docs/patches.md says how a patch is retired
 * (`deprecatePatch`, then removal).
 *
 * Retiring one (Temporal's three steps): once no open run started before
 * the patch (a visibility query on `StartTime` < `since` and
 * `ExecutionStatus = "Running"` finds none, counting continued-as-new runs,
 * which carry the marker), replace `patched(id)` by `deprecatePatch(id)` and
 * keep only the new branch, set `deprecated` here; once no run recorded
 * with the marker is open either, delete the call and the entry.
 */
/** The workflow types registered by the worker. */
export type WorkflowType = 'partnershipWorkflow' | 'approvalWorkflow' | 'approverDigestWorkflow' | 'partnerOnboardingWorkflow' | 'fundingChannelWorkflow' | 'reflectiveReviewWorkflow';

export interface PatchEntry {
  /** The id passed to `patched()`; a marker in every history that took it. */
  readonly id: string;
  /**
   * The workflow types that ask it (more than one when the code is shared:
   * `runHumanTask` runs in approval workflows and in the partnership's own gates).
   */
  readonly workflows: readonly WorkflowType[];
  /** The day the patch was added (ISO date); runs started before it took the old branch. */
  readonly since: string;
  /** What runs since the patch do that runs from before it did not. */
  readonly change: string;
  /**
   * Set once the call is `deprecatePatch(id)`: runs from before the patch are gone.
   * Absent while both branches stay in the code.
   */
  readonly deprecated?: string;
  /**
   * Set when the new branch is asked only in a situation no recorded history
   * meets before the patch (a new Update, for instance), so no "before"
   * history can exist; the coverage test then needs an "after" history only.
   */
  readonly noBeforeHistory?: string;
}

export const PATCHES = [
  // partnershipWorkflow
  { id: 'auto-review-on-monitoring', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: 'Entering reflective monitoring starts a review workflow.' },
  { id: 'governance-decision-needs-checklist', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: "A review's governance decision leaves reflective monitoring only once the phase checklist is complete; before, it applied at once." },
  { id: 'unicode-stakeholder-ids', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: 'Stakeholder ids are made from names in any script without merging two organisations; the id is the onboarding child\'s workflow id, so older runs keep legacy ids.' },
  { id: 'onboarding-id-per-invitation', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: 'Each invitation of a stakeholder gets an onboarding workflow id of its own, so a re-invitation does not collide with the first.' },
  { id: 'gate-decided-on-partnership', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: 'A gate is decided by the `decideGate` Update on the partnership (validator checks single use, assignee and deadline); before, an approval child decided and the phase moved one workflow task later.' },
  { id: 'notifications-finish-before-run-ends', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: 'Notifications stay in the outbox until their send settles; the run waits for it before continuing as new or closing, and unsent ones travel in the carried state.' },
  { id: 'manager-notified-of-every-outcome', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: 'The manager hears of every outcome (partners, channels, reviews), not only gate decisions.' },
  { id: 'publish-changed-search-attributes-only', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: 'Search attributes are upserted only when one of them changes.' },
  { id: 'partners-from-registry', workflows: ['partnershipWorkflow'], since: '2026-11-29', change: '`MspPartners` is no longer written (it passed the 2 KB limit at about 35 partners); attributes the state no longer has are removed.' },
  { id: 'gate-holders-searchable', workflows: ['partnershipWorkflow'], since: '2026-11-30', change: 'While a gate is open, `MspApprovers` names whoever has held it, so an out-of-office delegate finds it.' },
  { id: 'gate-recorded-after-failed-document', workflows: ['partnershipWorkflow'], since: '2026-11-30', change: "A gate's registry record is written even when its document could not be produced." },
  { id: 'gate-side-effects-together', workflows: ['partnershipWorkflow'], since: '2026-11-30', change: "A gate's document, registry record and manager email are scheduled together in the workflow task that applied the decision." },
  { id: 'open-work-closes-with-partnership', workflows: ['partnershipWorkflow'], since: '2026-12-07', change: 'A closing partnership signals `partnershipClosed` to its open onboardings, review and channels, so their links stop taking answers.' },
  { id: 'partnership-sections', workflows: ['partnershipWorkflow'], since: '2026-12-07', change: 'A checklist item whose substance is a written section is completed only once that section holds text (the handler holds the validator\'s rule).' },
  { id: 'review-decided-by-gate', workflows: ['partnershipWorkflow'], since: '2026-12-07', change: 'A review decision taken through the gate is sent to the open review (`reviewDecidedByPartnership`), which withdraws its own decision task.' },
  { id: 'activity-progress', workflows: ['partnershipWorkflow'], since: '2026-12-07', change: 'Progress on roadmap activities (`recordActivityProgress`).', noBeforeHistory: 'asked only by the `recordActivityProgress` Update, which no run before the patch received' },
  // approvalWorkflow, and its task loop (workflows/human-tasks/run-task.ts), which the partnership's gates also run
  { id: 'approver-inbox-and-digest', workflows: ['approvalWorkflow'], since: '2026-11-29', change: "Tasks are findable by approver and kind (the approver's inbox) and email through the approver's digest; before, they emailed directly and wrote no attributes." },
  { id: 'escalation-skips-holders', workflows: ['approvalWorkflow', 'partnershipWorkflow'], since: '2026-11-29', change: 'An escalation passes over approvers who already hold the task or handed it on (asked only when an escalation meets such an approver).' },
  { id: 'delegated-email-per-handover', workflows: ['approvalWorkflow', 'partnershipWorkflow'], since: '2026-11-29', change: "A delegate's email is keyed by the hand-over, not the level, so a task handed back reaches its holder again." },
  // approverDigestWorkflow
  { id: 'digest-sends-expiring-at-once', workflows: ['approverDigestWorkflow'], since: '2026-12-07', change: 'A task that would expire before the digest goes out is sent at once.', noBeforeHistory: 'asked only for a task expiring before its digest window ends' },
  // partnerOnboardingWorkflow
  { id: 'withdrawal-cancels-approval', workflows: ['partnerOnboardingWorkflow'], since: '2026-11-29', change: 'A withdrawal during internal approval cancels the approval task at once.' },
  { id: 'ended-email-before-completion', workflows: ['partnerOnboardingWorkflow'], since: '2026-11-29', change: "The contact's \"onboarding ended\" email is awaited before the workflow completes." },
  { id: 'partner-approval-reported', workflows: ['partnerOnboardingWorkflow'], since: '2026-12-07', change: "The internal approval's decision is signalled to the partnership (`partnerApproval`), so its history names who decided." },
  { id: 'resend-invitation', workflows: ['partnerOnboardingWorkflow'], since: '2026-12-07', change: 'A manager\'s "send it again" (`resendInvitation`) emails the open step\'s link once per request key.', noBeforeHistory: 'asked only by the `resendInvitation` Update, which no run before the patch received' },
  // fundingChannelWorkflow
  { id: 'channel-closes-with-partnership', workflows: ['fundingChannelWorkflow'], since: '2026-12-07', change: "The channel's approval runs in its own scope, so the partnership closing cancels it and records the channel as rejected." },
  // reflectiveReviewWorkflow
  { id: 'review-emails-in-batches', workflows: ['reflectiveReviewWorkflow'], since: '2026-11-29', change: 'Review requests and reminders go out in batches per activity (300 activities at once made the server refuse the workflow task).' },
  { id: 'review-decision-closes-with-partnership', workflows: ['reflectiveReviewWorkflow'], since: '2026-12-07', change: "The governance decision's task runs in its own scope, so the partnership closing cancels it." },
  { id: 'review-reminders-on-request', workflows: ['reflectiveReviewWorkflow'], since: '2026-12-07', change: 'Reminders a manager asks for (`remindReview`) are sent.', noBeforeHistory: 'asked only by the `remindReview` Update, which no run before the patch received' },
] as const satisfies readonly PatchEntry[];

/** A patch id, as the workflows pass it to `patched()`. */
export type PatchId = (typeof PATCHES)[number]['id'];

/** `id`, checked against the inventory at compile time: `patched(patch('resend-invitation'))`. */
export const patch = <T extends PatchId>(id: T): T => id;
