import {
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  executeChild,
  getExternalWorkflowHandle,
  log,
  patched,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { ApprovalDecision } from '../../domain/human-tasks/approval-state';
import { durationMs } from '../../domain/durations';
import {
  applyAnswer,
  checkAnswer,
  closeWithPartnership,
  endOnboarding,
  enterStep,
  initialOnboardingState,
  isFinal,
  checkResend,
  recordResend,
  type OnboardingRequest,
  type OnboardingResend,
  type OnboardingResendInput,
  type OnboardingState,
  type OnboardingStep,
} from '../../domain/partners/onboarding-state';
import { PRINCIPLES } from '../../domain/partners/principles';
import type { PartnerAnswer } from '../../domain/schemas';
import type { PartnerStatus } from '../../domain/partners/stakeholders';
import { mail, registry } from '../activity-proxies';
import { approvalWorkflow } from '../human-tasks/approval';
import { partnershipClosedSignal } from '../partnership/messages';
import { enforce } from '../rule-failure';

/**
 * A withdrawal during internal approval cancels the approval task at once.
 * Before this patch the approval ran on to its decision or deadline, and its
 * approvers kept being reminded of a partner that had already withdrawn.
 */
const WITHDRAWAL_CANCELS_APPROVAL_PATCH = 'withdrawal-cancels-approval';

/** The "your onboarding ended" email is sent before the workflow completes (see finish()). */
const ENDED_EMAIL_PATCH = 'ended-email-before-completion';

/**
 * The internal approval's decision is reported to the partnership at once
 * (`partnerApprovalSignal`), so that its history names who approved or
 * rejected the partner. Runs from before never reported it.
 */
const APPROVAL_REPORTED_PATCH = 'partner-approval-reported';

/**
 * A manager's "send it again" (`resendInvitation`) emails the open step's link
 * once per request key. No run recorded before it carries the Update; the
 * marker lets a later change to what it sends tell the runs apart.
 */
const RESEND_PATCH = 'resend-invitation';

export const partnerAnswerUpdate = defineUpdate<OnboardingStep, [{ email: string; answer: PartnerAnswer }]>('partnerAnswer');
export const withdrawOnboardingSignal = defineSignal<[{ reason: string; by: string }]>('withdrawOnboarding');
export const onboardingStateQuery = defineQuery<OnboardingState>('onboardingState');
/** A manager's request to email the open step's link to the contact again; idempotent by its key (see `checkResend`). */
export const resendInvitationUpdate = defineUpdate<OnboardingResend, [OnboardingResendInput]>('resendInvitation');
/** Sent to the partnership workflow (by workflow id) when the internal approval is decided, with who decided (patch `partner-approval-reported`). */
export const partnerApprovalSignal = defineSignal<[{ stakeholderId: string; onboardingId: string; outcome: 'approved' | 'rejected'; by: string | null; at: string; comment?: string }]>(
  'partnerApproval',
);
/** Sent to the partnership workflow (by workflow id, so it reaches the current run) on every outcome. */
export const partnerStatusSignal = defineSignal<[{ stakeholderId: string; status: PartnerStatus; at: string; reason?: string }]>(
  'partnerStatus',
);

/**
 * One partner's way in: invitation → accept or decline → due diligence
 * against the principles → internal approval → letter of intent or MoU →
 * signature → registration. Every waiting step reminds once and expires at
 * its deadline; decline, rejection, expiry and withdrawal end it with a reason.
 */
export async function partnerOnboardingWorkflow(request: OnboardingRequest): Promise<OnboardingState> {
  const reminderMs = durationMs(request.timings.reminderAfter)!;
  const deadlineMs = durationMs(request.timings.deadline)!;
  const state = initialOnboardingState(request, Date.now(), deadlineMs);
  let withdrawal: { reason: string; by: string } | undefined;
  const org = request.stakeholder.organisation;

  setHandler(onboardingStateQuery, () => state);
  setHandler(
    partnerAnswerUpdate,
    ({ answer }) => {
      const step = applyAnswer(state, answer, Date.now(), deadlineMs);
      show(state);
      return step;
    },
    { validator: ({ email, answer }) => enforce(() => checkAnswer(state, email, answer, Date.now())) },
  );
  setHandler(withdrawOnboardingSignal, (w) => {
    withdrawal ??= w;
  });
  // The partnership closed: no more answers from now (the validator sees it), and the onboarding ends as withdrawn.
  setHandler(partnershipClosedSignal, ({ at, reason }) => {
    if (!closeWithPartnership(state, at, reason)) return;
    withdrawal ??= { reason: `the partnership closed (${reason})`, by: 'the partnership' };
    show(state);
  });

  const emailContact = (key: string, subject: string, lines: string[], withLink: boolean): Promise<unknown> =>
    mail.sendPartnerEmail
      .executeWithOptions({ summary: `email ${request.contact.email}: ${key}` }, [
        {
          deliveryKey: `${request.onboardingId}/${state.events.length}/${key}`,
          onboardingId: request.onboardingId,
          to: request.contact,
          subject: `${request.partnershipTitle}: ${subject}`,
          lines,
          ...(withLink ? { linkExpiresAt: state.stepDeadlineAt } : {}),
        },
      ])
      .catch((err: unknown) => log.error('partner email failed', { key, err: String(err) }));

  /** What the open contact step's email says: what a manager's "send it again" sends. */
  let asking: { subject: string; lines: string[] } | undefined;
  setHandler(
    resendInvitationUpdate,
    (input) => {
      const { resend, send } = recordResend(state, input, Date.now());
      if (send && asking && patched(RESEND_PATCH)) {
        void emailContact(`${resend.step}-resent-${resend.key}`, asking.subject, ['We are sending this again at the request of the partnership.', ...asking.lines], true);
      }
      show(state);
      return resend;
    },
    { validator: (input) => enforce(() => void checkResend(state, input, Date.now())) },
  );

  /** Waits for the contact to finish `step`; reminds once; false at the deadline or on withdrawal. */
  async function contactStep(step: OnboardingStep, subject: string, lines: string[]): Promise<boolean> {
    asking = { subject, lines };
    void emailContact(step, subject, lines, true);
    show(state);
    while (state.step === step && !withdrawal) {
      const reminderAt = state.remindedAtStep ? Infinity : Date.parse(state.stepStartedAt) + reminderMs;
      const deadlineAt = Date.parse(state.stepDeadlineAt);
      const waitMs = Math.min(reminderAt, deadlineAt) - Date.now();
      if (waitMs > 0 && (await condition(() => state.step !== step || !!withdrawal, waitMs, { summary: `wait for ${step}` }))) break;
      if (Date.now() >= deadlineAt) return false;
      state.remindedAtStep = true;
      void emailContact(`${step}-reminder`, `reminder — ${subject}`, ['This is a reminder: we are still waiting for your answer.', ...lines], true);
    }
    return !withdrawal;
  }

  async function finish(status: PartnerStatus & OnboardingStep, reason?: string): Promise<OnboardingState> {
    const at = new Date(Date.now()).toISOString();
    if (!isFinal(state) || state.step !== status) endOnboarding(state, status, Date.now(), reason);
    show(state);
    try {
      await registry.recordMembership.executeWithOptions({ summary: `register ${org} as ${status}` }, [
        {
          partnerId: request.stakeholder.id,
          partnershipId: request.partnershipId,
          membership: {
            organisation: org,
            group: request.stakeholder.group,
            status,
            contact: request.contact,
            documentId: state.document?.id ?? null,
            reason: state.reason ?? null,
            at,
          },
        },
      ]);
    } catch (err) {
      log.error('registering the partner failed', { err: String(err) });
    }
    // A partnership that closed told us so, and takes no more news.
    if (!state.closedWithPartnership) {
      try {
        await getExternalWorkflowHandle(request.partnershipId).signal(partnerStatusSignal, {
          stakeholderId: request.stakeholder.id,
          status,
          at,
          ...(state.reason ? { reason: state.reason } : {}),
        });
      } catch (err) {
        log.warn('the partnership did not take the status (closed?)', { err: String(err) });
      }
    }
    if (status !== 'active') {
      const ended = emailContact(`ended-${status}`, `your onboarding ended (${status})`, [`Outcome: ${status}.`, ...(state.reason ? [`Reason: ${state.reason}`] : [])], false);
      // Runs from before this patch scheduled the email in the workflow task that completed them, so it never started.
      if (patched(ENDED_EMAIL_PATCH)) await ended;
    }
    return state;
  }

  const withdrawn = () => finish('withdrawn', withdrawal?.reason);

  // 1. Invitation: accept or decline.
  const invited = await contactStep('respond', `invitation to join as a partner`, [
    `${request.invitedBy} invites ${org} to join the multi-stakeholder partnership "${request.partnershipTitle}".`,
    `Its goal: ${request.partnershipGoal}`,
    'Please accept or decline on the page below. If you accept, a short due-diligence form follows.',
  ]);
  if (withdrawal) return withdrawn();
  if (!invited) return finish('expired', 'no answer to the invitation before the deadline');
  if (state.step === 'declined') return finish('declined', state.reason);

  // 2. Due diligence: principles and conflicts of interest (the same link shows the form).
  const attested = await contactStep('due-diligence', 'due diligence', [
    'Thank you for accepting. Please attest to the partnership principles and declare any conflict of interest on the page below.',
  ]);
  if (withdrawal) return withdrawn();
  if (!attested) return finish('expired', 'due diligence not completed before the deadline');

  // 3. Internal approval.
  show(state);
  let decision: ApprovalDecision;
  // The approval runs in a scope of its own so that a withdrawal can cancel it (see WITHDRAWAL_CANCELS_APPROVAL_PATCH).
  const approvalScope = new CancellationScope();
  const approval = approvalScope.run(() =>
    executeChild(approvalWorkflow, {
      workflowId: `${request.onboardingId}.approval-${state.events.length}`,
      staticSummary: `${request.partnershipTitle}: approve ${org} as a partner`,
      args: [
        {
          taskId: `${request.onboardingId}.approval-${state.events.length}`,
          partnershipId: request.partnershipId,
          partnershipTitle: request.partnershipTitle,
          kind: 'advance',
          summary: `Approve ${org} (${request.stakeholder.group}) as a partner`,
          details: [
            `Contact: ${request.contact.name} <${request.contact.email}>`,
            `Principles attested: ${state.attestations!.principles.length} of ${PRINCIPLES.length}`,
            `Conflicts of interest declared: ${state.attestations!.conflictsOfInterest}`,
          ],
          requestedBy: request.invitedBy,
          approvers: request.approvers,
          timings: request.timings,
          taskKind: 'partner-approval',
          partner: {
            organisation: org,
            group: request.stakeholder.group,
            contact: request.contact,
            principlesAttested: state.attestations!.principles.length,
            principlesTotal: PRINCIPLES.length,
            conflictsOfInterest: state.attestations!.conflictsOfInterest,
          },
        },
      ],
    }),
  );
  if (patched(WITHDRAWAL_CANCELS_APPROVAL_PATCH)) {
    await Promise.race([approval.catch(() => undefined), condition(() => withdrawal !== undefined)]);
    if (withdrawal) {
      approvalScope.cancel();
      await approval.catch(() => undefined);
      return withdrawn();
    }
  }
  try {
    decision = await approval;
  } catch (err) {
    decision = { outcome: 'rejected', by: null, at: new Date(Date.now()).toISOString(), comment: `approval ended without a decision: ${String(err)}` };
  }
  state.approval = decision;
  if (!state.closedWithPartnership && patched(APPROVAL_REPORTED_PATCH)) {
    const by = decision.by ? `${decision.by.name} <${decision.by.email}>` : null;
    await getExternalWorkflowHandle(request.partnershipId)
      .signal(partnerApprovalSignal, { stakeholderId: request.stakeholder.id, onboardingId: request.onboardingId, outcome: decision.outcome, by, at: decision.at, ...(decision.comment ? { comment: decision.comment } : {}) })
      .catch((err: unknown) => log.warn('the partnership did not take the approval (closed?)', { err: String(err) }));
  }
  if (withdrawal) return withdrawn();
  if (decision.outcome === 'rejected') return finish('rejected', decision.comment ?? 'rejected in internal approval');

  // 4. Letter of intent or MoU, then signature.
  state.document = await registry.createPartnerAgreement.executeWithOptions({ summary: `create the agreement for ${org}` }, [
    { state, at: decision.at },
  ]);
  enterStep(state, 'signature', Date.now(), deadlineMs);
  const signed = await contactStep('signature', `please confirm the signature of your ${state.document.kind === 'mou' ? 'MoU' : 'letter of intent'}`, [
    `Your participation was approved. The ${state.document.title} is ready.`,
    'Please read it on the page below and confirm that it has been signed.',
  ]);
  if (withdrawal) return withdrawn();
  if (!signed) return finish('expired', 'signature not confirmed before the deadline');

  // 5. Registration: the partner becomes active on the partnership.
  return finish('active');
}

function show(state: OnboardingState): void {
  const r = state.request;
  setCurrentDetails(
    [
      `**${r.stakeholder.organisation}** (${r.stakeholder.group}) → ${r.partnershipTitle} (\`${r.partnershipId}\`)`,
      `**Step:** ${state.step}${isFinal(state) ? '' : ` · deadline ${state.stepDeadlineAt}`}`,
      state.reason ? `**Reason:** ${state.reason}` : '',
      `Steps: ${state.events.map((e) => e.step).join(' → ')}`,
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
