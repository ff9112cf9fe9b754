import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ABNORMAL_EXECUTION_STATUSES, PartnershipService, type PartnershipReadModel } from '../api/partnership-service';
import { itemsOfPhase } from '../domain/partnership/catalogue';
import { PRINCIPLE_IDS } from '../domain/partners/principles';
import { SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES } from '../domain/search-attribute-limits';
import type { LocalService } from '../scripts/local-service';
import { allianceReviewAnswer, allianceStakeholderInput, allianceWithRegionalOffices, type AllianceMember } from '../test/support/alliance';
import { APPROVER_1, APPROVER_2, FIRST_MAPPED, MANAGER, completePhase, decideTask, eventually, isTaskEmailFor, partnershipInput, taskLinkOf } from '../test/support/fixtures';
import { activityInput, channelInput, decideChannel } from '../test/support/funding';
import { writeSections } from '../test/support/sections';
import { inPool, summarize, table, timed, type LatencySummary } from './stats';

/**
 * Large: one partnership the size of a real global alliance (300 members by
 * default, long names in several scripts) through a whole cycle and into the
 * next, driven through the service layer the API uses. Measured against
 * Temporal's limits: events and bytes of every run of the partnership (it
 * continues as new when the server suggests it, and at the new cycle), the
 * largest payload and search attribute value written, the same for the review
 * and the onboardings; the read model's size and read latency; emails per partner.
 */

/** Temporal server defaults (dynamic config), for comparison; none of them is changed by the bench. */
export const TEMPORAL_LIMITS = {
  /** limit.historyCount.warn: the server logs a warning; the hard limit is 51,200. */
  historyEventsWarn: 10_240,
  /** limit.historySize.warn: 10 MiB; the hard limit is 50 MiB. */
  historyBytesWarn: 10 * 2 ** 20,
  /** limit.blobSize.warn: one payload (a Payloads field of an event). */
  payloadWarn: 512 * 2 ** 10,
  /** limit.blobSize.error: the command writing it fails. */
  payloadError: 2 * 2 ** 20,
  /** limit.searchAttributeValueSize: the workflow task fails and the server terminates the workflow. */
  searchAttributeValue: SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES,
};

export interface Largest {
  bytes: number;
  eventId: number;
  /** Event type and what it carried, e.g. "ACTIVITY_TASK_SCHEDULED writePhaseDocument input". */
  what: string;
}

export interface RunFigures {
  workflowId: string;
  runId: string;
  events: number;
  /** The run's history encoded as the server sends it (temporal.api.history.v1.History). */
  bytes: number;
  /** How the run ended: CONTINUED_AS_NEW, COMPLETED, TERMINATED (reason), …, or RUNNING. */
  endedBy: string;
  /** The first event at which the server suggested continue-as-new, if it did. */
  continueAsNewSuggestedAtEvent?: number;
  largestPayload?: Largest;
  largestSearchAttribute?: Largest;
  /** With how long the task had run and what the server wrote right after it (buffered while it ran). */
  workflowTaskFailures: Array<{ eventId: number; cause: string; message: string; ranMs: number; followedBy: Record<string, number> }>;
}

export interface LargeResult {
  partners: number;
  concurrency: number;
  partnershipId: string;
  seconds: number;
  stages: Array<{ stage: string; seconds: number }>;
  partnershipRuns: RunFigures[];
  review: RunFigures[];
  /** The first member's onboarding, and the largest of all by history bytes. */
  onboardingFirst: RunFigures[];
  onboardingLargest: RunFigures[];
  onboardings: number;
  readModel: { bytes: number; latencyMs: LatencySummary };
  partnerFilter: { name: string; found: boolean; latencyMs: LatencySummary };
  emails: { total: number; perPartner: number; toApprovers: number; toMembers: number; toManager: number; other: number; bySubject: Record<string, number> };
  /** Anything that went wrong or came near a limit; empty when nothing did. */
  findings: string[];
}

const TITLE = 'Alliance against forced and child labour — Партнёрство «Зелёные рабочие места» 绿色就业 شراكة';
const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const num = (x: unknown) => Number(String(x ?? 0));
const eventTypeName = (e: HistoryEvent) => (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
const millis = (e: HistoryEvent) => num(e.eventTime?.seconds) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !(x instanceof Uint8Array);

/** The names an event's payloads belong to: the activity, update, signal or child workflow. */
function nameOf(attrs: Record<string, any>, names: Map<number, string>): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (
    attrs.activityType?.name ??
    attrs.workflowType?.name ??
    attrs.signalName ??
    attrs.acceptedRequest?.input?.name ??
    names.get(num(attrs.scheduledEventId)) ??
    names.get(num(attrs.acceptedEventId)) ??
    names.get(num(attrs.initiatedEventId)) ??
    ''
  );
}

