import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import { APPROVER_1, MANAGER, completePhase, decideTask, eventually, partnershipInput, refusalOf, taskLinkOf } from '../support/fixtures';
import { contactFor, isInvitationEmailFor, onboardPartner, stakeholderInput } from '../support/partners';
import { activityInput, channelInput, decideChannel } from '../support/funding';
import { useStack } from '../support/stack';

const ctx = useStack('onboarding');

async function startPartnership(timings?: Record<string, string>) {
  return ctx.service.partnership.start(partnershipInput(timings ? { timings: { reviewEvery: '1 day', ...timings } } : {}));
}

async function partnerStatus(id: string, stakeholder: string) {
  return (await ctx.service.partnership.get(id)).stakeholders.find((s) => s.id === stakeholder);
}

test('accept path: invitation → due diligence → approval → agreement → signature → registered and active', async () => {
  const p = await startPartnership();
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Ministry of Labour', 'government');
  const view = await ctx.service.partnership.get(p.id);
  const partner = view.stakeholders[0];
  expect(partner).toMatchObject({ id: 'ministry-of-labour', status: 'active' });
  expect(partner.history.map((h) => h.status)).toEqual(['mapped', 'invited', 'active']);
  await ctx.stack.mail.waitFor((m) => m.to.includes(MANAGER.email) && m.subject.includes('Ministry of Labour signed its agreement and is now an active partner'));

  const state = await ctx.service.partners.onboarding(partner.onboardingId!);
  expect(state.events.map((e) => e.step)).toEqual(['respond', 'due-diligence', 'approval', 'signature', 'registering', 'active']);
  expect(state.document).toMatchObject({ kind: 'letter-of-intent' });
  const doc = await ctx.stack.store.getDocument(state.document!.id);
  expect(doc?.html).toContain('Letter of intent');
  // The partnership's read model lists the agreement too, not only /api/documents.
  expect((await ctx.service.partnership.get(p.id)).documents).toEqual(expect.arrayContaining([expect.objectContaining({ id: state.document!.id, kind: 'letter-of-intent' })]));
  const memberships = await eventually(async () => {
    const m = await ctx.stack.store.listMemberships({ partnerId: 'ministry-of-labour' });
    return m[0]?.status === 'active' && m;
  });
  expect(memberships[0]).toMatchObject({ partnershipId: p.id, group: 'government', documentId: state.document!.id });
  const described = await ctx.stack.env.client.workflow.getHandle(p.id).describe();
  // Partners live in the registry, not in a search attribute that grows with them (Temporal's 2 KB value limit).
  expect(described.typedSearchAttributes.get({ name: 'MspPartners', type: 'KEYWORD_LIST' } as never)).toBeUndefined();
  const byPartner = await ctx.service.partnership.list({ partner: 'Ministry of Labour', limit: 10 });
  expect(byPartner.partnerships.map((x) => [x.id, x.partners])).toEqual([[p.id, ['Ministry of Labour']]]);
  expect((await ctx.service.partnership.list({ partner: 'ministry-of-labour', limit: 10 })).total).toBe(1);
});

test('decline ends the onboarding with the reason', async () => {
  const p = await startPartnership();
  const s = await ctx.service.partners.upsertStakeholder(p.id, stakeholderInput('Green Business Council', 'private-sector'));
  await ctx.service.partners.invitePartner(p.id, s.id, {});
  const contact = contactFor('Green Business Council');
  await ctx.stack.mail.waitFor(isInvitationEmailFor(contact.email));
  await ctx.service.partners.answerOnboarding(s.onboardingId ?? `${p.id}.partner.${s.id}`, contact.email, {
    step: 'respond',
    answer: 'decline',
    reason: 'No capacity this year',
  });
  const after = await eventually(async () => {
    const x = await partnerStatus(p.id, s.id);
    return x?.status === 'declined' && x;
  });
  expect(after.history.at(-1)).toMatchObject({ status: 'declined', reason: 'No capacity this year' });
  // The contact's "ended" email goes out before the onboarding completes (it was once scheduled in the completing task, and lost).
  await ctx.stack.mail.waitFor((m) => m.to.includes(contact.email) && m.subject.includes('your onboarding ended (declined)'));
  const toManager = await ctx.stack.mail.waitFor((m) => m.to.includes(MANAGER.email) && m.subject.includes('Green Business Council declined the invitation'));
  expect(toManager.text).toContain('No capacity this year');

  // Invited again next year: a new onboarding with an id of its own; the first invitation's link stays closed.
  const first = `${p.id}.partner.${s.id}`;
  const again = await ctx.service.partners.invitePartner(p.id, s.id, {});
  expect(again.onboardingId).toBe(`${first}.invitation-2`);
  const invitedTo = (m: { text: string }) => {
    const token = /\/invitations\/([A-Za-z0-9_-]+)\./.exec(m.text)?.[1];
    return token ? (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { t: string }).t : undefined;
  };
  await ctx.stack.mail.waitFor((m) => isInvitationEmailFor(contact.email)(m) && invitedTo(m) === again.onboardingId);
  expect((await refusalOf(ctx.service.partners.answerOnboarding(first, contact.email, { step: 'respond', answer: 'accept' }))).message).toMatch(/ended|completed/);
  await ctx.service.partners.answerOnboarding(again.onboardingId!, contact.email, { step: 'respond', answer: 'accept' });
  expect((await ctx.service.partners.onboarding(again.onboardingId!)).step).toBe('due-diligence');
  expect((await ctx.service.partners.onboarding(first)).step).toBe('declined');
});

