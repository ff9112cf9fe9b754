import { getExternalWorkflowHandle, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import {
  applyPartnerStatus,
  changeRole,
  checkChangeRole,
  checkInvite,
  checkUpsertStakeholder,
  checkWithdraw,
  invitePartner,
  recordPartnerApproval,
  upsertStakeholder,
} from '../../domain/partners/partner-map';
import { approvalTimings } from '../../domain/reviews/partnership-reviews';
import { registry } from '../activity-proxies';
import { partnerApprovalSignal, partnerStatusSignal, withdrawOnboardingSignal } from '../partners/messages';
import { partnerOnboardingWorkflow } from '../partners/partner-onboarding';
import { patch } from '../patches';
import { enforce } from '../rule-failure';
import { changeRoleUpdate, invitePartnerUpdate, upsertStakeholderUpdate, withdrawPartnerUpdate } from './messages';
import { onUpdate } from './handlers';
import { notifyPartnerOutcome } from './outbox';
import { publish } from './publish';
import { nowIso, type PartnershipRun } from './run';

/**
 * Stakeholder map, partner onboarding and the organisation's role (guide
 * II.2, "Working with partners"): each invitation starts an onboarding child
 * that may outlive this run and reports back by signal.
 */
export function setPartnerHandlers(run: PartnershipRun): void {
  const { state } = run;
  onUpdate(
    run,
    upsertStakeholderUpdate,
    (input) => checkUpsertStakeholder(state, input),
    (input) => upsertStakeholder(state, input, nowIso(), patched(patch('unicode-stakeholder-ids')) ? 'unicode' : 'legacy'),
  );
  setHandler(
    invitePartnerUpdate,
    async ({ stakeholderId: id, contact, by }) => {
      const s = invitePartner(state, id, nowIso(), contact, patched(patch('onboarding-id-per-invitation')));
      publish(run);
      await startChild(partnerOnboardingWorkflow, {
        workflowId: s.onboardingId!,
        staticSummary: `${state.input.title}: onboarding ${s.organisation}`,
        // Onboarding may outlive this run (continue-as-new at a new cycle); it reports to the partnership by id.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            onboardingId: s.onboardingId!,
            partnershipId: state.id,
            partnershipTitle: state.input.title,
            partnershipGoal: state.input.goal,
            stakeholder: { id: s.id, organisation: s.organisation, group: s.group, coreGroup: s.coreGroup },
            contact: s.contact!,
            manager: state.input.manager,
            approvers: state.input.approvers,
            timings: approvalTimings(state),
            invitedBy: by ?? state.input.manager.name,
            invitedInPhase: state.phase,
            invitedInCycle: state.cycle,
          },
        ],
      });
      return s;
    },
    { validator: ({ stakeholderId: id, contact }) => enforce(() => checkInvite(state, id, contact)) },
  );
  setHandler(
    withdrawPartnerUpdate,
    async ({ stakeholderId: id, reason, by }) => {
      const s = checkWithdraw(state, id);
      if (s.status === 'invited') {
        // The onboarding ends itself and reports "withdrawn" back through partnerStatusSignal.
        await getExternalWorkflowHandle(s.onboardingId!).signal(withdrawOnboardingSignal, { reason, by: by ?? state.input.manager.name });
        return s;
      }
      const at = nowIso();
      applyPartnerStatus(state, id, 'withdrawn', at, reason);
      publish(run);
      notifyPartnerOutcome(run, id, 'withdrawn', reason);
      await registry.recordMembership.executeWithOptions({ summary: `register ${s.organisation} as withdrawn` }, [
        {
          partnerId: s.id,
          partnershipId: state.id,
          membership: { organisation: s.organisation, group: s.group, status: 'withdrawn', contact: s.contact ?? null, documentId: null, reason, at },
        },
      ]);
      return s;
    },
    { validator: ({ stakeholderId: id }) => enforce(() => void checkWithdraw(state, id)) },
  );
  onUpdate(
    run,
    changeRoleUpdate,
    (req) => checkChangeRole(state, req),
    (req) => changeRole(state, req, nowIso()),
  );
  // Who approved or rejected a partner, as its onboarding reports it (patch `partner-approval-reported` there): the history shows it.
  setHandler(partnerApprovalSignal, ({ stakeholderId: id, ...approval }) => {
    recordPartnerApproval(state, id, approval);
    publish(run);
  });
  setHandler(partnerStatusSignal, ({ stakeholderId: id, status, at, reason }) => {
    const before = state.stakeholders.find((x) => x.id === id)?.status;
    applyPartnerStatus(state, id, status, at, reason);
    publish(run);
    if (before !== status) notifyPartnerOutcome(run, id, status, reason);
  });
}
