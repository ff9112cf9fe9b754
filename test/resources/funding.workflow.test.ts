import { fiduciaryAgentFor, type ChannelProposal, type RoadmapActivity } from '../../domain/resources/funding';
import { fundingChannelWorkflow } from '../../workflows/resources/funding-channel';
import { partnershipClosedSignal } from '../../workflows/partnership/messages';
import { APPROVER_1, MANAGER, completePhase, decideTask, eventually, isTaskEmailFor, partnershipInput, refusalOf } from '../support/fixtures';
import { activityInput, channelInput, decideChannel } from '../support/funding';
import { onboardPartner } from '../support/partners';
import { useStack } from '../support/stack';

const ctx = useStack('funding');

/** A partnership with three active partners (two in the core group) and one roadmap activity led by the ministry. */
async function fundedReady(reviewEvery = '1 day') {
  const p = await ctx.service.partnership.start(partnershipInput({ timings: { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', reviewEvery } }));
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Ministry of Labour', 'government', true);
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Youth Network', 'civil-society', true);
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Workers Union', 'workers-organisation');
  await ctx.service.resources.upsertActivity(p.id, activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'));
  return p;
}

test('approve path: the channel is approved, its agreement stored and registered, the agent is the lead partner', async () => {
  const p = await fundedReady();
  const v = await decideChannel(ctx.stack.mail, ctx.service, p.id, 'green-jobs-pilot', channelInput('50000.00'));
  expect(v).toMatchObject({ version: 1, fiduciaryAgent: 'ministry-of-labour', status: 'in-review' });
  const funding = (await ctx.service.partnership.get(p.id)).funding;
  expect(funding.activities[0].channel).toMatchObject({ status: 'approved', version: 1, decidedBy: expect.stringContaining(APPROVER_1.email) });
  expect(funding.approved).toEqual({ USD: '50000.00' });
  expect(funding.approvedBySource).toEqual({ RBSA: { USD: '50000.00' } });
  const docId = funding.activities[0].channel!.documentId!;
  expect((await ctx.stack.store.getDocument(docId))?.html).toContain('Funding agreement — Green jobs pilot (v1)');
  const registered = await eventually(async () => {
    const rows = await ctx.stack.store.listFundingChannels(p.id);
    return rows.length === 1 && rows;
  });
  expect(registered[0]).toMatchObject({ status: 'approved', amount: '50000.00', currency: 'USD', fiduciaryAgent: 'ministry-of-labour' });
  // The manager hears of the outcome (the approver's page says so).
  await ctx.stack.mail.waitFor((m) => m.to.includes(MANAGER.email) && m.subject.includes('financial channel for "Green jobs pilot" (v1) approved'));
});

test('a rejected channel can be resubmitted; both versions stay in the history', async () => {
  const p = await fundedReady();
  await decideChannel(ctx.stack.mail, ctx.service, p.id, 'green-jobs-pilot', channelInput('90000.00'), 'reject', 'Too much for a pilot');
  let a = (await ctx.service.partnership.get(p.id)).funding.activities[0];
  expect(a.channel).toBeNull();
  await decideChannel(ctx.stack.mail, ctx.service, p.id, 'green-jobs-pilot', channelInput('40000.00'));
  a = (await ctx.service.partnership.get(p.id)).funding.activities[0];
  expect(a.channel).toMatchObject({ version: 2, status: 'approved' });
  const versions = (await ctx.service.partnership.get(p.id)).funding.activities[0];
  expect(versions.channel?.proposal.amount).toBe('40000.00');
  const rows = await eventually(async () => {
    const r = await ctx.stack.store.listFundingChannels(p.id);
    return r.length === 2 && r;
  });
  expect(rows.map((r) => [r.version, r.status])).toEqual([[1, 'rejected'], [2, 'approved']]);
  const rejected = await ctx.stack.mail.waitFor((m) => m.to.includes(MANAGER.email) && m.subject.includes('(v1) rejected'));
  expect(rejected.text).toContain('Too much for a pilot');
});

test('changing an approved channel goes through approval again; the old one holds until then', async () => {
  const p = await fundedReady();
  await decideChannel(ctx.stack.mail, ctx.service, p.id, 'green-jobs-pilot', channelInput('50000.00'));
  const v2 = await ctx.service.resources.proposeChannel(p.id, 'green-jobs-pilot', channelInput('65000.00', { disbursements: [{ date: '2027-01-15', amount: '50000.00' }, { date: '2027-07-01', amount: '15000.00' }] }));
  const during = (await ctx.service.partnership.get(p.id)).funding.activities[0];
  expect(during.channel?.proposal.amount).toBe('50000.00');
  expect(during.pending?.version).toBe(2);
  expect((await refusalOf(ctx.service.resources.proposeChannel(p.id, 'green-jobs-pilot', channelInput('1.00')))).message).toMatch(/already under review/);
  await decideTask(ctx.stack.mail, ctx.service, `${v2.channelId}.approval`, APPROVER_1);
  const after = await eventually(async () => {
    const a = (await ctx.service.partnership.get(p.id)).funding.activities[0];
    return a.channel?.version === 2 && a;
  });
  expect(after.channel?.proposal.amount).toBe('65000.00');
  const doc = await ctx.stack.store.getDocument(after.channel!.documentId!);
  expect(doc?.html).toContain('Replaces');
});

test('collaborative action cannot start while an activity has no approved channel; the agent rotates across cycles', async () => {
  const p = await fundedReady('2s');
  await ctx.service.resources.setFiduciaryRule(p.id, 'rotating-core', 0);
  await ctx.service.resources.upsertActivity(p.id, activityInput('policy-dialogue', 'youth-network', 'Policy dialogue'));
  await completePhase(ctx.service, p.id, 'initiating');
  await decideTask(ctx.stack.mail, ctx.service, (await ctx.service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
  await eventually(async () => (await ctx.service.partnership.get(p.id)).phase === 'adaptive-planning');
  await completePhase(ctx.service, p.id, 'adaptive-planning');

  const v1 = await decideChannel(ctx.stack.mail, ctx.service, p.id, 'green-jobs-pilot', channelInput('50000.00'));
  expect(v1.fiduciaryAgent).toBe('ministry-of-labour'); // cycle 1: first core partner by id
  const refused = await refusalOf(ctx.service.partnership.requestAdvance(p.id, {}));
  expect(refused).toMatchObject({ code: 'refusals:gate.unfunded', message: 'Collaborative action cannot start: no approved financial channel for “Policy dialogue”.' });
  await decideChannel(ctx.stack.mail, ctx.service, p.id, 'policy-dialogue', channelInput('10000.00', { source: { kind: 'partner', partnerId: 'youth-network' } }));
  await decideTask(ctx.stack.mail, ctx.service, (await ctx.service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);

  await eventually(async () => (await ctx.service.partnership.get(p.id)).phase === 'reflective-monitoring', 30_000);
  await completePhase(ctx.service, p.id, 'reflective-monitoring');
  await decideTask(ctx.stack.mail, ctx.service, (await ctx.service.partnership.requestReviewDecision(p.id, { decision: 'continue' })).id, APPROVER_1);
  await eventually(async () => (await ctx.service.partnership.get(p.id)).cycle === 2);

  const v2 = await decideChannel(ctx.stack.mail, ctx.service, p.id, 'green-jobs-pilot', channelInput('55000.00'));
  expect(v2.fiduciaryAgent).toBe('youth-network'); // cycle 2: the next core partner
  const view = await ctx.service.partnership.get(p.id);
  expect(fiduciaryAgentFor('rotating-core', view.roadmap[0], view.stakeholders, 3)).toBe('ministry-of-labour');
});

test('a channel under review when its partnership closes: its approval is cancelled and the channel recorded as rejected, with the reason (issue 21)', async () => {
  const channelId = `msp-closed-${Date.now()}.funding.pilot.v1`;
  const handle = await ctx.stack.env.client.workflow.start(fundingChannelWorkflow, {
    taskQueue: ctx.stack.taskQueue,
    workflowId: channelId,
    args: [
      {
        channelId,
        partnershipId: channelId.split('.funding')[0],
        partnershipTitle: 'Closed partnership',
        activity: { ...activityInput('pilot', 'ministry-of-labour', 'Pilot') } as unknown as RoadmapActivity,
        version: 1,
        proposal: { ...channelInput('1000.00') } as ChannelProposal,
        fiduciaryAgent: 'ministry-of-labour',
        fiduciaryRule: 'lead-partner',
        previous: null,
        proposedBy: MANAGER.name,
        approvers: [APPROVER_1],
        timings: { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', onDeadline: 'reject' },
        cycle: 1,
        phase: 'adaptive-planning',
      },
    ],
  });
  await ctx.stack.mail.waitFor(isTaskEmailFor(`${channelId}.approval`, APPROVER_1.email, ''));
  await handle.signal(partnershipClosedSignal, { at: '2026-12-07T18:00:00.000Z', reason: 'exit decided by Ari Approver' });
  const result = await handle.result();
  expect(result).toMatchObject({ status: 'rejected', decidedBy: 'deadline (no decision)', comment: expect.stringMatching(/^the partnership closed \(exit decided by Ari Approver\)/) });
  expect((await ctx.stack.env.client.workflow.getHandle(`${channelId}.approval`).describe()).status.name).toBe('CANCELLED');
  // The approver's decision, had it come after, would meet a closed task.
  expect(await refusalOf(ctx.service.tasks.decide(`${channelId}.approval`, { approverEmail: APPROVER_1.email, decision: 'approve' }))).toMatchObject({ message: expect.stringMatching(/closed|cancel/i) });
});