/** Events, bytes, how the run ended, its largest payload and search attribute value, its workflow task failures. */
export function analyseRun(workflowId: string, runId: string, history: temporal.api.history.v1.IHistory): RunFigures {
  const events = history.events ?? [];
  const figures: RunFigures = {
    workflowId,
    runId,
    events: events.length,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
    endedBy: 'RUNNING',
    workflowTaskFailures: [],
  };
  const names = new Map<number, string>();
  const keep = (slot: 'largestPayload' | 'largestSearchAttribute', candidate: Largest) => {
    if (!figures[slot] || candidate.bytes > figures[slot].bytes) figures[slot] = candidate;
  };
  for (const e of events) {
    const eventId = num(e.eventId);
    const type = eventTypeName(e);
    const attrsKey = Object.keys(e).find((k) => k.endsWith('EventAttributes') && isObject((e as Record<string, unknown>)[k]));
    if (!attrsKey) continue;
    const attrs = (e as Record<string, any>)[attrsKey]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const name = nameOf(attrs, names);
    if (name) names.set(eventId, name);
    if (type === 'WORKFLOW_TASK_STARTED' && attrs.suggestContinueAsNew && figures.continueAsNewSuggestedAtEvent === undefined) figures.continueAsNewSuggestedAtEvent = eventId;
    if (type === 'WORKFLOW_TASK_FAILED') {
      const started = events.find((x) => num(x.eventId) === num(attrs.startedEventId));
      const followedBy: Record<string, number> = {};
      for (const next of events.slice(events.indexOf(e) + 1)) {
        if (/^WORKFLOW_TASK_/.test(eventTypeName(next))) break;
        followedBy[eventTypeName(next)] = (followedBy[eventTypeName(next)] ?? 0) + 1;
      }
      figures.workflowTaskFailures.push({
        eventId,
        cause: (WorkflowTaskFailedCause[attrs.cause ?? 0] ?? String(attrs.cause)).replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, ''),
        message: attrs.failure?.message ?? '',
        ranMs: started ? millis(e) - millis(started) : NaN,
        followedBy,
      });
    }
    if (/^WORKFLOW_EXECUTION_(COMPLETED|FAILED|TIMED_OUT|TERMINATED|CANCELED|CONTINUED_AS_NEW)$/.test(type)) {
      const why = attrs.reason || attrs.failure?.message;
      figures.endedBy = `${type.replace('WORKFLOW_EXECUTION_', '')}${why ? ` (${why})` : ''}`;
    }
    const walk = (node: unknown, path: string) => {
      if (!isObject(node)) return;
      if (Array.isArray(node.payloads)) {
        const bytes = temporal.api.common.v1.Payloads.encode(node as temporal.api.common.v1.IPayloads).finish().length;
        keep('largestPayload', { bytes, eventId, what: `${type} ${name} ${path}`.replace(/ +/g, ' ') });
        return;
      }
      if (path.endsWith('indexedFields')) {
        for (const [sa, payload] of Object.entries(node)) {
          keep('largestSearchAttribute', { bytes: (payload as { data?: Uint8Array }).data?.length ?? 0, eventId, what: `${type} ${sa}` });
        }
        return;
      }
      for (const [k, v] of Object.entries(node)) if (k !== 'header') walk(v, path ? `${path}.${k}` : k);
    };
    walk(attrs, '');
  }
  return figures;
}

