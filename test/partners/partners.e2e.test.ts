import { eventually, partnershipRequest } from '../support/fixtures';
import { e2eSteps, useRunningService } from '../support/e2e';
import { activityInput, channelInput } from '../support/funding';
import { stakeholderInput } from '../support/partners';

/**
 * Partners over HTTP and real SMTP: a manager maps and invites three partners
 * from two groups; each contact follows the links in their own emails; the
 * approver approves by email; leaving adaptive planning is refused until the
 * third partner is active.
 */
const svc = useRunningService();
const { approveByEmail, completePhase, contactJoins, startInPlanning } = e2eSteps(svc);

test('three partners from two groups onboard by email; planning is left only after the third is active', async () => {
  const id = await startInPlanning();

  await contactJoins(id, 'Ministry of Labour', 'government');
  // The planning checklist needs a roadmap activity with a SMART target; the gate, its approved channel.
  expect((await svc.call('POST', `/api/partnerships/${id}/roadmap`, activityInput('green-jobs-pilot', 'ministry-of-labour'))).status).toBe(200);
  const channel = await svc.call('POST', `/api/partnerships/${id}/roadmap/green-jobs-pilot/channel`, channelInput('50000.00'));
  await approveByEmail(`${channel.body.channel.channelId}.approval`);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}/funding`)).body.activities[0].channel, 60_000);
  await completePhase(id, 'adaptive-planning');
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
  // A quote is part of a name, not a way into the query: it matches nothing here.
  const injected = await svc.call('GET', `/api/partnerships?partner=${encodeURIComponent("x' OR 1=1")}`);
  expect(injected).toMatchObject({ status: 200, body: { partnerships: [], total: 0 } });
});

test('bad partner input gets a clear 4xx and changes nothing', async () => {
  const created = await svc.call('POST', '/api/partnerships', partnershipRequest());
  const id = created.body.id as string;
  const unknownGroup = await svc.call('POST', `/api/partnerships/${id}/stakeholders`, { ...stakeholderInput('X Org', 'other'), group: 'aliens' });
  expect(unknownGroup.status).toBe(400);
  expect(unknownGroup.body.issues[0]).toMatchObject({ field: 'group', problem: expect.stringContaining('choose one of: government') });
  const { contact: _c, ...noContact } = stakeholderInput('No Contact Org', 'private-sector');
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders`, noContact)).status).toBe(201);
  const noEmail = await svc.call('POST', `/api/partnerships/${id}/stakeholders/no-contact-org/invite`, {});
  expect(noEmail.status).toBe(400);
  expect(noEmail.body.message).toMatch(/has no contact/);
  const badEmail = await svc.call('POST', `/api/partnerships/${id}/stakeholders/no-contact-org/invite`, { contact: { name: 'A', email: 'nope' } });
  expect(badEmail.status).toBe(400);
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders/nobody/invite`, {})).status).toBe(404);
  const view = await svc.call('GET', `/api/partnerships/${id}`);
  expect(view.body.stakeholders.map((s: { status: string }) => s.status)).toEqual(['mapped']);
});
