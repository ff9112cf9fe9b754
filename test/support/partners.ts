import type { Services } from '../../api/services';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import { StakeholderInputSchema } from '../../domain/partners/schemas';
import { stakeholderId, type StakeholderGroup } from '../../domain/partners/stakeholders';
import type { MailSink } from '../../infra/mail-sink';
import { APPROVER_1, eventually, taskLinkOf } from './fixtures';

export function contactFor(organisation: string) {
  return { name: `${organisation} focal point`, email: `${stakeholderId(organisation)}@partners.example.org` };
}

export function stakeholderInput(organisation: string, group: StakeholderGroup, coreGroup = false) {
  return StakeholderInputSchema.parse({
    organisation,
    group,
    whyEngage: 'Brings field presence in both pilot regions',
    potentialRoles: ['activity lead'],
    engagementStrategy: 'Bilateral meeting, then the core-group workshop',
    coreGroup,
    contact: contactFor(organisation),
  });
}

export function isInvitationEmailFor(email: string, subjectPart = '') {
  return (m: { to: string[]; text: string; subject: string }) =>
    m.to.includes(email) && /\/invitations\//.test(m.text) && m.subject.includes(subjectPart);
}

/** Maps, invites and onboards one partner the way its contact and an approver would, through to "active". */
export async function onboardPartner(
  mail: MailSink,
  service: Services,
  partnershipId: string,
  organisation: string,
  group: StakeholderGroup,
  coreGroup = false,
): Promise<void> {
  const contact = contactFor(organisation);
  // Already on the map (completePhase maps the ministry): an update, from the version read, as every replace-style write.
  const view = await service.partnership.get(partnershipId);
  const mapped = view.stakeholders.find((x) => x.organisation === organisation);
  const version = mapped ? (view.versions[`stakeholder:${mapped.id}`] ?? 0) : undefined;
  const s = await service.partners.upsertStakeholder(partnershipId, { ...stakeholderInput(organisation, group, coreGroup), ...(mapped ? { id: mapped.id } : {}) }, version);
  await service.partners.invitePartner(partnershipId, s.id, {});
  const onboardingId = `${partnershipId}.partner.${s.id}`;
  await mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'));
  await service.partners.answerOnboarding(onboardingId, contact.email, { step: 'respond', answer: 'accept' });
  await service.partners.answerOnboarding(onboardingId, contact.email, {
    step: 'due-diligence',
    principles: [...PRINCIPLE_IDS],
    conflictsOfInterest: 'none',
  });
  const approval = await mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && taskLinkOf(m).taskId.startsWith(onboardingId));
  await service.tasks.decide(taskLinkOf(approval).taskId, { approverEmail: APPROVER_1.email, decision: 'approve' });
  await eventually(async () => (await service.partners.onboarding(onboardingId)).step === 'signature');
  await service.partners.answerOnboarding(onboardingId, contact.email, { step: 'signature', signatory: `${contact.name}, director` });
  await eventually(async () => (await service.partnership.get(partnershipId)).stakeholders.find((x) => x.id === s.id)?.status === 'active');
}
