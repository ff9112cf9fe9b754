import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import type { PartnershipReadModel } from '../../api/partnership/service';
import { allianceMembers, allianceReviewAnswer, allianceStakeholderInput, type AllianceMember } from '../support/alliance';
import { APPROVER_1, completePhase, decideTask, eventually, isTaskEmailFor, partnershipInput, taskLinkOf } from '../support/fixtures';
import { activityInput, channelInput, decideChannel } from '../support/funding';
import { useStack } from '../support/stack';

/**
 * A real-sized partnership: 60 members with long names in several scripts,
 * through onboarding, planning, a review and into the next cycle. Temporal's
 * continue-as-new suggestion is lowered from its default (thousands of events)
 * to 200, so the partnership continues as new several times in the middle of
 * onboarding, while invitations, answers and partner statuses keep arriving.
 * Before partners left the search attributes, this ended at about 35 partners
 * with the server terminating the workflow.
 */
const SUGGEST_CONTINUE_AS_NEW_AT = 200;
const ctx = useStack('large', ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AS_NEW_AT}`]);
const members = allianceMembers(60);
/** Contacts answering at once, as a busy week of onboarding would have them. */
const CONCURRENCY = 6;

async function until(id: string, pred: (v: PartnershipReadModel) => boolean, timeoutMs = 60_000) {
  return eventually(async () => {
    const v = await ctx.service.partnership.get(id);
    return pred(v) && v;
  }, timeoutMs, 200);
}

async function inBatches<T>(items: T[], size: number, each: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((item, j) => each(item, i + j)));
}

/** Every run of the partnership so far, oldest first, with how it ended. */
async function runsOf(id: string): Promise<string[]> {
  const statuses: Array<{ start: number; status: string }> = [];
  for await (const wf of ctx.stack.env.client.workflow.list({ query: `WorkflowId = '${id}'` })) {
    statuses.push({ start: wf.startTime.getTime(), status: wf.status.name });
  }
  return statuses.sort((a, b) => a.start - b.start).map((s) => s.status);
}

async function onboard(partnershipId: string, m: AllianceMember, stakeholderId: string): Promise<void> {
  const onboardingId = `${partnershipId}.partner.${stakeholderId}`;
  await ctx.service.partners.invitePartner(partnershipId, stakeholderId, {});
  await ctx.stack.mail.waitFor((mail) => mail.to.includes(m.contact.email) && /\/invitations\//.test(mail.text), 60_000);
  await ctx.service.partners.answerOnboarding(onboardingId, m.contact.email, { step: 'respond', answer: 'accept' });
  await ctx.service.partners.answerOnboarding(onboardingId, m.contact.email, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' });
  const task = await ctx.stack.mail.waitFor(
    (mail) => mail.to.includes(APPROVER_1.email) && /\/tasks\//.test(mail.text) && taskLinkOf(mail).taskId.startsWith(`${onboardingId}.`),
    60_000,
  );
  await ctx.service.tasks.decide(taskLinkOf(task).taskId, { approverEmail: APPROVER_1.email, decision: 'approve' });
  await eventually(async () => (await ctx.service.partners.onboarding(onboardingId)).step === 'signature', 60_000);
  await ctx.service.partners.answerOnboarding(onboardingId, m.contact.email, { step: 'signature', signatory: `${m.contact.name}, director` });
}

test('60 partners with long names in several scripts live through onboarding, planning, a review and into the next cycle', async () => {
  const p = await ctx.service.partnership.start(
    partnershipInput({ title: 'Alliance against forced and child labour — Партнёрство «Зелёные рабочие места» 绿色就业 شراكة', timings: { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', reviewEvery: '1s' } }),
  );
  // Map all 60 while initiating (its checklist needs the map), then onboard them CONCURRENCY at a time in planning.
  const ids: string[] = [];
  for (const m of members) {
    const s = await ctx.service.partners.upsertStakeholder(p.id, allianceStakeholderInput(m));
    ids.push(s.id);
  }
  expect(new Set(ids).size).toBe(60);
  await completePhase(ctx.service, p.id, 'initiating');
  await decideTask(ctx.stack.mail, ctx.service, (await ctx.service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
  await until(p.id, (v) => v.phase === 'adaptive-planning');
  await inBatches(members, CONCURRENCY, (m, i) => onboard(p.id, m, ids[i]));

  const onboarded = await until(p.id, (v) => v.stakeholders.filter((s) => s.status === 'active').length === 60, 120_000);
  const runsDuringOnboarding = await runsOf(p.id);
  // Continued as new in the middle of onboarding, and never terminated.
  expect(runsDuringOnboarding.length).toBeGreaterThan(2);
  expect(runsDuringOnboarding.slice(0, -1).every((s) => s === 'CONTINUED_AS_NEW')).toBe(true);
  expect(runsDuringOnboarding.at(-1)).toBe('RUNNING');
  // Nothing lost: every name intact, every partner active, checklist and gate decision carried.
  expect(onboarded.stakeholders.map((s) => s.organisation).sort()).toEqual(members.map((m) => m.organisation).sort());
  expect(onboarded.decisions).toHaveLength(1);
  expect(onboarded.checklist.filter((c) => c.phase === 'initiating' && c.done)).toHaveLength(onboarded.checklist.filter((c) => c.phase === 'initiating').length);

  // The partner filter finds each of them by its exact name, apostrophes and scripts included.
  const registered = await ctx.stack.store.listMemberships({ partnershipId: p.id, status: 'active' });
  expect(registered).toHaveLength(60);
  // Visibility is eventually consistent: while a run continues as new, for a moment neither run is listed as running.
  for (const m of members) {
    const found = await eventually(async () => {
      const ids = (await ctx.service.partnership.list({ partner: m.organisation, limit: 10 })).partnerships.map((x) => x.id);
      return ids.length > 0 && ids;
    }, 15_000);
    expect([m.organisation, found]).toEqual([m.organisation, [p.id]]);
  }
  const listed = (await ctx.service.partnership.list({ limit: 100 })).partnerships.find((x) => x.id === p.id)!;
  expect(listed.partners).toHaveLength(60);

  // Planning: one funded activity led by the first member, then the gate.
  await ctx.service.resources.upsertActivity(p.id, { ...activityInput('child-labour-free-zones', ids[0], 'Child-labour-free zones'), participatingPartners: ids.slice(1, 4) });
  await decideChannel(ctx.stack.mail, ctx.service, p.id, 'child-labour-free-zones', channelInput('250000.00'));
  await completePhase(ctx.service, p.id, 'adaptive-planning');
  await decideTask(ctx.stack.mail, ctx.service, (await ctx.service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
  await until(p.id, (v) => v.phase === 'collaborative-action');

  // The review cadence (1 s) moves it into reflective monitoring and opens the review; every member answers.
  const monitoring = await until(p.id, (v) => v.phase === 'reflective-monitoring' && v.reviews.some((r) => r.status === 'in-progress'), 120_000);
  const review = monitoring.reviews.find((r) => r.status === 'in-progress')!;
  const asked = await ctx.service.reviews.review(review.id);
  expect(asked.request.partners).toHaveLength(60);
  await inBatches(members, CONCURRENCY, async (m, i) => {
    await ctx.service.reviews.answerReview(review.id, allianceReviewAnswer(m, i));
  });
  await completePhase(ctx.service, p.id, 'reflective-monitoring');
  await ctx.stack.mail.waitFor(isTaskEmailFor(`${review.id}.decision`, APPROVER_1.email), 60_000);
  await ctx.service.tasks.decide(`${review.id}.decision`, { approverEmail: APPROVER_1.email, decision: 'approve', choice: 'continue' });

  const cycle2 = await until(p.id, (v) => v.cycle === 2 && v.phase === 'adaptive-planning', 120_000);
  expect(cycle2.stakeholders.filter((s) => s.status === 'active')).toHaveLength(60);
  expect(cycle2.reviews[0]).toMatchObject({ status: 'decided', answered: 60, asked: 60, decision: { decision: 'continue' } });
  expect(cycle2.indicatorSeries).toHaveLength(4);
  expect(cycle2.documents.map((d) => d.title)).toEqual(
    expect.arrayContaining([expect.stringContaining('MSP process design'), expect.stringContaining('Partnership workplan'), expect.stringContaining('MEL report')]),
  );
  const runs = await runsOf(p.id);
  expect(runs.filter((s) => s !== 'CONTINUED_AS_NEW')).toEqual(['RUNNING']);
  expect((await ctx.service.partnership.get(p.id)).status).toBe('active');
}, 900_000);
