import type { Client } from '@temporalio/client';
import { renderTaskPage } from '../../api/human-tasks/task-page';
import { HumanTaskService } from '../../api/human-tasks/service';
import type { ApprovalState } from '../../domain/human-tasks/approval-state';
import { knownTaskKind } from '../../domain/human-tasks/kinds';
import { said } from '../../domain/said';
import { visibleText } from '../support/english-left';

/**
 * A rolling deploy can run an API older than the worker: a task may then carry
 * a kind this process has not registered (domain/human-tasks/task-kind.ts).
 * Its page still shows the request and the decision form, only without the
 * kind's words and without a document; nothing answers 500.
 */
const FUTURE_KIND = 'kind-from-a-newer-worker';
const person = { name: 'Amélie Lefèvre', email: 'amelie@example.org' };

function futureTask(state: Partial<ApprovalState> = {}): ApprovalState {
  return {
    request: {
      taskId: 'msp-green-jobs.future-1',
      partnershipId: 'msp-green-jobs',
      partnershipTitle: 'Green jobs',
      taskKind: FUTURE_KIND,
      summary: said('pages:request.move', { from: 'initiating', to: 'adaptive-planning' }),
      details: [],
      requestedBy: person.name,
      approvers: [person],
      timings: { reminderAfter: '1 day', escalateAfter: '2 days', deadline: '7 days' },
    },
    startedAt: '2026-11-20T09:00:00.000Z',
    deadlineAt: '2026-12-06T17:30:00.000Z',
    assignees: [person],
    level: 0,
    levelStartedAt: '2026-11-20T09:00:00.000Z',
    remindedAtLevel: false,
    events: [],
    ...state,
  } as unknown as ApprovalState;
}

const NOW = Date.parse('2026-11-29T12:00:00Z');

test('the kind is not registered here', () => {
  expect(knownTaskKind(FUTURE_KIND)).toBeUndefined();
});

test.each(['en', 'fr'] as const)('an open task of an unknown kind renders its decision form without the kind block (%s)', (language) => {
  const html = renderTaskPage(futureTask(), person.name, NOW, language, { token: 'tok' });
  expect(html).toContain('name="decision" value="approve"');
  expect(html).toContain('name="decision" value="reject"');
  expect(html).not.toContain('id="what-it-does"');
  expect(html).not.toContain('class="caption"');
  expect(html).not.toContain('/document?');
  expect(visibleText(html)).not.toContain('tasks:');
});

test('a task of an unknown kind offering choices keeps them', () => {
  const html = renderTaskPage(futureTask({ request: { ...futureTask().request, choices: ['adapt', 'continue'] } }), person.name, NOW, 'en', { token: 'tok' });
  expect(html).toContain('value="adapt"');
  expect(html).not.toContain('id="what-it-does"');
});

test('a task of an unknown kind has no document to read, without asking the partnership', async () => {
  const partnerships = { get: jest.fn() };
  const service = new HumanTaskService({} as Client, partnerships);
  await expect(service.taskDocument(futureTask())).resolves.toBeUndefined();
  expect(partnerships.get).not.toHaveBeenCalled();
});
