import { randomBytes } from 'node:crypto';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { createServices } from '../api/services';
import { itemsOfPhase } from '../domain/partnership/catalogue';
import type { PartnershipReadModel as PartnershipView } from '../api/partnership/service';
import type { LocalService } from '../scripts/local-service';
import { workflowsPath } from '../worker/workflow-code';
import { APPROVER_1, completePhase, decideTask, eventually, isTaskEmailFor, partnershipInput } from '../test/support/fixtures';
import { activityInput, channelInput, decideChannel } from '../test/support/funding';
import { writeSections } from '../test/support/sections';
import { contactFor, onboardPartner } from '../test/support/partners';
import { median, timed } from './stats';

/**
 * Long life: one partnership through many cycles (planning gate, action,
 * the periodic review and its "continue" decision), driven through the same
 * service layer the API uses. Each cycle continues-as-new, so a run's history
 * stays bounded; measured: events per run and the time to replay the longest.
 */
export interface LongLifeResult {
  cycles: number;
  seconds: number;
  runs: number;
  eventsPerRun: { min: number; max: number; first: number; last: number; each: number[] };
  totalEvents: number;
  replayLongestRunMs: number;
  /**
   * Bytes of each run's start input (the carried state and the partnership's
   * input), keyed by the cycle the run begins; cycle 1 is the first run, which
   * carries nothing. Flat from cycle to cycle when `carryOver` bounds it.
   */
  startInputBytes: Array<{ cycle: number; carriedBytes: number; inputBytes: number }>;
  /** Bytes of the read model (`GET /api/partnerships/:id`'s query answer) at the end. */
  readModelBytes: number;
}

const PARTNERS = [
  ['Ministry of Labour', 'government'],
  ['Youth Network', 'civil-society'],
  ['Workers Union', 'workers-organisation'],
] as const;

export async function runLongLife(svc: LocalService, cycles: number, onCycle: (cycle: number) => void): Promise<LongLifeResult> {
  const service = createServices(svc.client, svc.config.TEMPORAL_TASK_QUEUE);
  const until = (id: string, pred: (v: PartnershipView) => boolean) =>
    eventually(async () => {
      const v = await service.partnership.get(id);
      return pred(v) && v;
    }, 120_000, 20);

  const run = await timed(async () => {
    const timings = { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', reviewEvery: '200ms' };
    const p = await service.partnership.start(partnershipInput({ slug: `long-life-${randomBytes(4).toString('hex')}`, timings }));
    await completePhase(service, p.id, 'initiating');
    await decideTask(svc.mail, service, (await service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
    await until(p.id, (v) => v.phase === 'adaptive-planning');
    for (const [organisation, group] of PARTNERS) await onboardPartner(svc.mail, service, p.id, organisation, group);
    // Planning's checklist needs a roadmap activity with a SMART target; the gate, its approved channel (it stays in force).
    await service.resources.upsertActivity(p.id, activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'));
    await decideChannel(svc.mail, service, p.id, 'green-jobs-pilot', channelInput('50000.00'));
    // Planning's sections are written once; every cycle's items find them.
    await writeSections(service, p.id, 'adaptive-planning');

    for (let cycle = 1; cycle <= cycles; cycle++) {
      await until(p.id, (v) => v.cycle === cycle && v.phase === 'adaptive-planning');
      // A manager's team ticks items off side by side; Temporal orders the Updates.
      await Promise.all(itemsOfPhase('adaptive-planning').map((item) => service.partnership.completeItem(p.id, item.id, { by: 'Bench' })));
      await decideTask(svc.mail, service, (await service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
      // The 200 ms review cadence takes it from action into monitoring and opens this cycle's review.
      // One review per cycle, numbered from 1; the read model lists the recent ones (the state carries a window).
      const v = await until(p.id, (x) => x.phase === 'reflective-monitoring' && x.reviews.some((r) => r.number === cycle));
      const review = v.reviews.find((r) => r.number === cycle)!;
      for (const [organisation] of PARTNERS) {
        await service.reviews.answerReview(review.id, {
          email: contactFor(organisation).email,
          values: {},
          treatedFairly: 4,
          importantIssuesDiscussed: 4,
          feedbackOnOrganisation: 'Clear coordination',
          learning: `Cycle ${cycle}: keep the pilots small`,
        });
      }
      await completePhase(service, p.id, 'reflective-monitoring');
      const decisionTask = `${review.id}.decision`;
      await svc.mail.waitFor(isTaskEmailFor(decisionTask, APPROVER_1.email, ''), 120_000);
      await service.tasks.decide(decisionTask, { approverEmail: APPROVER_1.email, decision: 'approve', choice: 'continue' });
      onCycle(cycle);
    }
    await until(p.id, (v) => v.cycle === cycles + 1);
    return p.id;
  });

  const id = run.value;
  const runs: Array<{ runId: string; events: number; startedAt: number }> = [];
  for await (const wf of svc.client.workflow.list({ query: `WorkflowId = '${id}'` })) {
    // Visibility has the length of closed runs only; describe counts the running one too.
    const events = Number((await svc.client.workflow.getHandle(id, wf.runId).describe()).historyLength);
    runs.push({ runId: wf.runId, events, startedAt: wf.startTime.getTime() });
  }
  runs.sort((a, b) => a.startedAt - b.startedAt);
  const longest = runs.reduce((a, b) => (b.events > a.events ? b : a));
  const history = await svc.client.workflow.getHandle(id, longest.runId).fetchHistory();
  const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') });
  const replays: number[] = [];
  for (let i = 0; i < 5; i++) replays.push((await timed(() => Worker.runReplayHistory({ workflowBundle: bundle }, history))).ms);

  // What each run was started with: the payload of its first event, split into the carried state and the rest.
  const startInputBytes: LongLifeResult['startInputBytes'] = [];
  for (const r of runs) {
    const first = (await svc.client.workflow.getHandle(id, r.runId).fetchHistory()).events?.[0];
    const payload = first?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (!payload?.data) continue;
    const args = JSON.parse(Buffer.from(payload.data).toString('utf8')) as { carried?: { cycle: number }; input: unknown };
    const carriedBytes = args.carried ? Buffer.byteLength(JSON.stringify(args.carried)) : 0;
    const cycle = args.carried?.cycle ?? 1;
    // Several runs can begin the same cycle (a long history continues as new mid-cycle): keep the first.
    if (!startInputBytes.some((b) => b.cycle === cycle)) startInputBytes.push({ cycle, carriedBytes, inputBytes: payload.data.length - carriedBytes });
  }
  const readModelBytes = Buffer.byteLength(JSON.stringify(await service.partnership.get(id)));

  const events = runs.map((r) => r.events);
  return {
    cycles,
    seconds: run.ms / 1000,
    runs: runs.length,
    eventsPerRun: { min: Math.min(...events), max: Math.max(...events), first: events[0], last: events.at(-1)!, each: events },
    totalEvents: events.reduce((a, b) => a + b, 0),
    replayLongestRunMs: median(replays),
    startInputBytes,
    readModelBytes,
  };
}
