import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createServices, type Services } from '../../api/services';
import { APPROVER_1, completePhase, eventually, isTaskEmailFor, partnershipInput, taskLinkOf } from '../support/fixtures';
import { startStack, workflowBundle, type Stack } from '../support/stack';

/**
 * Partnerships started by an earlier version of the code, with a phase gate
 * pending in an approval child, finish correctly on today's code. The earlier
 * version is the last commit before gates were decided on the partnership
 * itself (`gate-decided-on-partnership`), taken from git and bundled here.
 */
const BEFORE_GATES_ON_PARTNERSHIP = 'd043a4d';
const ROOT = resolve(__dirname, '../..');

let stack: Stack;
let service: Services;
let before: WorkflowBundleWithSourceMap;
let dir: string;

async function bundleAt(commit: string): Promise<WorkflowBundleWithSourceMap> {
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    throw new Error(`commit ${commit} is not in this clone; the upgrade test needs the project's history (clone without --depth)`);
  }
  dir = mkdtempSync(join(tmpdir(), 'msp-upgrade-'));
  // Workflow code and the domain it imports, exactly as they were; packages from today's install.
  execFileSync('sh', ['-c', `git archive ${commit} workflows domain activities/create-activities.ts | tar -x -C "${dir}"`], { cwd: ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return bundleWorkflowCode({ workflowsPath: join(dir, 'workflows', 'index.ts'), logger: new DefaultLogger('WARN') });
}

beforeAll(async () => {
  before = await bundleAt(BEFORE_GATES_ON_PARTNERSHIP);
  stack = await startStack('upgrade', [], { firstBundle: before });
  service = createServices(stack.env.client, stack.taskQueue, { registry: stack.store });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a gate pending in an approval child under the earlier code is decided by its emailed link after the upgrade', async () => {
  const p = await service.partnership.start(partnershipInput());
  await completePhase(service, p.id, 'initiating');
  const task = await service.partnership.requestAdvance(p.id, {});
  const mail = await stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_1.email));
  // The earlier code decides gates in a child workflow named after the task.
  expect((await stack.env.client.workflow.getHandle(task.id).describe()).status.name).toBe('RUNNING');

  // Deploy today's code: the running partnership replays on it and must keep its child.
  await stack.restartWorker(await workflowBundle());
  const page = await request(stack.app).post(new URL(taskLinkOf(mail).url).pathname).type('form').send({ decision: 'approve' });
  expect(page.status).toBe(200);
  expect(page.text).toContain('your decision is recorded');
  const after = await eventually(async () => {
    const v = await service.partnership.get(p.id);
    return v.phase === 'adaptive-planning' && v.documents.length === 1 && v;
  });
  expect(after.decisions).toHaveLength(1);
  expect((await stack.env.client.workflow.getHandle(task.id).describe()).status.name).toBe('COMPLETED');
});

test('a partnership started on today\'s code decides its gate on the partnership: the answer carries the new phase', async () => {
  await stack.restartWorker(await workflowBundle());
  const p = await service.partnership.start(partnershipInput());
  await completePhase(service, p.id, 'initiating');
  const task = await service.partnership.requestAdvance(p.id, {});
  const mail = await stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_1.email));
  expect(taskLinkOf(mail).taskId).toBe(task.id);
  await expect(stack.env.client.workflow.getHandle(task.id).describe()).rejects.toThrow(/not found/i);
  const decided = await service.tasks.decideTask(task.id, { approverEmail: APPROVER_1.email, decision: 'approve' });
  expect(decided).toMatchObject({ decision: { outcome: 'approved' }, phase: 'adaptive-planning' });
  // The phase moved in the same workflow task as the decision: readable at once.
  expect((await service.partnership.get(p.id)).phase).toBe('adaptive-planning');
});
