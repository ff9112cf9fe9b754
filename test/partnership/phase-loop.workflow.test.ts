import { SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import {
  APPROVER_1,
  MANAGER,
  completePhase,
  eventually,
  isTaskEmailFor,
  partnershipInput,
  refusalOf,
} from '../support/fixtures';
import { TEST_API_KEY, useStack } from '../support/stack';

const ctx = useStack('phase-loop');

test('an approved advance moves the phase, stores a document and records the transition', async () => {
  const p = await ctx.service.partnership.start(partnershipInput());
  expect(p).toMatchObject({ phase: 'initiating', cycle: 1, status: 'active' });

  await completePhase(ctx.service, p.id, 'initiating');
  const task = await ctx.service.partnership.requestAdvance(p.id, { by: MANAGER.name });
  expect(task).toMatchObject({ kind: 'advance', fromPhase: 'initiating', toPhase: 'adaptive-planning' });

  const email = await ctx.stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_1.email));
  expect(email.text).toContain(`${ctx.stack.apiUrl}/tasks/`);
  expect(email.html).toContain('Open the request');

  await ctx.service.tasks.decide(task.id, { approverEmail: APPROVER_1.email, decision: 'approve', comment: 'Good design' });
  const after = await eventually(async () => {
    const v = await ctx.service.partnership.get(p.id);
    return v.phase === 'adaptive-planning' && v.documents.length === 1 && v;
  });
  expect(after.status).toBe('active');
  expect(after.decisions).toEqual([
    expect.objectContaining({ outcome: 'approved', by: `${APPROVER_1.name} <${APPROVER_1.email}>`, comment: 'Good design' }),
  ]);
  expect(after.documents[0]).toMatchObject({ kind: 'process-design', phase: 'initiating', cycle: 1 });

  // Stored as HTML with its page header and footer; the PDF is typeset when it is first read.
  const stored = await ctx.stack.store.getDocument(after.documents[0].id);
  expect(stored?.html).toContain('MSP process design');
  expect(stored?.pdf).toBeNull();
  expect(stored?.furniture?.footerTemplate).toContain('pageNumber');
  const pdf = await fetch(`${ctx.stack.apiUrl}/api/documents/${encodeURIComponent(after.documents[0].id)}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  expect(pdf.status).toBe(200);
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  const transitions = await eventually(async () => {
    const t = await ctx.stack.store.listTransitions(p.id);
    return t.length > 0 && t;
  });
  expect(transitions).toEqual([expect.objectContaining({ fromPhase: 'initiating', toPhase: 'adaptive-planning', outcome: 'approved' })]);
  await ctx.stack.mail.waitFor((m) => m.to.includes(MANAGER.email) && m.subject.includes('approved'));
  const described = await ctx.stack.env.client.workflow.getHandle(p.id).describe();
  expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.lastDecision)).toBe('approved');
  expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.phase)).toBe('adaptive-planning');
});

test('a rejection keeps the phase and records the comment', async () => {
  const p = await ctx.service.partnership.start(partnershipInput());
  await completePhase(ctx.service, p.id, 'initiating');
  const task = await ctx.service.partnership.requestAdvance(p.id, {});
  await ctx.stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_1.email));
  await ctx.service.tasks.decide(task.id, { approverEmail: APPROVER_1.email, decision: 'reject', comment: 'Map the private sector first' });
  const after = await eventually(async () => {
    const v = await ctx.service.partnership.get(p.id);
    return v.decisions.length === 1 && v.pendingTasks.length === 0 && v;
  });
  expect(after.phase).toBe('initiating');
  expect(after.decisions[0]).toMatchObject({ outcome: 'rejected', comment: 'Map the private sector first' });
  expect(after.documents).toHaveLength(0);
});

test('advance is refused while checklist items are missing, naming them', async () => {
  const p = await ctx.service.partnership.start(partnershipInput());
  const refusal = await refusalOf(ctx.service.partnership.requestAdvance(p.id, {}));
  expect(refusal.type).toBe('Conflict');
  expect(refusal).toMatchObject({ code: 'refusals:gate.checklistIncomplete', message: `${itemsOfPhase('initiating').length} checklist item(s) of Initiating are not complete.` });
});

test('completing an item of another phase is refused; completing twice keeps the first', async () => {
  const p = await ctx.service.partnership.start(partnershipInput());
  expect(await refusalOf(ctx.service.partnership.completeItem(p.id, 'adaptive-planning.issues-context.roadmap', { by: 'x' }))).toEqual({
    type: 'Conflict',
    code: 'refusals:checklist.otherPhase',
    message: expect.stringMatching(/^Item .+ belongs to Adaptive planning; the partnership is in Initiating\.$/),
  });
  expect((await refusalOf(ctx.service.partnership.completeItem(p.id, 'no.such.item', { by: 'x' }))).type).toBe('NotFound');
  const first = await ctx.service.partnership.completeItem(p.id, 'initiating.issues-context.policy-framework', { by: 'first' });
  const second = await ctx.service.partnership.completeItem(p.id, 'initiating.issues-context.policy-framework', { by: 'second' });
  expect(second).toEqual(first);
});

test('a double decision yields exactly one; a wrong approver is refused', async () => {
  const p = await ctx.service.partnership.start(partnershipInput());
  await completePhase(ctx.service, p.id, 'initiating');
  const task = await ctx.service.partnership.requestAdvance(p.id, {});
  await ctx.stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_1.email));
  expect(await refusalOf(ctx.service.tasks.decide(task.id, { approverEmail: 'mallory@example.org', decision: 'approve' }))).toEqual({
    type: 'Forbidden',
    code: 'refusals:task.notYours',
    message: 'This request is not assigned to you. Please use the link in your own email.',
  });
  const results = await Promise.allSettled([
    ctx.service.tasks.decide(task.id, { approverEmail: APPROVER_1.email, decision: 'approve' }),
    ctx.service.tasks.decide(task.id, { approverEmail: APPROVER_1.email, decision: 'approve' }),
  ]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const after = await eventually(async () => {
    const v = await ctx.service.partnership.get(p.id);
    return v.phase === 'adaptive-planning' && v;
  });
  expect(after.decisions).toHaveLength(1);
  const late = await refusalOf(ctx.service.tasks.decide(task.id, { approverEmail: APPROVER_1.email, decision: 'reject', comment: 'too late' }));
  expect(late.message).toMatch(/already decided|closed|completed/);
});
