import { CancellationScope, condition, defineQuery, defineSignal, defineUpdate, executeChild, getExternalWorkflowHandle, log, patched, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { ApprovalDecision } from '../../domain/human-tasks/approval-state';
import { durationMs } from '../../domain/durations';
import { phaseLabel } from '../../domain/partnership/phases';
import type { DocumentRef } from '../../domain/partnership/partnership-state';
import {
  allAnswered,
  checkReviewAnswer,
  closeWithPartnership,
  initialReviewState,
  newPoints,
  recordReviewAnswer,
  checkReviewReminder,
  recordReviewReminder,
  type ReviewReminder,
  type ReviewReminderInput,
  type IndicatorPoint,
  type PartnerReviewAnswer,
  type ReviewAnswerInput,
  type ReviewPartner,
  type ReviewRequest,
  type ReviewState,
} from '../../domain/reviews/review';
import { mail, registry } from '../activity-proxies';
import type { PartnerEmailInput } from '../../activities/create-activities';
import { approvalWorkflow } from '../human-tasks/approval';
import { partnershipClosedSignal, reviewDecidedByPartnershipSignal, type ReviewDecidedByPartnership } from '../partnership/messages';
import { enforce } from '../rule-failure';

export const reviewAnswerUpdate = defineUpdate<PartnerReviewAnswer, [ReviewAnswerInput]>('reviewAnswer');
export const reviewStateQuery = defineQuery<ReviewState>('reviewState');
/** A manager's "remind those who have not answered" (see `checkReviewReminder`): idempotent by its key. */
export const remindReviewUpdate = defineUpdate<ReviewReminder, [ReviewReminderInput]>('remindReview');

export interface ReviewOutcome {
  reviewId: string;
  number: number;
  report: DocumentRef | null;
  points: IndicatorPoint[];
  answered: number;
  asked: number;
  decision: { decision: 'continue' | 'adapt' | 'exit'; notes?: string; by: string; at: string } | null;
}

/** Sent to the partnership (by id) when a review has its report and decision. */
export const reviewCompletedSignal = defineSignal<[ReviewOutcome]>('reviewCompleted');

/**
 * One periodic review (guide II.2.D): collect indicator values, meeting
 * evaluations and learning from each active partner's focal point; compile
 * the MEL report; put continue / adapt / exit to the governance approvers.
 */
/**
 * Review requests and reminders go out EMAILS_PER_ACTIVITY to an activity. A
 * review of 300 partners once scheduled 300 activities at once; their events,
 * buffered while one workflow task ran, made the server refuse the task
 * (FORCE_CLOSE_COMMAND) until a retry got through (npm run bench, section large).
 */
const BATCHED_EMAILS_PATCH = 'review-emails-in-batches';
/**
 * Since this patch the governance decision's task runs in a scope of its own,
 * so that the partnership closing meanwhile (`partnershipClosed`) cancels it;
 * before it, the approvers could still be asked to decide on a closed partnership.
 */
const DECISION_CLOSES_WITH_PARTNERSHIP_PATCH = 'review-decision-closes-with-partnership';
/**
 * Reminders a manager asks for (`remindReview`) are sent behind this patch. No
 * history recorded before it holds that Update, so none replays differently;
 * the marker lets a later change to what such a reminder sends tell the runs
 * that sent one this way apart.
 */
const REMINDERS_ON_REQUEST_PATCH = 'review-reminders-on-request';
const EMAILS_PER_ACTIVITY = 25;

export async function reflectiveReviewWorkflow(request: ReviewRequest): Promise<ReviewOutcome> {
  const reminderMs = durationMs(request.timings.reminderAfter)!;
  const deadlineMs = durationMs(request.timings.deadline)!;
  const state = initialReviewState(request, Date.now(), deadlineMs);

  setHandler(reviewStateQuery, () => state);
  setHandler(
    reviewAnswerUpdate,
    (input) => {
      const answer = recordReviewAnswer(state, input, Date.now());
      show(state);
      return answer;
    },
    { validator: (input) => enforce(() => void checkReviewAnswer(state, input, Date.now())) },
  );
  // The partnership closed: no more answers from now (the validator sees it), no report, no decision.
  setHandler(partnershipClosedSignal, ({ at, reason }) => {
    if (closeWithPartnership(state, at, reason)) show(state);
  });
  const closed = () => state.closedWithPartnership !== undefined;
  // The partnership decided through its own gate (see reviewDecidedByPartnershipSignal); the outcome reports that decision.
  let decidedByPartnership: ReviewDecidedByPartnership | undefined;
  setHandler(reviewDecidedByPartnershipSignal, (decided) => {
    decidedByPartnership ??= decided;
  });

  const emailFor = (p: ReviewPartner, reminder: boolean): PartnerEmailInput => ({
          deliveryKey: `${request.reviewId}/${reminder ? 'reminder' : 'ask'}/${p.id}`,
          onboardingId: request.reviewId,
          linkKind: 'review',
          to: p.contact,
          subject: `${request.partnershipTitle}: ${reminder ? 'reminder — ' : ''}review ${request.number}, your indicators and feedback`,
          lines: [
            `The partnership "${request.partnershipTitle}" is holding its review ${request.number} (${request.phase === 'reflective-monitoring' ? 'reflective monitoring' : `an extra review during ${phaseLabel(request.phase)}`}).`,
            p.indicators.length > 0
              ? `Please report the values of the ${p.indicators.length} indicator(s) you are part of, evaluate our meetings, and share what you learned.`
              : 'There are no indicators for you to report this time; please evaluate our meetings and share what you learned.',
            `Answers are due by ${state.deadlineAt.replace('T', ' ').slice(0, 16)} UTC.`,
          ],
          linkExpiresAt: state.deadlineAt,
          linkLabel: 'Open the review form',
  });
  const ask = (p: ReviewPartner, reminder: boolean) => {
    mail.sendPartnerEmail
      .executeWithOptions({ summary: `${reminder ? 'remind' : 'ask'} ${p.contact.email}` }, [emailFor(p, reminder)])
      .catch((err: unknown) => log.error('review email failed', { to: p.contact.email, err: String(err) }));
  };
  /** Asks (or reminds) these partners: in batches since the patch, one activity per partner before it. */
  const askAll = (partners: ReviewPartner[], reminder: boolean) => {
    if (!patched(BATCHED_EMAILS_PATCH)) {
      for (const p of partners) ask(p, reminder);
      return;
    }
    for (let i = 0; i < partners.length; i += EMAILS_PER_ACTIVITY) {
      const batch = partners.slice(i, i + EMAILS_PER_ACTIVITY);
      mail.sendPartnerEmails
        .executeWithOptions({ summary: `${reminder ? 'remind' : 'ask'} ${batch.length} focal point(s), from ${batch[0].contact.email}` }, [batch.map((p) => emailFor(p, reminder))])
        .catch((err: unknown) => log.error('review emails failed', { from: batch[0].contact.email, count: batch.length, err: String(err) }));
    }
  };

  // A manager's reminder: to those who have not answered, each email keyed by the reminder, so a retry sends nothing twice.
  setHandler(
    remindReviewUpdate,
    (input) => {
      const { reminder, partners } = recordReviewReminder(state, input, Date.now());
      if (partners.length > 0 && patched(REMINDERS_ON_REQUEST_PATCH)) {
        for (let i = 0; i < partners.length; i += EMAILS_PER_ACTIVITY) {
          const batch = partners.slice(i, i + EMAILS_PER_ACTIVITY);
          mail.sendPartnerEmails
            .executeWithOptions({ summary: `remind ${batch.length} focal point(s) on request, from ${batch[0].contact.email}` }, [
              batch.map((p) => ({ ...emailFor(p, true), deliveryKey: `${request.reviewId}/reminder-${reminder.key}/${p.id}` })),
            ])
            .catch((err: unknown) => log.error('review reminders failed', { from: batch[0].contact.email, count: batch.length, err: String(err) }));
        }
      }
      show(state);
      return reminder;
    },
    { validator: (input) => enforce(() => void checkReviewReminder(state, input, Date.now())) },
  );

  /** Ends the review because its partnership closed: answers so far are kept, nothing is reported back to the closed partnership. */
  const closedWithPartnership = (): ReviewOutcome => {
    state.step = 'closed';
    show(state);
    return {
      reviewId: request.reviewId,
      number: request.number,
      report: state.report ?? null,
      points: newPoints(state),
      answered: Object.keys(state.answers).length,
      asked: request.partners.length,
      decision: null,
    };
  };

  show(state);
  askAll(request.partners, false);
  const deadlineAt = Date.parse(state.deadlineAt);
  const reminderAt = Date.parse(state.startedAt) + reminderMs;
  const stopWaiting = () => allAnswered(state) || closed() || decidedByPartnership !== undefined;
  if (!(await condition(stopWaiting, Math.max(0, reminderAt - Date.now()), { summary: 'wait for answers until the reminder' })) && !decidedByPartnership) {
    state.reminded = true;
    askAll(request.partners.filter((p) => !state.answers[p.id]), true);
    await condition(stopWaiting, Math.max(0, deadlineAt - Date.now()), { summary: 'wait for answers until the deadline' });
  }
  if (closed()) return closedWithPartnership();

  state.step = 'reporting';
  show(state);
  let report: DocumentRef | null = null;
  try {
    report = await registry.createReviewReport.executeWithOptions({ summary: 'compile the MEL report' }, [{ state, at: new Date(Date.now()).toISOString() }]);
    state.report = report;
  } catch (err) {
    log.error('the MEL report could not be stored', { err: String(err) });
  }

  if (closed()) return closedWithPartnership();
  if (decidedByPartnership) return reportDecision(decidedByPartnership);

  state.step = 'deciding';
  show(state);
  let decision: ApprovalDecision;
  const decisionScope = new CancellationScope();
  const decided = decisionScope.run(() =>
    executeChild(approvalWorkflow, {
      workflowId: `${request.reviewId}.decision`,
      staticSummary: `${request.partnershipTitle}: review ${request.number} decision`,
      args: [
        {
          taskId: `${request.reviewId}.decision`,
          partnershipId: request.partnershipId,
          partnershipTitle: request.partnershipTitle,
          kind: 'review',
          summary:
            request.phase === 'reflective-monitoring'
              ? `Review ${request.number}: continue, adapt or exit`
              : `Review ${request.number}: continue, adapt or exit — advice only (the partnership is in ${phaseLabel(request.phase)}; the decision is recorded, not applied)`,
          details: [
            `Answers from ${Object.keys(state.answers).length} of ${request.partners.length} partners.`,
            report ? `MEL report: ${report.url} (HTML view: add ?format=html)` : 'The MEL report could not be produced.',
            'Choose "continue" (next cycle), "adapt" (back to planning with your notes) or "exit" (close the partnership).',
          ],
          requestedBy: request.requestedBy,
          approvers: request.approvers,
          timings: request.timings,
          choices: ['continue', 'adapt', 'exit'],
          choicesNeedingComment: ['adapt'],
        },
      ],
    }),
  );
  if (patched(DECISION_CLOSES_WITH_PARTNERSHIP_PATCH)) {
    await Promise.race([decided.catch(() => undefined), condition(() => closed() || decidedByPartnership !== undefined)]);
    if (closed() || decidedByPartnership) {
      // The approvers' task is withdrawn: the partnership closed, or decided through its own gate.
      decisionScope.cancel();
      await decided.catch(() => undefined);
      return decidedByPartnership ? reportDecision(decidedByPartnership) : closedWithPartnership();
    }
  }
  try {
    decision = await decided;
  } catch (err) {
    decision = { outcome: 'rejected', by: null, at: new Date(Date.now()).toISOString(), comment: String(err) };
  }
  return reportDecision(
    decision.outcome === 'approved' && decision.choice
      ? {
          decision: decision.choice as 'continue' | 'adapt' | 'exit',
          ...(decision.comment ? { notes: decision.comment } : {}),
          by: decision.by ? `${decision.by.name} <${decision.by.email}>` : 'governance',
          at: decision.at,
        }
      : undefined,
  );

  /** Records the decision (the approvers', the partnership's own, or none) and reports the outcome to the partnership. */
  async function reportDecision(taken: ReviewState['decision'] | undefined): Promise<ReviewOutcome> {
    if (taken) state.decision = taken;
    state.step = 'decided';
    show(state);
    const outcome: ReviewOutcome = {
      reviewId: request.reviewId,
      number: request.number,
      report: state.report ?? null,
      points: newPoints(state),
      answered: Object.keys(state.answers).length,
      asked: request.partners.length,
      decision: state.decision ?? null,
    };
    try {
      await getExternalWorkflowHandle(request.partnershipId).signal(reviewCompletedSignal, outcome);
    } catch (err) {
      log.warn('the partnership did not take the review outcome (closed?)', { err: String(err) });
    }
    return outcome;
  }
}

function show(state: ReviewState): void {
  const r = state.request;
  setCurrentDetails(
    [
      `**Review ${r.number}** of ${r.partnershipTitle} (\`${r.partnershipId}\`), cycle ${r.cycle}`,
      `**Step:** ${state.step} · answers ${Object.keys(state.answers).length}/${r.partners.length} · due ${state.deadlineAt}`,
      state.decision ? `**Decision:** ${state.decision.decision} by ${state.decision.by}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
