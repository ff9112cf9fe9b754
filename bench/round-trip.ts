import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { itemsOfPhase } from '../domain/partnership/catalogue';
import type { LocalService } from '../scripts/local-service';
import { APPROVER_1, FIRST_MAPPED, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../test/support/fixtures';
import { firstWrite, sectionsOfPhase } from '../test/support/sections';
import { baselineApprovalWorkflow, baselineDecideUpdate } from './baseline/workflows';
import { BASELINE_TASK_QUEUE } from './baseline/worker';
import { inPool, summarize, timed, type LatencySummary } from './stats';

/**
 * Approval round trip: partnerships are brought to their first gate over
 * HTTP (start, checklist, advance, emailed link opened), then the approvers
 * decide with `concurrency` at a time. Measured per gate: from posting the
 * decision to `GET /api/partnerships/:id` showing the next phase.
 */
export interface RoundTripResult {
  n: number;
  concurrency: number;
  prepare: { seconds: number; httpRequestsPerSecond: number };
  latencyMs: LatencySummary;
  /** Of which: until the decision is recorded (our POST answered; the baseline's Update returned). */
  decisionRecordedMs: LatencySummary;
  gatesPerSecond: number;
  /** CPU milliseconds per gate while the gates were decided, by process (and its children); absent when not watched. */
  cpuMsPerGate?: Record<string, number>;
  /** Ours only: `GET /api/partnerships/:id` calls per gate until the new phase showed (1 when the page's answer was already the truth). */
  readsPerGate?: number;
}

/**
 * How a run watches the machine: `settle` waits until work left from preparing
 * has drained, so both sides start on a quiet machine; `cpu` reads each
 * process's CPU time so far, in ms.
 */
export interface RoundTripWatch {
  settle?: () => Promise<void>;
  cpu?: () => Record<string, number>;
}

const POLL_MS = 10;
const ITEMS_AT_ONCE = 8;

/** What the round trip needs of a running service: an API to call, a browser, the mailbox. */
export type RoundTripService = Pick<LocalService, 'call' | 'form' | 'mail'>;

export async function prepareGates(svc: RoundTripService, n: number, concurrency: number, label = 'bench'): Promise<Array<{ id: string; link: string }>> {
  return inPool(Array.from({ length: n }), concurrency, async () => {
    const created = await svc.call('POST', '/api/partnerships', partnershipRequest({ slug: `${label}-${randomBytes(5).toString('hex')}` }));
    if (created.status !== 201) throw new Error(`start failed: ${created.status} ${JSON.stringify(created.body)}`);
    const id = created.body.id as string;
    // The stakeholder-map item needs someone on the map first.
    const mapped = await svc.call('POST', `/api/partnerships/${id}/stakeholders`, FIRST_MAPPED);
    if (mapped.status !== 201) throw new Error(`mapping failed: ${mapped.status} ${JSON.stringify(mapped.body)}`);
    // Items whose substance is a written section need it written first.
    for (const s of sectionsOfPhase('initiating')) {
      const written = await svc.call('PUT', `/api/partnerships/${id}/sections/${s}`, firstWrite(s, 'Bench'));
      if (written.status !== 200) throw new Error(`section failed: ${written.status} ${JSON.stringify(written.body)}`);
    }
    // Items are ticked off side by side, as a team would; Temporal orders the Updates. At most
    // ITEMS_AT_ONCE per partnership: the server admits 10 Updates in flight per workflow
    // (history.maxInFlightUpdates) and makes the rest wait and retry, which is not what a gate costs.
    await inPool(itemsOfPhase('initiating'), ITEMS_AT_ONCE, async (item) => {
      const done = await svc.call('POST', `/api/partnerships/${id}/checklist/${item.id}/complete`, { by: 'Bench' });
      if (done.status !== 200) throw new Error(`checklist failed: ${done.status} ${JSON.stringify(done.body)}`);
    });
    const taskId = (await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id as string;
    const link = taskLinkOf(await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 120_000)).url;
    if ((await fetch(link)).status !== 200) throw new Error('task page did not open');
    return { id, link };
  });
}

/**
 * The one measurement both sides get: `concurrency` gates at a time, each
 * timed from the decision to its recording and to its effect being seen.
 */
async function measureGates<T>(
  gates: T[],
  concurrency: number,
  decide: (gate: T) => Promise<void>,
  untilSeen: (gate: T) => Promise<void>,
  watch: RoundTripWatch = {},
): Promise<Pick<RoundTripResult, 'latencyMs' | 'decisionRecordedMs' | 'gatesPerSecond' | 'cpuMsPerGate'>> {
  await watch.settle?.();
  const cpuBefore = watch.cpu?.();
  const benchBefore = process.cpuUsage();
  const latencies: number[] = [];
  const recorded: number[] = [];
  const run = await timed(() =>
    inPool(gates, concurrency, async (gate) => {
      const t0 = performance.now();
      await decide(gate);
      recorded.push(performance.now() - t0);
      await untilSeen(gate);
      latencies.push(performance.now() - t0);
    }),
  );
  const benchUsed = process.cpuUsage(benchBefore);
  const cpuAfter = watch.cpu?.();
  const cpuMsPerGate =
    cpuBefore && cpuAfter
      ? Object.fromEntries([
          ...Object.keys(cpuAfter).map((name) => [name, Math.round((cpuAfter[name] - (cpuBefore[name] ?? 0)) / gates.length)] as const),
          ['bench client', Math.round((benchUsed.user + benchUsed.system) / 1000 / gates.length)] as const,
        ])
      : undefined;
  return { latencyMs: summarize(latencies), decisionRecordedMs: summarize(recorded), gatesPerSecond: gates.length / (run.ms / 1000), cpuMsPerGate };
}

export async function runRoundTrip(svc: RoundTripService, n: number, concurrency: number, watch?: RoundTripWatch): Promise<RoundTripResult> {
  const requestsPerGate = 1 + 1 + sectionsOfPhase('initiating').length + itemsOfPhase('initiating').length + 1 + 1;
  const prep = await timed(() => prepareGates(svc, n, concurrency));
  let reads = 0;
  const measured = await measureGates(
    prep.value,
    concurrency,
    async ({ link }) => {
      const posted = await svc.form(link, { decision: 'approve', comment: 'benchmark' });
      if (posted.status !== 200) throw new Error(`decision refused: ${posted.status}`);
    },
    async ({ id }) => {
      while ((reads++, await svc.call('GET', `/api/partnerships/${id}`)).body.phase !== 'adaptive-planning') {
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    watch,
  );
  return {
    n,
    concurrency,
    prepare: { seconds: prep.ms / 1000, httpRequestsPerSecond: (n * requestsPerGate) / (prep.ms / 1000) },
    ...measured,
    readsPerGate: reads / n,
  };
}

/** The same measurement on the baseline workflow, driven by the bare Temporal client. */
export async function runBaseline(client: Client, n: number, concurrency: number, watch?: RoundTripWatch): Promise<RoundTripResult> {
  const prep = await timed(() =>
    inPool(Array.from({ length: n }), concurrency, () =>
      client.workflow.start(baselineApprovalWorkflow, { taskQueue: BASELINE_TASK_QUEUE, workflowId: `baseline-${randomBytes(6).toString('hex')}` }),
    ),
  );
  const measured = await measureGates(
    prep.value,
    concurrency,
    async (handle) => void (await handle.executeUpdate(baselineDecideUpdate, { args: ['approve'] })),
    async (handle) => void (await handle.result()),
    watch,
  );
  return { n, concurrency, prepare: { seconds: prep.ms / 1000, httpRequestsPerSecond: NaN }, ...measured };
}
