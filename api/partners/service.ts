/**
 * The partners capability's use of Temporal: the stakeholder map and the
 * organisation's role (Updates on the partnership), and each partner's
 * onboarding (its own workflow: read it, pass on the contact's answer, email
 * its open step again). The routes (./routes.ts), the console (./console.ts)
 * and the invitation links (./link-pages.ts) call it.
 */
import type { RoleChange } from '../../domain/partnership/state';
import type { StakeholderUpsert } from '../../domain/partners/partner-map';
import type { Stakeholder } from '../../domain/partners/stakeholders';
import type { OnboardingResend, OnboardingResendInput, OnboardingState } from '../../domain/partners/onboarding-state';
import type { ChangeRoleRequest, InvitePartnerRequest, PartnerAnswer, StakeholderInput, WithdrawPartnerRequest } from '../../domain/partners/schemas';
import { onboardingStateQuery, partnerAnswerUpdate, resendInvitationUpdate } from '../../workflows/partners/messages';
import { changeRoleUpdate, invitePartnerUpdate, upsertStakeholderUpdate, withdrawPartnerUpdate } from '../../workflows/partnership/messages';
import { WorkflowCalls, withVersion } from '../workflow-calls';

/** Stakeholders, partners' invitations and onboardings, and the organisation's role. */
export class PartnersService extends WorkflowCalls {
  /**
   * Maps a stakeholder or updates the one the input names; `created` says
   * which. Updating one needs `expectedVersion` (from If-Match): 428 without
   * it, 409 when someone changed the stakeholder since.
   */
  upsertStakeholder(id: string, input: StakeholderInput, expectedVersion?: number): Promise<StakeholderUpsert> {
    return this.update(id, upsertStakeholderUpdate, { ...input, ...withVersion(expectedVersion) });
  }

  invitePartner(id: string, stakeholderId: string, req: InvitePartnerRequest): Promise<Stakeholder> {
    return this.update(id, invitePartnerUpdate, { stakeholderId, ...req });
  }

  withdrawPartner(id: string, stakeholderId: string, req: WithdrawPartnerRequest): Promise<Stakeholder> {
    return this.update(id, withdrawPartnerUpdate, { stakeholderId, ...req });
  }

  changeRole(id: string, req: ChangeRoleRequest): Promise<RoleChange> {
    return this.update(id, changeRoleUpdate, req);
  }

  onboarding(onboardingId: string): Promise<OnboardingState> {
    return this.client.workflow.getHandle(onboardingId).query(onboardingStateQuery);
  }

  answerOnboarding(onboardingId: string, email: string, answer: PartnerAnswer): Promise<string> {
    return this.update(onboardingId, partnerAnswerUpdate, { email, answer });
  }

  /** Emails the onboarding's open step to its contact again; the same `key` again is the same request (nothing sent twice). */
  resendInvitation(onboardingId: string, input: OnboardingResendInput): Promise<OnboardingResend> {
    return this.update(onboardingId, resendInvitationUpdate, input);
  }
}
