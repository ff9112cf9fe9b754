import { TASK_KINDS } from '../../domain/human-tasks/kinds';
import { awaitAnswer } from '../human-tasks/await-answer';
import { CancellationScope, condition, executeChild, getExternalWorkflowHandle, log, patched, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { ApprovalDecision } from '../../domain/human-tasks/approval-state';
import { durationMs } from '../../domain/durations';
import type { DocumentRef } from '../../domain/documents/documents';
import {
  allAnswered,
  checkReviewAnswer,
  closeWithPartnership,
  initialReviewState,
  newPoints,
  recordReviewAnswer,
  checkReviewReminder,
  recordReviewReminder,
  type ReviewPartner,
  type ReviewRequest,
  type ReviewState,
} from '../../domain/reviews/review';
import { mail, registry } from '../activity-proxies';
import type { PartnerEmailInput } from '../../activities/notifications/activities';
import { approvalWorkflow } from '../human-tasks/approval';
import { partnershipClosedSignal, reviewDecidedByPartnershipSignal, type ReviewDecidedByPartnership } from '../partnership/messages';
import { remindReviewUpdate, reviewAnswerUpdate, reviewCompletedSignal, reviewStateQuery, type ReviewOutcome } from './messages';
import { enforce } from '../rule-failure';
import { patch } from '../patches';
import { at as instant, nested, phase, said } from '../../domain/said';

/**
 * One periodic review (guide II.2.D): collect indicator values, meeting
 * evaluations and learning from each active partner's focal point; compile
 * the MEL report; put continue / adapt / exit to the governance approvers.
 */
/**
 * Review requests and reminders go out EMAILS_PER_ACTIVITY to an activity
 * (patch `review-emails-in-batches`, workflows/patches.ts): 300 at once made
 * the server refuse the workflow task (npm run bench, section large).
 */
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

  /** What the focal points' email is about, after the partnership's title. */
  const reviewSubject = said('emails:notice.reviewSubject', { number: request.number });
  const emailFor = (p: ReviewPartner, reminder: boolean): PartnerEmailInput => ({
          deliveryKey: `${request.reviewId}/${reminder ? 'reminder' : 'ask'}/${p.id}`,
          onboardingId: request.reviewId,
          linkKind: 'review',
          to: p.contact,
          subject: reminder ? said('emails:notice.reminderPrefix', { subject: nested(reviewSubject) }) : reviewSubject,
          title: request.partnershipTitle,
          lines: [
            request.phase === 'reflective-monitoring'
              ? said('emails:notice.reviewHolding', { title: request.partnershipTitle, number: request.number })
              : said('emails:notice.reviewHoldingExtra', { title: request.partnershipTitle, number: request.number, phase: phase(request.phase) }),
            p.indicators.length > 0 ? said('emails:notice.reviewIndicators', { count: p.indicators.length }) : said('emails:notice.reviewNoIndicators'),
            said('emails:notice.answersDue', { at: instant(state.deadlineAt) }),
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
    if (!patched(patch('review-emails-in-batches'))) {
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
      if (partners.length > 0 && patched(patch('review-reminders-on-request'))) {
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
  await awaitAnswer({
    done: stopWaiting,
    reminderAt: () => (state.reminded ? Infinity : reminderAt),
    deadlineAt: () => deadlineAt,
    remind: () => {
      state.reminded = true;
      askAll(request.partners.filter((p) => !state.answers[p.id]), true);
    },
    summaries: { reminder: 'wait for answers until the reminder', deadline: 'wait for answers until the deadline' },
    waitWhenDue: true,
  });
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
          taskKind: TASK_KINDS.reviewDecision.id,
          summary:
            request.phase === 'reflective-monitoring'
              ? said('pages:request.reviewChoice', { number: request.number })
              : said('pages:request.reviewAdvice', { number: request.number, phase: phase(request.phase) }),
          details: [
            said('pages:request.answersFrom', { answered: Object.keys(state.answers).length, asked: request.partners.length }),
            report ? said('pages:request.melReport', { url: report.url }) : said('pages:request.melMissing'),
            said('pages:request.chooseHow'),
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
  if (patched(patch('review-decision-closes-with-partnership'))) {
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
