import type { Services } from '../../api/services';
import { RoadmapActivityInputSchema, type ChannelProposalRequest } from '../../domain/resources/schemas';
import type { MailSink } from '../../infra/mail-sink';
import { APPROVER_1, eventually, isTaskEmailFor } from './fixtures';

export function activityInput(id: string, leadPartner: string, title = `Activity ${id}`) {
  return RoadmapActivityInputSchema.parse({
    id,
    title,
    leadPartner,
    participatingPartners: [],
    start: '2027-01-01',
    end: '2027-12-31',
    targets: [{ indicator: 'Young people placed in green jobs', target: '250', unit: 'people', date: '2027-12-31' }],
  });
}

export function channelInput(amount = '50000.00', overrides: Partial<ChannelProposalRequest> = {}): ChannelProposalRequest {
  return {
    source: { kind: 'organisation', name: 'RBSA' },
    amount,
    currency: 'USD',
    disbursements: [{ date: '2027-01-15', amount }],
    ...overrides,
  };
}

/** Proposes a channel and has the first approver decide it from the email. */
export async function decideChannel(
  mail: MailSink,
  service: Services,
  partnershipId: string,
  activityId: string,
  proposal: ChannelProposalRequest,
  decision: 'approve' | 'reject' = 'approve',
  comment?: string,
) {
  const v = await service.resources.proposeChannel(partnershipId, activityId, proposal);
  await mail.waitFor(isTaskEmailFor(`${v.channelId}.approval`, APPROVER_1.email));
  await service.tasks.decide(`${v.channelId}.approval`, { approverEmail: APPROVER_1.email, decision, ...(comment ? { comment } : {}) });
  await eventually(async () => {
    const f = (await service.partnership.get(partnershipId)).funding.activities.find((a) => a.id === activityId);
    return f && !f.pending;
  });
  return v;
}
