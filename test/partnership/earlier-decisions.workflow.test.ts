import { defaultPayloadConverter } from '@temporalio/common';
import { CARRIED, type CarriedState } from '../../domain/partnership/carry-over';
import type { DecisionRecord } from '../../domain/partnership/state';
import type { PartnershipView } from '../../domain/partnership/read-model';
import { createServices } from '../../api/services';
import { partnershipStateQuery } from '../../workflows/partnership/messages';
import { APPROVER_1, completePhase, eventually, isTaskEmailFor, partnershipInput } from '../support/fixtures';
import { useStack } from '../support/stack';

/**
 * A partnership whose decisions outgrow the carried window (`CARRIED.decisions`)
 * and whose history continues as new several times on the way, without running
 * many cycles: Temporal's continue-as-new suggestion is lowered from thousands
 * of events to SUGGEST_CONTINUE_AS_NEW_AT, and the manager asks to leave
 * initiating REJECTIONS times, each refused with its own comment. A
 * request-and-rejection round writes about 35 events (two Updates, the task
 * email, its timers, the registry record, the manager's email), so a run holds
 * three or four rounds after the checklist's own run or two, and two or three
 * continue-as-new fall after decision 24 (about ten runs in all).
 */
const SUGGEST_CONTINUE_AS_NEW_AT = 100;
const REJECTIONS = 30;
const ctx = useStack('earlier-decisions', ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AS_NEW_AT}`]);
const BY = `${APPROVER_1.name} <${APPROVER_1.email}>`;

const commentOf = (n: number) => `Rejection ${n}: map the ${['private sector', 'workers', 'employers', 'UN agencies', 'civil society'][n % 5]} first (round ${n})`;

let id: string;
/** Each decision as the workflow itself answered it right after it landed, while its run still carried it: decision n at index n-1. */
const seen: DecisionRecord[] = [];

const handle = () => ctx.stack.env.client.workflow.getHandle(id);
/** The run's own view (latest run), from the workflow's query: only the carried window. */
const carried = () => handle().query(partnershipStateQuery);
const total = (v: PartnershipView) => (v.earlier?.decisions ?? 0) + v.decisions.length;

interface Run {
  runId: string;
  status: string;
  /** Events in the run's history so far. */
  historyLength: number;
}

/** Every run of the partnership so far, oldest first. */
async function runsOf(workflowId: string): Promise<Run[]> {
  const runs: Array<Run & { start: number }> = [];
  for await (const wf of ctx.stack.env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runs.push({ runId: wf.runId, status: wf.status.name, historyLength: wf.historyLength, start: wf.startTime.getTime() });
  }
  return runs.sort((a, b) => a.start - b.start).map(({ start: _start, ...r }) => r);
}

/** What a continued run was handed: the `carried` argument of its start event, as the server keeps it. */
async function carriedAtStart(runId: string): Promise<CarriedState> {
  const history = await ctx.stack.env.client.workflow.getHandle(id, runId).fetchHistory();
  const [args] = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
  return defaultPayloadConverter.fromPayload<{ carried: CarriedState }>(args).carried;
}

/** Asks to advance, waits for the approver's email (the gate is open once it is sent), decides and waits for the decision to land. */
async function gate(n: number, decision: 'approve' | 'reject', comment: string): Promise<DecisionRecord> {
  const task = await ctx.service.partnership.requestAdvance(id, {});
  await ctx.stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_1.email));
  await ctx.service.tasks.decide(task.id, { approverEmail: APPROVER_1.email, decision, comment });
  const view = await eventually(async () => {
    const v = await carried();
    return total(v) === n && v.pendingTasks.length === 0 && v;
  });
  const last = view.decisions[view.decisions.length - 1];
  expect(last).toMatchObject({ taskId: task.id, comment });
  return last;
}

/**
 * Waits until the partnership is idle: the same run, no new event for a while.
 * A run whose history passed the suggestion continues as new once the last
 * gate's side effects are done; the tests compare runs, so they start after it.
 */
async function settled(): Promise<void> {
  await eventually(async () => {
    const a = await handle().describe();
    await new Promise((r) => setTimeout(r, 500));
    const b = await handle().describe();
    return a.runId === b.runId && a.historyLength === b.historyLength && b.status.name === 'RUNNING';
  });
}

beforeAll(async () => {
  const p = await ctx.service.partnership.start(partnershipInput());
  id = p.id;
  await completePhase(ctx.service, id, 'initiating');
  for (let n = 1; n <= REJECTIONS; n++) seen.push(await gate(n, 'reject', commentOf(n)));
  await settled();
}, 90_000);

test('each continue-as-new carries at most the last 24 decisions and counts those left behind as earlier', async () => {
  const runs = await runsOf(id);
  expect(runs.length).toBeGreaterThan(2);
  expect(runs.slice(0, -1).every((r) => r.status === 'CONTINUED_AS_NEW')).toBe(true);
  expect(runs.at(-1)!.status).toBe('RUNNING');

  const handed = await Promise.all(runs.slice(1).map((r) => carriedAtStart(r.runId)));
  for (const c of handed) {
    const before = (c.earlier?.decisions ?? 0) + c.decisions.length;
    expect(c.decisions.length).toBe(Math.min(before, CARRIED.decisions));
    expect(c.decisions).toEqual(seen.slice(before - c.decisions.length, before));
  }
  // At least one run continued as new after decision 24 and left the oldest behind.
  expect(handed.some((c) => (c.earlier?.decisions ?? 0) > 0)).toBe(true);

  // The running run's own query: the window it was handed, then the decisions made since; the rest counted as earlier.
  const start = handed.at(-1)!;
  const view = await carried();
  expect(start.decisions.length).toBeLessThanOrEqual(CARRIED.decisions);
  expect(view.earlier?.decisions).toBe(start.earlier?.decisions);
  expect(view.earlier!.decisions).toBe(REJECTIONS - view.decisions.length);
  expect(view.decisions).toEqual(seen.slice(view.earlier!.decisions));
  expect(view.phase).toBe('initiating');
});

test('the read model has every decision in order, the earlier ones from the registry as the workflow recorded them', async () => {
  const v = await ctx.service.partnership.get(id);
  expect(v.decisions).toHaveLength(REJECTIONS);
  expect(v.decisions.map((d) => d.comment)).toEqual(seen.map((_, i) => commentOf(i + 1)));
  for (const d of v.decisions) expect(d).toMatchObject({ kind: 'advance', outcome: 'rejected', by: BY, fromPhase: 'initiating', cycle: 1 });
  expect(new Set(v.decisions.map((d) => d.taskId)).size).toBe(REJECTIONS);
  // Earlier and carried decisions read alike: same task, time, phases, comment.
  expect(v.decisions).toEqual(seen);
  expect(v.earlier?.decisions).toBe(REJECTIONS - (await carried()).decisions.length);
});

test('the registry holds one transition per decision, numbered 1…30 with none missing or repeated', async () => {
  const rows = await eventually(async () => {
    const t = await ctx.stack.store.listTransitions(id);
    return t.length >= REJECTIONS && t;
  });
  expect(rows).toHaveLength(REJECTIONS);
  const numbers = rows.map((r) => Number(r.id.slice(`${id}.decision-`.length)));
  expect(rows.every((r) => r.id.startsWith(`${id}.decision-`))).toBe(true);
  expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: REJECTIONS }, (_, i) => i + 1));
  for (const r of rows) {
    const n = Number(r.id.slice(`${id}.decision-`.length));
    expect(r).toMatchObject({ outcome: 'rejected', kind: 'advance', comment: commentOf(n), decidedBy: BY, taskId: seen[n - 1].taskId, decidedAt: seen[n - 1].at, toPhase: null });
  }
});

test('without a registry the read model answers the carried window, without failing', async () => {
  const bare = createServices(ctx.stack.env.client, ctx.stack.taskQueue);
  const view = await carried();
  const v = await bare.partnership.get(id);
  expect(v.decisions.length).toBeLessThan(REJECTIONS);
  expect(v.decisions).toEqual(view.decisions);
  expect(v.decisions).toEqual(seen.slice(REJECTIONS - v.decisions.length));
  expect(v.earlier?.decisions).toBe(REJECTIONS - v.decisions.length);
  expect(v.documents).toEqual(view.documents);
});

test('with the registry failing the read model answers the carried window and says why in the log', async () => {
  const warnings: string[] = [];
  const down = () => Promise.reject(new Error('registry unreachable'));
  const failing = createServices(ctx.stack.env.client, ctx.stack.taskQueue, {
    registry: {
      partnershipsWithActivePartner: down,
      activePartnersOf: down,
      listTransitions: down,
      listDocuments: down,
    },
    logger: { warn: (_obj: unknown, msg?: string) => void warnings.push(String(msg)) } as never,
  });
  const v = await failing.partnership.get(id);
  expect(v.decisions).toEqual((await carried()).decisions);
  expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/earlier decisions/), expect.stringMatching(/documents/)]));
});

test('a final approval moves the phase; its document and decision 31 join the full record', async () => {
  const approved = await gate(REJECTIONS + 1, 'approve', 'At last: the map is complete');
  const v = await eventually(async () => {
    const r = await ctx.service.partnership.get(id);
    return r.phase === 'adaptive-planning' && r.documents.length > 0 && r;
  });
  expect(v.decisions).toEqual([...seen, approved]);
  expect(v.decisions.at(-1)).toMatchObject({ outcome: 'approved', by: BY, toPhase: 'adaptive-planning', comment: 'At last: the map is complete' });
  expect(v.documents).toEqual([expect.objectContaining({ kind: 'process-design', phase: 'initiating', cycle: 1 })]);
  expect((await ctx.stack.store.getDocument(v.documents[0].id))?.html).toContain('MSP process design');

  const rows = await eventually(async () => {
    const t = await ctx.stack.store.listTransitions(id);
    return t.length > REJECTIONS && t;
  });
  expect(rows).toHaveLength(REJECTIONS + 1);
  expect(rows.find((r) => r.id === `${id}.decision-${REJECTIONS + 1}`)).toMatchObject({ outcome: 'approved', toPhase: 'adaptive-planning', comment: 'At last: the map is complete' });
});
