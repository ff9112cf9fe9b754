import { randomBytes } from 'node:crypto';
import type { LocalService } from '../scripts/local-service';
import { residentBytes, waitForQuiet } from '../scripts/local-processes';
import { partnershipRequest } from '../test/support/fixtures';
import { inPool, median, mib, timed } from './stats';

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
  listMs: Record<string, number>;
}

export async function startIdlePartnerships(svc: LocalService, count: number, concurrency: number, onProgress: (done: number) => void) {
  let done = 0;
  return timed(() =>
    inPool(Array.from({ length: count }), concurrency, async () => {
      const res = await svc.call('POST', '/api/partnerships', partnershipRequest({ slug: `idle-${randomBytes(6).toString('hex')}` }));
      if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
      if (++done % 1000 === 0) onProgress(done);
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

/** Median of `times` calls of one GET, in ms; the body of the last call is returned too. */
async function timeGet(svc: LocalService, path: string, times = 3): Promise<{ ms: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const samples: number[] = [];
  let body: unknown;
  for (let i = 0; i < times; i++) {
    const r = await timed(() => svc.call('GET', path));
    if (r.value.status !== 200) throw new Error(`GET ${path} → ${r.value.status} ${JSON.stringify(r.value.body)}`);
    samples.push(r.ms);
    body = r.value.body;
  }
  return { ms: median(samples), body };
}

export async function measureScale(svc: LocalService, expectedAtLeast: number, filters: Record<string, string>): Promise<Omit<ScaleResult, 'started' | 'startsPerSecond'>> {
  // Visibility is eventually consistent: wait until every start is listed.
  let total = 0;
  for (let i = 0; i < 600 && total < expectedAtLeast; i++) {
    total = (await svc.call('GET', '/api/partnerships?limit=1')).body.total;
    if (total < expectedAtLeast) await new Promise((r) => setTimeout(r, 500));
  }
  // A start answers before its first workflow task runs: let that backlog drain, so what follows measures an idle service.
  const settleMs = await waitForQuiet([svc.processes.worker.proc.pid, svc.processes.temporal.proc.pid, svc.processes.api.proc.pid]);
  const listMs: Record<string, number> = {};
  listMs['first page (100)'] = (await timeGet(svc, '/api/partnerships')).ms;
  listMs['first page (1000)'] = (await timeGet(svc, '/api/partnerships?limit=1000')).ms;
  const walk = await timed(async () => {
    let token: string | undefined;
    let seen = 0;
    do {
      const page = await svc.call('GET', `/api/partnerships?limit=1000${token ? `&pageToken=${token}` : ''}`);
      seen += page.body.partnerships.length;
      token = page.body.nextPageToken;
    } while (token);
    return seen;
  });
  listMs[`all ${walk.value} in pages of 1000`] = walk.ms;
  for (const [label, query] of Object.entries(filters)) {
    const r = await timeGet(svc, `/api/partnerships?${query}`);
    listMs[`filter ${label} (${r.body.total} match)`] = r.ms;
  }
  return {
    visibleTotal: total,
    settleSeconds: settleMs / 1000,
    residentMiB: residentMiB(svc),
    listMs,
  };
}
