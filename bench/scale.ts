import { randomBytes } from 'node:crypto';
import type { LocalService } from '../scripts/local-service';
import { residentBytes, waitForQuiet } from '../scripts/local-processes';
import { partnershipRequest } from '../test/support/fixtures';
import { inPool, mib, summarize, timed, type LatencySummary } from './stats';

/**
 * Scale: many partnerships alive at once, each waiting (for checklist work,
 * or on an approval task with its reminder, escalation and deadline timers).
 * Measured: resident memory of each process, and how long the API takes to
 * list, count and filter them.
 */
export interface ScaleResult {
  started: number;
  startsPerSecond: number;
  visibleTotal: number;
  /** How long the backlog behind the last start took to drain before measuring. */
  settleSeconds: number;
  residentMiB: { worker: number; api: number; temporal: number };
  /** Median of three, ms. */
  listMs: Record<string, number>;
}

/** What the list and read measurements need of a running service: its API. */
export type ApiCaller = Pick<LocalService, 'call'>;

/** Starts `count` partnerships through the API, `concurrency` at a time; their ids in the order they were started. */
export async function startIdlePartnerships(svc: ApiCaller, count: number, concurrency: number, onProgress: (done: number) => void) {
  let done = 0;
  return timed(() =>
    inPool(Array.from({ length: count }), concurrency, async () => {
      const res = await svc.call('POST', '/api/partnerships', partnershipRequest({ slug: `idle-${randomBytes(6).toString('hex')}` }));
      if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
      if (++done % 1000 === 0) onProgress(done);
      return res.body.id as string;
    }),
  );
}

/** Resident memory of the service's processes now, in MiB. */
export function residentMiB(svc: LocalService): ScaleResult['residentMiB'] {
  return {
    worker: mib(residentBytes(svc.processes.worker.proc.pid)),
    api: mib(residentBytes(svc.processes.api.proc.pid)),
    temporal: mib(residentBytes(svc.processes.temporal.proc.pid)),
  };
}

/** Each GET in turn, one at a time, timed; the body of the last is returned too. */
export async function timeGets(svc: ApiCaller, paths: string[]): Promise<{ ms: LatencySummary; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const samples: number[] = [];
  let body: unknown;
  for (const path of paths) {
    const r = await timed(() => svc.call('GET', path));
    if (r.value.status !== 200) throw new Error(`GET ${path} → ${r.value.status} ${JSON.stringify(r.value.body)}`);
    samples.push(r.ms);
    body = r.value.body;
  }
  return { ms: summarize(samples), body };
}

const timeGet = (svc: ApiCaller, path: string, times: number) => timeGets(svc, Array.from({ length: times }, () => path));

/** Visibility is eventually consistent: waits (up to 5 minutes) until the API lists at least `expected`; the total it lists. */
export async function waitUntilListed(svc: ApiCaller, expected: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < 600 && total < expected; i++) {
    total = (await svc.call('GET', '/api/partnerships?limit=1')).body.total;
    if (total < expected) await new Promise((r) => setTimeout(r, 500));
  }
  return total;
}

/**
 * List and filter times through the API: the first page of 100 and of 1000
 * and each filter `times` times, every page in pages of 1000 `walks` times.
 */
export async function listTimes(svc: ApiCaller, filters: Record<string, string>, { times, walks }: { times: number; walks: number }): Promise<Record<string, LatencySummary>> {
  const listMs: Record<string, LatencySummary> = {};
  listMs['first page (100)'] = (await timeGet(svc, '/api/partnerships', times)).ms;
  listMs['first page (1000)'] = (await timeGet(svc, '/api/partnerships?limit=1000', times)).ms;
  const walkMs: number[] = [];
  let seen = 0;
  for (let i = 0; i < walks; i++) {
    const walk = await timed(async () => {
      let token: string | undefined;
      let count = 0;
      do {
        const page = await svc.call('GET', `/api/partnerships?limit=1000${token ? `&pageToken=${token}` : ''}`);
        count += page.body.partnerships.length;
        token = page.body.nextPageToken;
      } while (token);
      return count;
    });
    walkMs.push(walk.ms);
    seen = walk.value;
  }
  listMs[`all ${seen} in pages of 1000`] = summarize(walkMs);
  for (const [label, query] of Object.entries(filters)) {
    const r = await timeGet(svc, `/api/partnerships?${query}`, times);
    listMs[`filter ${label} (${r.body.total} match)`] = r.ms;
  }
  return listMs;
}

export async function measureScale(svc: LocalService, expectedAtLeast: number, filters: Record<string, string>): Promise<Omit<ScaleResult, 'started' | 'startsPerSecond'>> {
  const total = await waitUntilListed(svc, expectedAtLeast);
  // A start answers before its first workflow task runs: let that backlog drain, so what follows measures an idle service.
  const settleMs = await waitForQuiet([svc.processes.worker.proc.pid, svc.processes.temporal.proc.pid, svc.processes.api.proc.pid]);
  const listMs = Object.fromEntries(Object.entries(await listTimes(svc, filters, { times: 3, walks: 1 })).map(([label, ms]) => [label, ms.p50]));
  return {
    visibleTotal: total,
    settleSeconds: settleMs / 1000,
    residentMiB: residentMiB(svc),
    listMs,
  };
}
