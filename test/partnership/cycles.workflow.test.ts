import type { PartnershipReadModel as PartnershipView } from '../../api/partnership/service';
import { APPROVER_1, MANAGER, completePhase, decideTask, eventually, partnershipInput, refusalOf } from '../support/fixtures';
import { useStack } from '../support/stack';
import { activityInput, channelInput, decideChannel } from '../support/funding';
import { onboardPartner, stakeholderInput } from '../support/partners';

const ctx = useStack('cycles');

async function until(id: string, pred: (v: PartnershipView) => boolean, timeoutMs = 30_000): Promise<PartnershipView> {
  return eventually(async () => {
    const v = await ctx.service.partnership.get(id);
    return pred(v) && v;
  }, timeoutMs);
}

/** Drives a new partnership to reflective monitoring: two approved gates, then the review cadence fires. */
async function toReflectiveMonitoring(): Promise<PartnershipView> {
  const p = await ctx.service.partnership.start(partnershipInput({ timings: { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', reviewEvery: '2s' } }));
  await completePhase(ctx.service, p.id, 'initiating');
  await decideTask(ctx.stack.mail, ctx.service, (await ctx.service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
  await until(p.id, (v) => v.phase === 'adaptive-planning');
  // Planning is left only as a multi-stakeholder partnership (3+ active partners, 2+ counted groups),
  // with a roadmap whose SMART targets its checklist needs, each activity with an approved channel.
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Ministry of Labour', 'government');
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Youth Network', 'civil-society');
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Workers Union', 'workers-organisation');
  await ctx.service.resources.upsertActivity(p.id, activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'));
  await decideChannel(ctx.stack.mail, ctx.service, p.id, 'green-jobs-pilot', channelInput('50000.00'));
  await completePhase(ctx.service, p.id, 'adaptive-planning');
  await decideTask(ctx.stack.mail, ctx.service, (await ctx.service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
  await until(p.id, (v) => v.phase === 'collaborative-action');
  // No advance request: the review cadence (2s) moves the partnership into its periodic review.
  const v = await until(p.id, (x) => x.phase === 'reflective-monitoring', 20_000);
  expect(v.decisions.at(-1)).toMatchObject({ kind: 'scheduled-review', by: 'review cadence' });
  await completePhase(ctx.service, p.id, 'reflective-monitoring');
  return v;
}

test('"continue" starts the next cycle through continue-as-new, carrying the state', async () => {
  const p = await toReflectiveMonitoring();
  const firstRunId = (await ctx.stack.env.client.workflow.getHandle(p.id).describe()).runId;

  expect((await refusalOf(ctx.service.partnership.requestAdvance(p.id, {}))).message).toMatch(/ends with a review decision/);
  // The documents as listed before the run continues as new: phase documents and the letters, agreements and reports of its children, in the order made.
  const before = (await ctx.service.partnership.get(p.id)).documents;
  expect(before.map((d) => d.kind)).toEqual(expect.arrayContaining(['process-design', 'workplan', 'funding-agreement']));
  const listedBefore = before.map((d) => d.id);
  const task = await ctx.service.partnership.requestReviewDecision(p.id, { decision: 'continue' });
  await decideTask(ctx.stack.mail, ctx.service, task.id, APPROVER_1);
  // The new cycle shows at once; its gate document follows when the activity has stored it.
  // The read model lists every document of the partnership (the review's MEL report too); the phase documents are counted.
  const PHASE_DOCUMENTS = ['process-design', 'workplan', 'action-report', 'review-record'];
  const phaseDocuments = (v: { documents: Array<{ kind: string }> }) => v.documents.filter((d) => PHASE_DOCUMENTS.includes(d.kind));
  const next = await until(p.id, (v) => v.cycle === 2 && phaseDocuments(v).length === 4);

  expect(next).toMatchObject({ phase: 'adaptive-planning', status: 'active' });
  // Initiating is done once; planning starts afresh in the new cycle.
  expect(next.checklist.filter((c) => c.phase === 'initiating').every((c) => c.done)).toBe(true);
  expect(next.checklist.filter((c) => c.phase === 'adaptive-planning').some((c) => c.done)).toBe(false);
  expect(phaseDocuments(next).map((d) => d.kind)).toEqual(PHASE_DOCUMENTS);
  expect(next.decisions.map((d) => d.kind)).toEqual(['advance', 'advance', 'scheduled-review', 'review']);
  // One order on both sides of continue-as-new: what was listed keeps its places, and what came since follows it.
  expect(next.documents.map((d) => d.id).slice(0, listedBefore.length)).toEqual(listedBefore);

  // The first run closes as soon as its last handler has finished.
  await eventually(async () => (await ctx.stack.env.client.workflow.getHandle(p.id, firstRunId).describe()).status.name === 'CONTINUED_AS_NEW');
  const current = await ctx.stack.env.client.workflow.getHandle(p.id).describe();
  expect(current.runId).not.toBe(firstRunId);
  expect(current.typedSearchAttributes.get({ name: 'MspCycle', type: 'INT' } as never)).toBe(2);
  // The manager hears of the new cycle: its email was once scheduled in the task that continued as new, and never sent.
  await ctx.stack.mail.waitFor((m) => m.to.includes(MANAGER.email) && m.text.includes('starts review cycle 2'));
});

test('"adapt" needs notes and carries them into the new planning cycle', async () => {
  const p = await toReflectiveMonitoring();
  const task = await ctx.service.partnership.requestReviewDecision(p.id, { decision: 'adapt', notes: 'Add a pilot in the second region' });
  await decideTask(ctx.stack.mail, ctx.service, task.id, APPROVER_1);
  const next = await until(p.id, (v) => v.cycle === 2);
  expect(next.reviewNotes).toBe('Add a pilot in the second region');
});

test('"exit" closes the partnership and the workflow completes with a summary', async () => {
  const p = await toReflectiveMonitoring();
  const task = await ctx.service.partnership.requestReviewDecision(p.id, { decision: 'exit', notes: 'Goals met' });
  await decideTask(ctx.stack.mail, ctx.service, task.id, APPROVER_1);
  const result = await ctx.stack.env.client.workflow.getHandle(p.id).result();
  expect(result).toMatchObject({ id: p.id, cycles: 1, decisions: 4 });
  const closed = await ctx.service.partnership.get(p.id);
  expect(closed.status).toBe('closed');
  const told = ctx.stack.mail.messages.filter((m) => m.to.includes(MANAGER.email) && m.text.includes('The partnership is now closed.'));
  expect(told).toHaveLength(1);
  expect((await refusalOf(ctx.service.partnership.completeItem(p.id, 'reflective-monitoring.partners.meetings-evaluated', { by: 'x' }))).message).toMatch(
    /already completed/,
  );
  // Nobody can be mapped or invited into a closed partnership.
  expect((await refusalOf(ctx.service.partners.upsertStakeholder(p.id, stakeholderInput('Late Org', 'private-sector')))).message).toMatch(/already completed/);
  expect((await refusalOf(ctx.service.partners.invitePartner(p.id, 'ministry-of-labour', {}))).message).toMatch(/already completed/);
});
