import request from 'supertest';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import { APPROVER_1, MANAGER, completePhase, eventually, isTaskEmailFor, partnershipInput, taskLinkOf } from '../support/fixtures';
import { activityInput, channelInput } from '../support/funding';
import { contactFor, isInvitationEmailFor, stakeholderInput } from '../support/partners';
import { useStack } from '../support/stack';

/**
 * Issue 23: each kind of task offers the document behind its own decision
 * (domain/human-tasks/kinds). Partner and funding-channel approvals were
 * created as "advance" tasks, so their pages offered "Read the draft of the
 * document this gate approves" and served the partnership's phase draft —
 * nothing to do with the partner or the channel. A gate still offers its draft.
 */
const ctx = useStack('task-documents');
const html = { accept: 'text/html' };

/** The page behind the approver's emailed link for `taskId`, and what /document answers. */
async function pageOf(taskId: string) {
  const mail = await ctx.stack.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email, ''));
  const link = new URL(taskLinkOf(mail).url).pathname;
  const page = await request(ctx.stack.app).get(link).set(html).expect(200);
  const document = await request(ctx.stack.app).get(`${link}/document`).set(html);
  return { link, page: page.text, documentStatus: document.status, documentText: document.text };
}

test('partner and channel approvals offer no phase draft; a gate offers its own', async () => {
  const p = await ctx.service.partnership.start(partnershipInput());
  const org = 'Ministry of Labour';
  const contact = contactFor(org);

  // A partner's internal approval.
  const s = await ctx.service.partners.upsertStakeholder(p.id, stakeholderInput(org, 'government', true));
  await ctx.service.partners.invitePartner(p.id, s.id, {});
  const onboardingId = `${p.id}.partner.${s.id}`;
  await ctx.stack.mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'));
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'respond', answer: 'accept' });
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' });
  const approvalMail = await ctx.stack.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && taskLinkOf(m).taskId.startsWith(onboardingId));
  const partnerTask = await pageOf(taskLinkOf(approvalMail).taskId);
  expect(partnerTask.page).toContain('New partner');
  expect(partnerTask.page).not.toContain('/document');
  expect(partnerTask.documentStatus).toBe(404);
  expect(partnerTask.documentText).not.toContain('Concept note');

  // Make it active, give it an activity, and propose that activity's funding channel.
  await ctx.service.tasks.decide(taskLinkOf(approvalMail).taskId, { approverEmail: APPROVER_1.email, decision: 'approve' });
  await eventually(async () => (await ctx.service.partners.onboarding(onboardingId)).step === 'signature');
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'signature', signatory: `${contact.name}, director` });
  await eventually(async () => (await ctx.service.partnership.get(p.id)).stakeholders.find((x) => x.id === s.id)?.status === 'active');
  await ctx.service.resources.upsertActivity(p.id, activityInput('green-jobs-pilot', s.id, 'Green jobs pilot'));
  const channel = await ctx.service.resources.proposeChannel(p.id, 'green-jobs-pilot', channelInput('50000.00'));
  const channelTask = await pageOf(`${channel.channelId}.approval`);
  expect(channelTask.page).toContain('Funding channel');
  expect(channelTask.page).not.toContain('/document');
  expect(channelTask.documentStatus).toBe(404);

  // A phase gate still offers the draft of the document it approves.
  await completePhase(ctx.service, p.id, 'initiating');
  const gate = await ctx.service.partnership.requestAdvance(p.id, { by: MANAGER.name });
  const gateTask = await pageOf(gate.id);
  expect(gateTask.page).toContain('Phase gate');
  expect(gateTask.page).toContain('/document');
  expect(gateTask.documentStatus).toBe(200);
});
