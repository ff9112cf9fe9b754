import { TASK_KINDS } from '../../domain/human-tasks/kinds';
import { awaitAnswer } from '../human-tasks/await-answer';
import {
  CancellationScope,
  condition,
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
  type OnboardingState,
  type OnboardingStep,
} from '../../domain/partners/onboarding-state';
import { PRINCIPLES } from '../../domain/partners/principles';
import type { PartnerStatus } from '../../domain/partners/stakeholders';
import { mail, registry } from '../activity-proxies';
import { approvalWorkflow } from '../human-tasks/approval';
import { partnershipClosedSignal } from '../partnership/messages';
import { onboardingStateQuery, partnerAnswerUpdate, partnerApprovalSignal, partnerStatusSignal, resendInvitationUpdate, withdrawOnboardingSignal } from './messages';
import { enforce } from '../rule-failure';
import { patch } from '../patches';
import { group, nested, said, saidForLog, status as sayStatus, type Said, type SaidParam, type Text } from '../../domain/said';

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
  let withdrawal: { reason: Text; by: string } | undefined;
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
    withdrawal ??= { reason: closedReason(reason), by: 'the partnership' };
    show(state);
  });

  /** An email to the contact: `subject` is what it is about, after the partnership's title. */
  const emailContact = (key: string, subject: Said, lines: Said[], withLink: boolean): Promise<unknown> =>
    mail.sendPartnerEmail
      .executeWithOptions({ summary: `email ${request.contact.email}: ${key}` }, [
        {
          deliveryKey: `${request.onboardingId}/${state.events.length}/${key}`,
          onboardingId: request.onboardingId,
          to: request.contact,
          subject,
          title: request.partnershipTitle,
          lines,
          ...(withLink ? { linkExpiresAt: state.stepDeadlineAt } : {}),
        },
      ])
      .catch((err: unknown) => log.error('partner email failed', { key, err: String(err) }));

  /** What the open contact step's email says: what a manager's "send it again" sends. */
  let asking: { subject: Said; lines: Said[] } | undefined;
  setHandler(
    resendInvitationUpdate,
    (input) => {
      const { resend, send } = recordResend(state, input, Date.now());
      if (send && asking && patched(patch('resend-invitation'))) {
        void emailContact(`${resend.step}-resent-${resend.key}`, asking.subject, [said('emails:said.resent'), ...asking.lines], true);
      }
      show(state);
      return resend;
    },
    { validator: (input) => enforce(() => void checkResend(state, input, Date.now())) },
  );

  /** Waits for the contact to finish `step`; reminds once; false at the deadline or on withdrawal. */
  async function contactStep(step: OnboardingStep, subject: Said, lines: Said[]): Promise<boolean> {
    asking = { subject, lines };
    void emailContact(step, subject, lines, true);
    show(state);
    const answer = await awaitAnswer({
      done: () => state.step !== step || !!withdrawal,
      reminderAt: () => (state.remindedAtStep ? Infinity : Date.parse(state.stepStartedAt) + reminderMs),
      deadlineAt: () => Date.parse(state.stepDeadlineAt),
      remind: () => {
        state.remindedAtStep = true;
        void emailContact(`${step}-reminder`, said('emails:notice.reminderPrefix', { subject: nested(subject) }), [said('emails:notice.reminderLine'), ...lines], true);
      },
      summaries: { reminder: `wait for ${step}`, deadline: `wait for ${step}` },
    });
    return answer === 'answered' && !withdrawal;
  }

  async function finish(status: PartnerStatus & OnboardingStep, reason?: Text): Promise<OnboardingState> {
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
      const ended = emailContact(`ended-${status}`, said('emails:notice.endedSubject', { status: sayStatus(status) }), [
        said('emails:notice.outcome', { status: sayStatus(status) }),
        ...(state.reason ? [said('emails:notice.reason', { reason: textParam(state.reason) })] : []),
      ], false);
      // Runs from before this patch scheduled the email in the workflow task that completed them, so it never started.
      if (patched(patch('ended-email-before-completion'))) await ended;
    }
    return state;
  }

  const withdrawn = () => finish('withdrawn', withdrawal?.reason);

  // 1. Invitation: accept or decline.
  const invited = await contactStep('respond', said('emails:notice.invitationSubject'), [
    said('emails:notice.invites', { who: request.invitedBy, organisation: org, title: request.partnershipTitle }),
    said('emails:notice.itsGoal', { goal: request.partnershipGoal }),
    said('emails:notice.acceptOrDecline'),
  ]);
  if (withdrawal) return withdrawn();
  if (!invited) return finish('expired', said('emails:notice.noAnswer'));
  if (state.step === 'declined') return finish('declined', state.reason);

  // 2. Due diligence: principles and conflicts of interest (the same link shows the form).
  const attested = await contactStep('due-diligence', said('emails:notice.dueDiligenceSubject'), [said('emails:notice.thanksAccepting')]);
  if (withdrawal) return withdrawn();
  if (!attested) return finish('expired', said('emails:notice.noDueDiligence'));

  // 3. Internal approval.
  show(state);
  let decision: ApprovalDecision;
  // The approval runs in a scope of its own so that a withdrawal can cancel it (patch `withdrawal-cancels-approval`, workflows/patches.ts).
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
          summary: said('pages:request.approvePartner', { organisation: org, group: group(request.stakeholder.group) }),
          details: [
            said('pages:request.contact', { contact: `${request.contact.name} <${request.contact.email}>` }),
            said('pages:request.principles', { attested: state.attestations!.principles.length, total: PRINCIPLES.length }),
            said('pages:request.conflicts', { text: state.attestations!.conflictsOfInterest }),
          ],
          requestedBy: request.invitedBy,
          approvers: request.approvers,
          timings: request.timings,
          taskKind: TASK_KINDS.partnerApproval.id,
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
  if (patched(patch('withdrawal-cancels-approval'))) {
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
  if (!state.closedWithPartnership && patched(patch('partner-approval-reported'))) {
    const by = decision.by ? `${decision.by.name} <${decision.by.email}>` : null;
    await getExternalWorkflowHandle(request.partnershipId)
      .signal(partnerApprovalSignal, { stakeholderId: request.stakeholder.id, onboardingId: request.onboardingId, outcome: decision.outcome, by, at: decision.at, ...(decision.comment ? { comment: decision.comment } : {}) })
      .catch((err: unknown) => log.warn('the partnership did not take the approval (closed?)', { err: String(err) }));
  }
  if (withdrawal) return withdrawn();
  if (decision.outcome === 'rejected') return finish('rejected', decision.comment ?? said('emails:notice.rejectedInApproval'));

  // 4. Letter of intent or MoU, then signature.
  state.document = await registry.createPartnerAgreement.executeWithOptions({ summary: `create the agreement for ${org}` }, [
    { state, at: decision.at },
  ]);
  enterStep(state, 'signature', Date.now(), deadlineMs);
  const signed = await contactStep('signature', said(state.document.kind === 'mou' ? 'emails:notice.signatureMou' : 'emails:notice.signatureLoi'), [
    said('emails:notice.approvedReady', { document: state.document.title }),
    said('emails:notice.readAndConfirm'),
  ]);
  if (withdrawal) return withdrawn();
  if (!signed) return finish('expired', said('emails:notice.noSignature'));

  // 5. Registration: the partner becomes active on the partnership.
  return finish('active');
}

function show(state: OnboardingState): void {
  const r = state.request;
  setCurrentDetails(
    [
      `**${r.stakeholder.organisation}** (${r.stakeholder.group}) → ${r.partnershipTitle} (\`${r.partnershipId}\`)`,
      `**Step:** ${state.step}${isFinal(state) ? '' : ` · deadline ${state.stepDeadlineAt}`}`,
      state.reason ? `**Reason:** ${saidForLog(state.reason)}` : '',
      `Steps: ${state.events.map((e) => e.step).join(' → ')}`,
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}

/** A reason as a sentence's parameter: a code inside the sentence, or what a person wrote (English of older runs) as written. */
function textParam(reason: Text): SaidParam {
  return typeof reason === 'string' ? reason : nested(reason);
}

/** Why an onboarding ends when its partnership closed: "the partnership closed (<why>)". */
function closedReason(why: Text): Said {
  return said('emails:notice.partnershipClosed', { why: textParam(why) });
}
