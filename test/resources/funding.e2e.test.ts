import { eventually } from '../support/fixtures';
import { activityInput, channelInput } from '../support/funding';
import { e2eSteps, useRunningService } from '../support/e2e';

/**
 * Resources over HTTP and real SMTP: a roadmap of three activities, each
 * channel approved from the approver's email, the gate into collaborative
 * action refused and then allowed, funding agreements listed and downloadable.
 */
const svc = useRunningService();
const { approveByEmail, completePhase, contactJoins, startInPlanning } = e2eSteps(svc);

let id: string;

beforeAll(async () => {
  id = await startInPlanning();
  await contactJoins(id, 'Ministry of Labour', 'government');
  await contactJoins(id, 'Youth Network', 'civil-society');
  await contactJoins(id, 'Green Business Council', 'private-sector');
}, 240_000);

test('three funded activities open the gate into collaborative action; agreements are downloadable', async () => {
  const activities = [
    activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'),
    activityInput('skills-bootcamps', 'youth-network', 'Skills bootcamps'),
    activityInput('employer-pledges', 'green-business-council', 'Employer pledges'),
  ];
  for (const a of activities) expect((await svc.call('POST', `/api/partnerships/${id}/roadmap`, a)).status).toBe(200);
  await completePhase(id, 'adaptive-planning');
  const strategy = await svc.call('PUT', `/api/partnerships/${id}/resource-strategy`, {
    pledges: [
      { type: 'financial', partnerId: 'green-business-council', amount: '20000.00', currency: 'USD' },
      { type: 'staff-time', partnerId: 'youth-network', description: 'Two trainers, half time' },
    ],
    ownSources: [{ source: 'RBSA', amount: '60000', currency: 'USD' }],
    externalPartners: [{ name: 'Green Futures Foundation', type: 'foundation', joinsFormally: false }],
    // The version it replaces (the first: nothing written yet), as the console's forms send it; tools send If-Match.
    version: 0,
  });
  expect(strategy.status).toBe(200);

  const refused = await svc.call('POST', `/api/partnerships/${id}/advance`, {});
  expect(refused.status).toBe(409);
  expect(refused.body.details.unfundedActivities).toEqual(['green-jobs-pilot', 'skills-bootcamps', 'employer-pledges']);

  const sources = [
    channelInput('40000.00'),
    channelInput('20000.00', { source: { kind: 'organisation', name: 'RBSA' } }),
    channelInput('20000.00', { source: { kind: 'partner', partnerId: 'green-business-council' } }),
  ];
  for (const [i, a] of activities.entries()) {
    const proposed = await svc.call('POST', `/api/partnerships/${id}/roadmap/${a.id}/channel`, sources[i]);
    expect(proposed.status).toBe(202);
    await approveByEmail(`${proposed.body.channel.channelId}.approval`);
  }
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}/funding`)).body.activities.every((a: { channel: unknown }) => a.channel), 60_000);

  const funding = (await svc.call('GET', `/api/partnerships/${id}/funding`)).body;
  expect(funding.pledged).toEqual({ USD: '20000.00' });
  expect(funding.approved).toEqual({ USD: '80000.00' });
  expect(funding.approvedBySource).toEqual({ RBSA: { USD: '60000.00' }, 'partner:green-business-council': { USD: '20000.00' } });
  expect(funding.inKind).toEqual([{ partnerId: 'youth-network', type: 'staff-time', description: 'Two trainers, half time' }]);

  expect((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).status).toBe(202);

  const channels = await eventually(async () => {
    const r = await svc.call('GET', `/api/funding/channels?partnershipId=${id}`);
    return r.body.channels?.length === 3 && r.body.channels;
  });
  for (const c of channels) {
    const pdf = await fetch(c.documentUrl, { headers: { authorization: `Bearer ${svc.apiKey}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  }
  const docs = await svc.call('GET', `/api/documents?partnershipId=${id}`);
  expect(docs.body.documents.filter((d: { kind: string }) => d.kind === 'funding-agreement')).toHaveLength(3);
});

test('bad resource input gets a clear 4xx and changes nothing', async () => {
  const before = (await svc.call('GET', `/api/partnerships/${id}/funding`)).body;
  const post = (path: string, body: unknown) => svc.call('POST', `/api/partnerships/${id}${path}`, body);
  const negative = await post('/roadmap/green-jobs-pilot/channel', channelInput('-5.00'));
  expect(negative.status).toBe(400);
  expect(negative.body.issues[0].field).toBe('amount');
  expect((await post('/roadmap/green-jobs-pilot/channel', channelInput('12,50'))).status).toBe(400);
  expect((await post('/roadmap/green-jobs-pilot/channel', { ...channelInput(), amount: 12.5 })).status).toBe(400);
  const currency = await post('/roadmap/green-jobs-pilot/channel', { ...channelInput(), currency: 'ABC' });
  expect(currency.status).toBe(400);
  expect(currency.body.message).toMatch(/currency: ABC is not an active ISO 4217 currency code/);
  const yen = await post('/roadmap/green-jobs-pilot/channel', { ...channelInput('1000.5'), currency: 'JPY' });
  expect(yen.status).toBe(400);
  expect(yen.body.issues).toContainEqual({ field: 'amount', problem: 'JPY takes no decimals, e.g. 1000' });
  const mismatch = await post('/roadmap/green-jobs-pilot/channel', { ...channelInput('100.00'), disbursements: [{ date: '2027-01-01', amount: '99.00' }] });
  expect(mismatch.body.message).toMatch(/disbursements: the disbursements must add up to the amount/);
  expect((await post('/roadmap/no-such-activity/channel', channelInput())).status).toBe(404);
  const notPartner = await post('/roadmap', activityInput('rogue', 'acme-consulting'));
  expect(notPartner.status).toBe(400);
  expect(notPartner.body.message).toMatch(/Lead partner “acme-consulting” is not a stakeholder/);
  const badPledge = await svc.call('PUT', `/api/partnerships/${id}/resource-strategy`, { pledges: [{ type: 'financial', partnerId: 'nobody', amount: '1', currency: 'USD' }], version: 1 });
  expect(badPledge.status).toBe(400);
  expect((await svc.call('GET', `/api/partnerships/${id}/funding`)).body).toEqual(before);
});