test('no answer: a reminder, then the deadline expires the invitation', async () => {
  const p = await startPartnership({ reminderAfter: '1s', escalateAfter: '2s', deadline: '3s' });
  const s = await ctx.service.partners.upsertStakeholder(p.id, stakeholderInput('Youth Network', 'civil-society'));
  await ctx.service.partners.invitePartner(p.id, s.id, {});
  const contact = contactFor('Youth Network');
  await ctx.stack.mail.waitFor(isInvitationEmailFor(contact.email, 'reminder'), 15_000);
  const after = await eventually(async () => {
    const x = await partnerStatus(p.id, s.id);
    return x?.status === 'expired' && x;
  }, 20_000);
  // Handed on as a code; pages, emails and the JSON API say it ("no answer to the invitation before the deadline").
  expect(after.history.at(-1)?.reason).toEqual({ code: 'emails:notice.noAnswer' });
});

test('internal rejection ends the onboarding with the approver comment', async () => {
  const p = await startPartnership();
  const s = await ctx.service.partners.upsertStakeholder(p.id, stakeholderInput('Fast Fashion Ltd', 'private-sector'));
  await ctx.service.partners.invitePartner(p.id, s.id, {});
  const contact = contactFor('Fast Fashion Ltd');
  const onboardingId = `${p.id}.partner.${s.id}`;
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'respond', answer: 'accept' });
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'Supplier in the pilot region' });
  const approval = await ctx.stack.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && taskLinkOf(m).taskId.startsWith(onboardingId));
  await ctx.service.tasks.decide(taskLinkOf(approval).taskId, { approverEmail: APPROVER_1.email, decision: 'reject', comment: 'Unresolved labour-rights complaints' });
  const after = await eventually(async () => {
    const x = await partnerStatus(p.id, s.id);
    return x?.status === 'rejected' && x;
  });
  expect(after.history.at(-1)?.reason).toBe('Unresolved labour-rights complaints');
});

test('inviting twice starts one onboarding; a contact other than the invited one is refused', async () => {
  const p = await startPartnership();
  const s = await ctx.service.partners.upsertStakeholder(p.id, stakeholderInput('UNDP Country Office', 'un-multilateral'));
  await ctx.service.partners.invitePartner(p.id, s.id, {});
  const again = await refusalOf(ctx.service.partners.invitePartner(p.id, s.id, {}));
  expect(again).toMatchObject({ type: 'Conflict', code: 'refusals:stakeholder.cannotInvite', message: 'UNDP Country Office is already invited.' });
  const onboardings = [];
  for await (const wf of ctx.stack.env.client.workflow.list({ query: `WorkflowId = '${p.id}.partner.${s.id}'` })) onboardings.push(wf);
  expect(onboardings.length).toBeLessThanOrEqual(1);
  const other = await refusalOf(ctx.service.partners.answerOnboarding(`${p.id}.partner.${s.id}`, 'mallory@example.org', { step: 'respond', answer: 'accept' }));
  expect(other).toMatchObject({ type: 'Forbidden' });
  const wrongStep = await refusalOf(ctx.service.partners.answerOnboarding(`${p.id}.partner.${s.id}`, contactFor('UNDP Country Office').email, { step: 'signature', signatory: 'x' }));
  expect(wrongStep).toMatchObject({ code: 'refusals:invitation.stepNotOpen', message: expect.stringMatching(/This step is not open/) });
});

