import { table } from '../stats';
import { kib, TEMPORAL_LIMITS, type Largest, type RunFigures } from './histories';
import type { LargeResult } from './scenario';

/**
 * How `npm run bench` prints the large section: its stages, the runs of the
 * partnership workflow, each workflow's figures against Temporal's default
 * limits, reads and mail, and the findings.
 */

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
