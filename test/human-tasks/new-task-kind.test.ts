import request from 'supertest';
import { registerTaskKind } from '../../domain/human-tasks/task-kind';
import { said } from '../../domain/said';
import { CATALOGUES } from '../../infra/i18n';
import { approvalWorkflow } from '../../workflows/human-tasks/approval';
import { APPROVER_1, MANAGER, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { startStack, TEST_API_KEY, type Stack } from '../support/stack';
import { budgetRevision } from '../support/kinds/budget-revision';
import { BUDGET_REVISION_WORDS } from '../support/kinds/budget-revision-catalogue';

/**
 * Issue 23: a new kind of human task is its kind file, one registration line
 * and its catalogue keys — nothing else. "Budget revision" is added here
 * exactly so (test/support/kinds/), then asked of an approver through the one
 * engine: the approval workflow emails the link, the page behind it says what
 * the kind asks and what each answer does in the approver's language, offers
 * no unrelated document, and the decision made on it is the workflow's result.
 */
let stack: Stack;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

beforeAll(async () => {
  registerTaskKind(budgetRevision);
  for (const [language, words] of Object.entries(BUDGET_REVISION_WORDS)) (CATALOGUES[language as 'en' | 'fr'].tasks as Record<string, unknown>)['budget-revision'] = words;
  stack = await startStack('new-task-kind');
});
afterAll(async () => {
  await stack?.stop();
});

test('a budget revision runs end to end by email link', async () => {
  const partnership = (await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest({ title: 'Budget kind' })).expect(201)).body as { id: string };
  const taskId = `${partnership.id}.budget-revision-1`;
  const approver = { ...APPROVER_1, language: 'fr' };
  const run = await stack.env.client.workflow.start(approvalWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: taskId,
    args: [
      {
        taskId,
        partnershipId: partnership.id,
        partnershipTitle: 'Budget kind',
        taskKind: 'budget-revision',
        summary: said('pages:request.goal', { goal: 'Raise the training budget to 12 000 EUR' }),
        details: [],
        requestedBy: MANAGER.name,
        approvers: [approver],
        timings: { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', onDeadline: 'reject' },
      },
    ],
  });

  // The email carries the task's link, like every approval's.
  const mail = await stack.mail.waitFor(isTaskEmailFor(taskId, approver.email, ''));
  const link = new URL(taskLinkOf(mail).url).pathname;

  // The page: the kind's words in French, what each answer does, and no document to read.
  const page = await request(stack.app).get(link).set('accept', 'text/html').expect(200);
  expect(page.text).toContain('Révision budgétaire');
  expect(page.text).toContain(BUDGET_REVISION_WORDS.fr.approves);
  expect(page.text).toContain(BUDGET_REVISION_WORDS.fr.rejects);
  expect(page.text).not.toContain('/document');
  await request(stack.app).get(`${link}/document`).set('accept', 'application/json').expect(404);

  // Findable by its kind, as the inbox and the out-of-office hand-over look tasks up.
  await eventually(async () => {
    for await (const wf of stack.env.client.workflow.list({ query: `WorkflowId = '${taskId}' AND MspTaskKind = 'budget-revision'` })) return wf.workflowId;
    return undefined;
  });

  // Decided on the page; the workflow returns that decision.
  await request(stack.app).post(link).type('form').send({ decision: 'approve' }).expect(200);
  await expect(run.result()).resolves.toMatchObject({ outcome: 'approved', by: { email: approver.email } });
});