test('an active partner can withdraw; the withdrawal is recorded and the organisation role change too', async () => {
  const p = await startPartnership();
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Workers Union', 'workers-organisation');
  await ctx.service.partners.withdrawPartner(p.id, 'workers-union', { reason: 'Merged into a national federation' });
  const after = await partnerStatus(p.id, 'workers-union');
  expect(after).toMatchObject({ status: 'withdrawn' });
  expect(after?.history.at(-1)?.reason).toBe('Merged into a national federation');
  await eventually(async () => (await ctx.stack.store.listMemberships({ partnerId: 'workers-union' }))[0]?.status === 'withdrawn');

  const change = await ctx.service.partners.changeRole(p.id, { role: 'secretariat-host', by: 'Mona', reason: 'Now hosts the secretariat' });
  expect(change.role).toBe('secretariat-host');
  const view = await ctx.service.partnership.get(p.id);
  expect(view.organisationRole).toBe('secretariat-host');
  expect(view.roleHistory.map((r) => r.role)).toEqual(['convener', 'secretariat-host']);
});

test('withdrawing while the internal approval is pending cancels the approval: its approvers hear no more of it', async () => {
  const p = await startPartnership({ reminderAfter: '2s', escalateAfter: '1 hour', deadline: '1 day' });
  const s = await ctx.service.partners.upsertStakeholder(p.id, stakeholderInput('Chamber of Commerce', 'private-sector'));
  await ctx.service.partners.invitePartner(p.id, s.id, {});
  const contact = contactFor('Chamber of Commerce');
  const onboardingId = `${p.id}.partner.${s.id}`;
  await ctx.stack.mail.waitFor(isInvitationEmailFor(contact.email));
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'respond', answer: 'accept' });
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' });
  const task = await ctx.stack.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && taskLinkOf(m).taskId.startsWith(onboardingId));
  const taskId = taskLinkOf(task).taskId;

  await ctx.service.partners.withdrawPartner(p.id, s.id, { reason: 'Joined another alliance' });
  await eventually(async () => (await partnerStatus(p.id, s.id))?.status === 'withdrawn');
  const approval = await eventually(async () => {
    const d = await ctx.stack.env.client.workflow.getHandle(taskId).describe();
    return d.status.name === 'CANCELLED' && d;
  });
  expect(approval.status.name).toBe('CANCELLED');
  // No reminder follows (the reminder was due 2 s after the task started).
  await new Promise((r) => setTimeout(r, 3000));
  expect(ctx.stack.mail.messages.filter((m) => m.subject.startsWith('Reminder') && m.text.includes('Chamber of Commerce'))).toEqual([]);
});

test('planning cannot be left until three active partners from two counted groups', async () => {
  const p = await startPartnership();
  await completePhase(ctx.service, p.id, 'initiating');
  await decideTask(ctx.stack.mail, ctx.service, (await ctx.service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
  await eventually(async () => (await ctx.service.partnership.get(p.id)).phase === 'adaptive-planning');
  // The planning checklist needs a roadmap activity with a SMART target, and an activity needs an active lead.
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Employers Federation', 'employers-organisation');
  await ctx.service.resources.upsertActivity(p.id, activityInput('apprenticeships', 'employers-federation'));
  await decideChannel(ctx.stack.mail, ctx.service, p.id, 'apprenticeships', channelInput('10000.00'));
  await completePhase(ctx.service, p.id, 'adaptive-planning');
  const refused = await refusalOf(ctx.service.partnership.requestAdvance(p.id, {}));
  expect(refused.message).toMatch(/not yet multi-stakeholder: it needs 2 more active partner/);
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Ministry of Youth', 'government');
  const still = await ctx.service.partnership.get(p.id);
  expect(still.multiStakeholder).toMatchObject({ met: false, activePartners: 2, countedGroups: ['government'] });
  await onboardPartner(ctx.stack.mail, ctx.service, p.id, 'Civic Youth Forum', 'civil-society');
  const task = await ctx.service.partnership.requestAdvance(p.id, {});
  expect(task.toPhase).toBe('collaborative-action');
});
