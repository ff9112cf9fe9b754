import type { Client } from '@temporalio/client';
import { ABNORMAL_EXECUTION_STATUSES } from '../../api/workflow-calls';
import type { CapturedMail } from '../../infra/mail-sink';
import type { LocalService } from '../../scripts/local-service';
import { summarize, type LatencySummary } from '../stats';
import { kib, TEMPORAL_LIMITS, type RunFigures } from './histories';

/**
 * What the large benchmark measures once its partnership is in cycle 2: the
 * findings in the workflows' runs (task failures, abnormal endings, figures
 * past half of a Temporal limit), the latency of API reads, and the emails
 * sent, by recipient and by kind.
 */

/** Reports through `finding` every workflow task failure, abnormal ending and figure past half of a limit in `runs`, and every execution under `partnershipId` that visibility lists as ended abnormally. */
export async function findingsInRuns(client: Client, partnershipId: string, runs: RunFigures[], finding: (msg: string) => void): Promise<void> {
  for (const run of runs) {
    for (const f of run.workflowTaskFailures) {
      const after = Object.entries(f.followedBy).map(([t, n]) => `${n} ${t}`).join(', ');
      finding(`workflow task failed in ${run.workflowId} run ${run.runId}, event ${f.eventId}: ${f.cause}${f.message ? ` "${f.message}"` : ''} after ${f.ranMs} ms; then ${after || 'nothing'}`);
    }
    if (!/^(CONTINUED_AS_NEW|COMPLETED|RUNNING)/.test(run.endedBy)) finding(`${run.workflowId} run ${run.runId} ended ${run.endedBy}`);
    if (run.events > TEMPORAL_LIMITS.historyEventsWarn / 2) finding(`${run.workflowId} run ${run.runId} has ${run.events} events, over half of the ${TEMPORAL_LIMITS.historyEventsWarn} warning`);
    if (run.bytes > TEMPORAL_LIMITS.historyBytesWarn / 2) finding(`${run.workflowId} run ${run.runId} has ${kib(run.bytes)} KiB of history, over half of the 10 MiB warning`);
    const p = run.largestPayload;
    if (p && p.bytes > TEMPORAL_LIMITS.payloadWarn / 2) finding(`${run.workflowId} event ${p.eventId} (${p.what}) carries ${kib(p.bytes)} KiB, over half of the 512 KiB payload warning`);
    const sa = run.largestSearchAttribute;
    if (sa && sa.bytes > TEMPORAL_LIMITS.searchAttributeValue / 2) finding(`${run.workflowId} event ${sa.eventId} (${sa.what}) writes a ${sa.bytes}-byte search attribute value, over half of ${TEMPORAL_LIMITS.searchAttributeValue}`);
  }
  const abnormal = ABNORMAL_EXECUTION_STATUSES.map((s) => `ExecutionStatus = '${s}'`).join(' OR ');
  for await (const wf of client.workflow.list({ query: abnormal })) {
    if (wf.workflowId.startsWith(partnershipId)) finding(`${wf.workflowId} (run ${wf.runId}) is ${wf.status.name}`);
  }
}

/** GETs `path` from the API `times` times in a row; the last body and the latency summary. Throws on a non-2xx answer. */
export async function timedReads(svc: LocalService, path: string, times: number): Promise<{ body: string; latencyMs: LatencySummary }> {
  const samples: number[] = [];
  let body = '';
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const res = await fetch(`${svc.base}${path}`, { headers: { authorization: `Bearer ${svc.apiKey}` } });
    body = await res.text();
    samples.push(performance.now() - t0);
    if (!res.ok) throw new Error(`GET ${path} → ${res.status} ${body.slice(0, 300)}`);
  }
  return { body, latencyMs: summarize(samples) };
}

export interface EmailFigures {
  total: number;
  perPartner: number;
  toApprovers: number;
  toMembers: number;
  toManager: number;
  other: number;
  /** Counts per kind of mail: the subject with the title, the partners' names and numbers taken out. */
  bySubject: Record<string, number>;
}

/** The emails sent during the run, by recipient (approvers, member contacts, the manager, others) and by kind of subject. */
export function emailFigures(
  mail: CapturedMail[],
  who: { title: string; partners: number; organisations: string[]; contacts: string[]; approvers: string[]; manager: string },
): EmailFigures {
  const approvers = new Set(who.approvers);
  const contacts = new Set(who.contacts);
  // Kinds of mail: subjects with the partnership's title, the partners' names and numbers taken out.
  const names = [...who.organisations].sort((a, b) => b.length - a.length);
  const bySubject: Record<string, number> = {};
  for (const m of mail) {
    let kind = m.subject.replace(who.title, '<title>');
    for (const n of names) if (kind.includes(n)) kind = kind.replace(n, '<partner>');
    kind = kind.replace(/\([a-z-]+\) as a partner/, '(<group>) as a partner').replace(/\d+/g, 'N').slice(0, 90);
    bySubject[kind] = (bySubject[kind] ?? 0) + 1;
  }
  const to = (pred: (address: string) => boolean) => mail.filter((m) => m.to.some(pred)).length;
  return {
    total: mail.length,
    perPartner: Math.round((mail.length / who.partners) * 100) / 100,
    toApprovers: to((a) => approvers.has(a)),
    toMembers: to((a) => contacts.has(a)),
    toManager: to((a) => a === who.manager),
    other: mail.filter((m) => !m.to.some((a) => approvers.has(a) || contacts.has(a) || a === who.manager)).length,
    bySubject,
  };
}
