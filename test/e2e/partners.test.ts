import { itemsOfPhase } from '../../domain/catalogue';
import type { PhaseId } from '../../domain/phases';
import { PRINCIPLE_IDS } from '../../domain/principles';
import type { StakeholderGroup } from '../../domain/stakeholders';
import { APPROVER_1, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { useRunningService } from '../support/e2e';
import { contactFor, isInvitationEmailFor, stakeholderInput } from '../support/partners';

/**
 * Partners over HTTP and real SMTP: a manager maps and invites three partners
 * from two groups; each contact follows the links in their own emails; the
 * approver approves by email; leaving adaptive planning is refused until the
 * third partner is active.
 */
const svc = useRunningService();

function linkIn(text: string, path: 'tasks' | 'invitations'): string {
  const m = new RegExp(`(https?://\\S+/${path}/[A-Za-z0-9_.-]+)`).exec(text);
  if (!m) throw new Error(`no /${path}/ link in email`);
  return m[1];
}

async function completePhase(id: string, phase: PhaseId) {
  for (const item of itemsOfPhase(phase)) {
    expect((await svc.call('POST', `/api/partnerships/${id}/checklist/${item.id}/complete`, { by: 'Mona' })).status).toBe(200);
  }
}

async function approveByEmail(taskId: string) {
  const mail = await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 60_000);
  expect((await svc.form(taskLinkOf(mail).url, { decision: 'approve', comment: 'ok' })).status).toBe(200);
}

/** The partner's contact, in their browser, from the invitation email to the signature. */
async function contactJoins(id: string, organisation: string, group: StakeholderGroup) {
  const contact = contactFor(organisation);
  const mapped = await svc.call('POST', `/api/partnerships/${id}/stakeholders`, stakeholderInput(organisation, group));
  expect(mapped.status).toBe(200);
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders/${mapped.body.id}/invite`, {})).status).toBe(202);

  const invitation = await svc.mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'), 60_000);
  const link = linkIn(invitation.text, 'invitations');
  const page = await fetch(link);
  expect(await page.text()).toContain(`Will ${organisation} join as a partner?`);
  expect((await svc.form(link, { step: 'respond', answer: 'accept' })).text).toContain('Due diligence');
  const missingPrinciple = await svc.form(link, { step: 'due-diligence', principles: PRINCIPLE_IDS.slice(1), conflictsOfInterest: 'none' });
  expect(missingPrinciple.status).toBe(400);
  expect(missingPrinciple.text).toContain('every principle must be attested');
  expect((await svc.form(link, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' })).text).toContain(
    'with the partnership',
  );

  const approval = await svc.mail.waitFor(
    (m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && m.subject.includes(`Approve ${organisation}`),
    60_000,
  );
  expect((await svc.form(taskLinkOf(approval).url, { decision: 'approve' })).status).toBe(200);

  const signMail = await svc.mail.waitFor(isInvitationEmailFor(contact.email, 'signature'), 60_000);
  const signLink = linkIn(signMail.text, 'invitations');
  const agreement = await fetch(`${signLink}/agreement`);
  expect(await agreement.text()).toContain(`Letter of intent — ${organisation}`);
  expect((await svc.form(signLink, { step: 'signature', signatory: `${contact.name}, director` })).text).toContain('Welcome to the partnership');
  await eventually(async () => {
    const v = await svc.call('GET', `/api/partnerships/${id}`);
    return v.body.stakeholders.find((s: { organisation: string }) => s.organisation === organisation)?.status === 'active';
  }, 60_000);
}

test('three partners from two groups onboard by email; planning is left only after the third is active', async () => {
  const created = await svc.call('POST', '/api/partnerships', partnershipRequest());
  const id = created.body.id as string;
  await completePhase(id, 'initiating');
  await approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}`)).body.phase === 'adaptive-planning', 60_000);
  await completePhase(id, 'adaptive-planning');

  await contactJoins(id, 'Ministry of Labour', 'government');
  await contactJoins(id, 'Youth Network', 'civil-society');
  const refused = await svc.call('POST', `/api/partnerships/${id}/advance`, {});
  expect(refused.status).toBe(409);
  expect(refused.body.message).toMatch(/not yet multi-stakeholder: it needs 1 more active partner/);
  expect(refused.body.details.multiStakeholder).toMatchObject({ met: false, activePartners: 2 });

  await contactJoins(id, 'Women in Trade Association', 'civil-society');
  const read = await svc.call('GET', `/api/partnerships/${id}`);
  expect(read.body.multiStakeholder).toMatchObject({ met: true, activePartners: 3, countedGroups: ['government', 'civil-society'] });
  const allowed = await svc.call('POST', `/api/partnerships/${id}/advance`, {});
  expect(allowed.status).toBe(202);

  // The registry shows the partners to surrounding tools.
  const partners = await svc.call('GET', `/api/partners?partnershipId=${id}&status=active`);
  expect(partners.body.partners.map((p: { id: string }) => p.id).sort()).toEqual(['ministry-of-labour', 'women-in-trade-association', 'youth-network']);
  const one = await svc.call('GET', '/api/partners/youth-network');
  expect(one.body).toMatchObject({ organisation: 'Youth Network', group: 'civil-society' });
  expect(one.body.documents[0]).toMatchObject({ kind: 'letter-of-intent' });
  expect(one.body.history.map((h: { status: string }) => h.status)).toEqual(['active']);
  expect((await svc.call('GET', '/api/partners?group=party')).status).toBe(400);
  const byPartner = await eventually(async () => {
    const r = await svc.call('GET', `/api/partnerships?partner=${encodeURIComponent('Youth Network')}`);
    return r.body.partnerships?.length === 1 && r.body.partnerships;
  });
  expect(byPartner[0]).toMatchObject({ id, partners: expect.arrayContaining(['Ministry of Labour', 'Youth Network']) });
  expect((await svc.call('GET', `/api/partnerships?partner=${encodeURIComponent("x' OR 1=1")}`)).status).toBe(400);
});

test('bad partner input gets a clear 4xx and changes nothing', async () => {
  const created = await svc.call('POST', '/api/partnerships', partnershipRequest());
  const id = created.body.id as string;
  const unknownGroup = await svc.call('POST', `/api/partnerships/${id}/stakeholders`, { ...stakeholderInput('X Org', 'other'), group: 'aliens' });
  expect(unknownGroup.status).toBe(400);
  expect(unknownGroup.body.issues[0]).toMatchObject({ field: 'group', problem: expect.stringContaining('choose one of: government') });
  const { contact: _c, ...noContact } = stakeholderInput('No Contact Org', 'private-sector');
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders`, noContact)).status).toBe(200);
  const noEmail = await svc.call('POST', `/api/partnerships/${id}/stakeholders/no-contact-org/invite`, {});
  expect(noEmail.status).toBe(400);
  expect(noEmail.body.message).toMatch(/has no contact/);
  const badEmail = await svc.call('POST', `/api/partnerships/${id}/stakeholders/no-contact-org/invite`, { contact: { name: 'A', email: 'nope' } });
  expect(badEmail.status).toBe(400);
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders/nobody/invite`, {})).status).toBe(404);
  const view = await svc.call('GET', `/api/partnerships/${id}`);
  expect(view.body.stakeholders.map((s: { status: string }) => s.status)).toEqual(['mapped']);
});