/** Every run of a workflow id, oldest first, followed back from the latest through each start's continuedExecutionRunId (no visibility lag). */
export async function runsOf(client: Client, workflowId: string): Promise<RunFigures[]> {
  const runs: RunFigures[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.unshift(analyseRun(workflowId, runId, history));
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

export async function runLarge(svc: LocalService, partners: number, concurrency: number, log: (msg: string) => void): Promise<LargeResult> {
  const service = new PartnershipService(svc.client, svc.config.TEMPORAL_TASK_QUEUE);
  const members = allianceWithRegionalOffices(partners);
  const findings: string[] = [];
  const finding = (msg: string) => {
    findings.push(msg);
    log(`!! FINDING: ${msg}`);
  };
  const until = (id: string, what: string, pred: (v: PartnershipReadModel) => boolean, timeoutMs = 600_000, everyMs = 250) =>
    eventually(async () => {
      const v = await service.get(id);
      if (v.status !== 'active' && v.status !== 'closed') throw new Error(`the partnership is ${v.status}: ${JSON.stringify(v.ended)}`);
      return pred(v) && v;
    }, timeoutMs, everyMs).catch((err: Error) => {
      throw new Error(`waiting for ${what}: ${err.message}`);
    });
  const mailBefore = svc.mail.messages.length;
  const stages: LargeResult['stages'] = [];
  const stage = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    log(`  large: ${name}`);
    const r = await timed(work);
    stages.push({ stage: name, seconds: Math.round(r.ms / 100) / 10 });
    return r.value;
  };
  const all = await timed(async () => {
    const timings = { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', reviewEvery: '1s' };
    const id = await stage('start + initiating gate', async () => {
      const p = await service.start(partnershipInput({ slug: `large-${randomBytes(4).toString('hex')}`, title: TITLE, timings }));
      // The stakeholder-map item needs someone on the map (mapped only, never invited).
      await service.upsertStakeholder(p.id, FIRST_MAPPED);
      await writeSections(service, p.id, 'initiating');
      await Promise.all(itemsOfPhase('initiating').map((item) => service.completeItem(p.id, item.id, { by: MANAGER.name })));
      await decideTask(svc.mail, service, (await service.requestAdvance(p.id, {})).id, APPROVER_1);
      await until(p.id, 'adaptive planning', (v) => v.phase === 'adaptive-planning');
      return p.id;
    });

    const ids = await stage(`map ${partners} stakeholders (one at a time)`, async () => {
      const mapped: string[] = [];
      for (const m of members) {
        const s = await service.upsertStakeholder(id, allianceStakeholderInput(m));
        mapped.push(s.id);
      }
      if (new Set(mapped).size !== partners) finding(`${partners} organisations were mapped to ${new Set(mapped).size} stakeholder ids`);
      return mapped;
    });

    const onboard = async (m: AllianceMember, stakeholderId: string) => {
      const onboardingId = `${id}.partner.${stakeholderId}`;
      await service.invitePartner(id, stakeholderId, {});
      await svc.mail.waitFor((mail) => mail.to.includes(m.contact.email) && /\/invitations\//.test(mail.text), 120_000);
      await service.answerOnboarding(onboardingId, m.contact.email, { step: 'respond', answer: 'accept' });
      await service.answerOnboarding(onboardingId, m.contact.email, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' });
      const task = await svc.mail.waitFor(
        (mail) => mail.to.includes(APPROVER_1.email) && /\/tasks\//.test(mail.text) && taskLinkOf(mail).taskId.startsWith(`${onboardingId}.`),
        120_000,
      );
      await service.decide(taskLinkOf(task).taskId, { approverEmail: APPROVER_1.email, decision: 'approve' });
      await eventually(async () => (await service.onboarding(onboardingId)).step === 'signature', 120_000, 250);
      await service.answerOnboarding(onboardingId, m.contact.email, { step: 'signature', signatory: `${m.contact.name}, director` });
    };
    await stage(`onboard ${partners} (${concurrency} contacts at a time)`, async () => {
      let done = 0;
      await inPool(members, concurrency, async (m, i) => {
        await onboard(m, ids[i]);
        if (++done % 50 === 0) log(`    ${done} of ${partners} signed`);
      });
      await until(id, `${partners} active partners`, (v) => v.stakeholders.filter((s) => s.status === 'active').length === partners, 600_000, 1000);
    });

    await stage('planning: one funded activity, channel approval, gate', async () => {
      await service.upsertActivity(id, { ...activityInput('child-labour-free-zones', ids[0], 'Child-labour-free zones'), participatingPartners: ids.slice(1, 4) });
      await decideChannel(svc.mail, service, id, 'child-labour-free-zones', channelInput('250000.00'));
      await writeSections(service, id, 'adaptive-planning');
      await Promise.all(itemsOfPhase('adaptive-planning').map((item) => service.completeItem(id, item.id, { by: MANAGER.name })));
      await decideTask(svc.mail, service, (await service.requestAdvance(id, {})).id, APPROVER_1);
      await until(id, 'collaborative action', (v) => v.phase === 'collaborative-action');
    });

    const reviewId = await stage('collaborative action → reflective monitoring (review cadence), review open', async () => {
      const v = await until(id, 'an open review', (x) => x.phase === 'reflective-monitoring' && x.reviews.some((r) => r.status === 'in-progress'));
      return v.reviews.find((r) => r.status === 'in-progress')!.id;
    });

    await stage(`${partners} review answers (${concurrency} at a time)`, async () => {
      const asked = (await service.review(reviewId)).request.partners.length;
      if (asked !== partners) finding(`the review asked ${asked} partners, not ${partners}`);
      await inPool(members, concurrency, async (m, i) => {
        await service.answerReview(reviewId, allianceReviewAnswer(m, i));
      });
    });

    await stage('governance "continue" → cycle 2 in adaptive planning', async () => {
      await completePhase(service, id, 'reflective-monitoring');
      await svc.mail.waitFor(isTaskEmailFor(`${reviewId}.decision`, APPROVER_1.email), 300_000);
      await service.decide(`${reviewId}.decision`, { approverEmail: APPROVER_1.email, decision: 'approve', choice: 'continue' });
      const v = await until(id, 'cycle 2', (x) => x.cycle === 2 && x.phase === 'adaptive-planning');
      const active = v.stakeholders.filter((s) => s.status === 'active').length;
      if (active !== partners) finding(`cycle 2 began with ${active} active partners, not ${partners}`);
      const r = v.reviews.find((x) => x.id === reviewId);
      if (r?.status !== 'decided' || r.answered !== partners) finding(`review ${reviewId} reads ${JSON.stringify({ status: r?.status, answered: r?.answered, asked: r?.asked })}`);
    });
    return { id, ids, reviewId };
  });
  const { id, ids, reviewId } = all.value;
  const mail = svc.mail.messages.slice(mailBefore);

  log('  large: reading histories and the read model');
  const partnershipRuns = await runsOf(svc.client, id);
  const review = await runsOf(svc.client, reviewId);
  const onboardingRuns = await inPool(ids, 4, (s) => runsOf(svc.client, `${id}.partner.${s}`));
  const biggest = onboardingRuns.reduce((a, b) => (total(b, 'bytes') > total(a, 'bytes') ? b : a));

  for (const run of [...partnershipRuns, ...review, ...onboardingRuns.flat()]) {
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
  for await (const wf of svc.client.workflow.list({ query: abnormal })) {
    if (wf.workflowId.startsWith(id)) finding(`${wf.workflowId} (run ${wf.runId}) is ${wf.status.name}`);
  }

  const readModel = await timedReads(svc, `/api/partnerships/${encodeURIComponent(id)}`, 30);
  const withApostrophe = [...members].reverse().find((m) => m.organisation.includes("'"))!;
  const filter = await timedReads(svc, `/api/partnerships?partner=${encodeURIComponent(withApostrophe.organisation)}`, 10);
  const found = (JSON.parse(filter.body) as { partnerships: Array<{ id: string }> }).partnerships.some((x) => x.id === id);
  if (!found) finding(`GET /api/partnerships?partner=${withApostrophe.organisation} does not list ${id}`);

  const approvers = new Set([APPROVER_1.email, APPROVER_2.email]);
  const contacts = new Set(members.map((m) => m.contact.email));
  // Kinds of mail: subjects with the partnership's title, the partners' names and numbers taken out.
  const names = members.map((m) => m.organisation).sort((a, b) => b.length - a.length);
  const bySubject: Record<string, number> = {};
  for (const m of mail) {
    let kind = m.subject.replace(TITLE, '<title>');
    for (const n of names) if (kind.includes(n)) kind = kind.replace(n, '<partner>');
    kind = kind.replace(/\([a-z-]+\) as a partner/, '(<group>) as a partner').replace(/\d+/g, 'N').slice(0, 90);
    bySubject[kind] = (bySubject[kind] ?? 0) + 1;
  }
  const to = (pred: (address: string) => boolean) => mail.filter((m) => m.to.some(pred)).length;
  const emails = {
    total: mail.length,
    perPartner: Math.round((mail.length / partners) * 100) / 100,
    toApprovers: to((a) => approvers.has(a)),
    toMembers: to((a) => contacts.has(a)),
    toManager: to((a) => a === MANAGER.email),
    other: mail.filter((m) => !m.to.some((a) => approvers.has(a) || contacts.has(a) || a === MANAGER.email)).length,
    bySubject,
  };

  return {
    partners,
    concurrency,
    partnershipId: id,
    seconds: Math.round(all.ms / 100) / 10,
    stages,
    partnershipRuns,
    review,
    onboardingFirst: onboardingRuns[0],
    onboardingLargest: biggest,
    onboardings: onboardingRuns.length,
    readModel: { bytes: Buffer.byteLength(readModel.body), latencyMs: readModel.latencyMs },
    partnerFilter: { name: withApostrophe.organisation, found, latencyMs: filter.latencyMs },
    emails,
    findings,
  };
}

function total(runs: RunFigures[], key: 'bytes' | 'events'): number {
  return runs.reduce((a, r) => a + r[key], 0);
}

async function timedReads(svc: LocalService, path: string, times: number): Promise<{ body: string; latencyMs: LatencySummary }> {
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

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const share = (value: number, limit: number) => `${((value / limit) * 100).toFixed(1)} %`;
const largestOf = (runs: RunFigures[], slot: 'largestPayload' | 'largestSearchAttribute') =>
  runs.map((r) => r[slot]).reduce<Largest | undefined>((a, b) => (b && (!a || b.bytes > a.bytes) ? b : a), undefined);

/** The section's printed tables: stages, runs, figures against Temporal's limits, reads and mail, findings. */
export function largeTables(r: LargeResult): string[] {
  const parts: string[] = [];
  parts.push(
    table(`Large: one partnership of ${r.partners} partners through a cycle and into the next (${r.partnershipId}), ${r.seconds.toFixed(0)} s`, ['stage', 'wall s'], r.stages.map((s) => [s.stage, s.seconds])),
  );
  parts.push(
    table('Large: runs of the partnership workflow', ['run', 'events', 'history KiB', 'continue-as-new suggested at event', 'largest payload KiB (event)', 'ended'], r.partnershipRuns.map((run, i) => [
      `${i + 1} ${run.runId.slice(0, 8)}`,
      run.events,
      kib(run.bytes),
      run.continueAsNewSuggestedAtEvent ?? '—',
      run.largestPayload ? `${kib(run.largestPayload.bytes)} (${run.largestPayload.eventId})` : '—',
      run.endedBy,
    ])),
  );
  const L = TEMPORAL_LIMITS;
  const rows: Array<Array<string | number>> = [];
  const workflowRows = (label: string, runs: RunFigures[]) => {
    const events = Math.max(...runs.map((x) => x.events));
    const bytes = Math.max(...runs.map((x) => x.bytes));
    const p = largestOf(runs, 'largestPayload');
    const sa = largestOf(runs, 'largestSearchAttribute');
    rows.push(
      [`${label}: most events in one run (of ${runs.length})`, events, `${L.historyEventsWarn} (warning)`, share(events, L.historyEventsWarn)],
      [`${label}: most history in one run, KiB`, kib(bytes), '10240 (warning)', share(bytes, L.historyBytesWarn)],
      [`${label}: largest payload, KiB — ${p ? `event ${p.eventId}: ${p.what}` : 'none'}`, p ? kib(p.bytes) : '—', '512 warning / 2048 error', p ? share(p.bytes, L.payloadError) : '—'],
      [`${label}: largest search attribute value, bytes — ${sa ? `event ${sa.eventId}: ${sa.what}` : 'none written'}`, sa?.bytes ?? '—', L.searchAttributeValue, sa ? share(sa.bytes, L.searchAttributeValue) : '—'],
    );
  };
  workflowRows('partnership', r.partnershipRuns);
  workflowRows('review', r.review);
  workflowRows('onboarding, first member', r.onboardingFirst);
  workflowRows(`onboarding, largest of ${r.onboardings}`, r.onboardingLargest);
  parts.push(
    table("Large: figures against Temporal's default limits", ['figure', 'value', 'limit', 'of limit'], rows),
    `(largest onboarding: ${r.onboardingLargest[0]?.workflowId}; payloads are a Payloads field of one event, proto-encoded)`,
  );
  const e = r.emails;
  parts.push(
    table('Large: reads and mail', ['figure', 'value'], [
      ['read model GET /api/partnerships/:id, KiB', kib(r.readModel.bytes)],
      [`read model GET p50 / p99, ms (${r.readModel.latencyMs.n} reads)`, `${r.readModel.latencyMs.p50} / ${r.readModel.latencyMs.p99}`],
      [`?partner= "${r.partnerFilter.name}" p50 / p99, ms (${r.partnerFilter.latencyMs.n} reads)`, `${r.partnerFilter.latencyMs.p50} / ${r.partnerFilter.latencyMs.p99}${r.partnerFilter.found ? '' : ' — NOT FOUND'}`],
      ['emails sent, total / per partner', `${e.total} / ${e.perPartner}`],
      ['  to the approvers / the members / the manager / others', `${e.toApprovers} / ${e.toMembers} / ${e.toManager} / ${e.other}`],
      ...Object.entries(e.bySubject)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [`  "${k}"`, v] as [string, number]),
    ]),
  );
  parts.push(
    r.findings.length === 0
      ? '\nLarge: no workflow task failure, abnormal ending, or figure past half of a limit.'
      : `\n!!!! Large: ${r.findings.length} FINDING(S) !!!!\n${r.findings.map((f) => `  !! ${f}`).join('\n')}`,
  );
  return parts;
}
