import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES } from '../../domain/search-attribute-limits';

/**
 * What the large benchmark reads from each run's history, set against
 * Temporal's limits: its events and bytes, how it ended, when the server first
 * suggested continue-as-new, its largest payload and search attribute value,
 * and its workflow task failures. Runs are followed back through
 * continue-as-new from the latest, so no visibility lag is involved.
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

const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const num = (x: unknown) => Number(String(x ?? 0));
const eventTypeName = (e: HistoryEvent) => (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
const millis = (e: HistoryEvent) => num(e.eventTime?.seconds) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !(x instanceof Uint8Array);

/** Bytes as KiB with one decimal, as the findings and tables print them. */
export const kib = (bytes: number) => (bytes / 1024).toFixed(1);

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

/** The sum of one figure over all runs of a workflow id. */
export function totalOf(runs: RunFigures[], key: 'bytes' | 'events'): number {
  return runs.reduce((a, r) => a + r[key], 0);
}
