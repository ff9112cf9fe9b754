/**
 * What the checked-in histories say about each patch, for
 * patch-coverage.test.ts: which patch markers each history holds (the
 * "after" side), and which patch ids today's workflow code asks while it
 * replays each history, with the answer (an ask answered `false` is the
 * "before" side: the history was recorded without the patch, and the code
 * reaches the call).
 *
 * The asks come from replaying every history against a bundle of today's
 * workflows in which `@temporalio/workflow` is test/replay/patch-probe.ts.
 * Markers are read from the history JSON as the TypeScript SDK 1.24 writes
 * them: a `MarkerRecorded` event named `core_patch` whose `patch-data`
 * payload is `{"id": …, "deprecated": …}`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { workflowsPath } from '../../worker/workflow-code';

/** Where the recorded histories live (the replay test reads every file there). */
export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/** One checked-in history, as far as patches go. */
export interface HistoryPatches {
  file: string;
  workflowType: string;
  /** Patch ids whose marker the history holds. */
  markers: Set<string>;
}

interface HistoryEventJson {
  eventType?: string;
  workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
  markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> };
}

/** The JSON of test/histories/<file>. */
export function readHistoryJson(file: string): { events: HistoryEventJson[] } {
  return JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as { events: HistoryEventJson[] };
}

/** Every checked-in history, with its workflow type and patch markers. */
export function checkedInHistories(): HistoryPatches[] {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const { events } = readHistoryJson(file);
      const markers = new Set<string>();
      for (const e of events) {
        const m = e.markerRecordedEventAttributes;
        if (m?.markerName !== 'core_patch') continue;
        const data = m.details?.['patch-data']?.payloads?.[0]?.data;
        if (data) markers.add((JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id);
      }
      return { file, workflowType: events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '?', markers };
    });
}

/** For one history: each patch id the code asked while replaying it, and the answer (true once any ask said true). */
export type Asks = Map<string, boolean>;

/** Replays each named history against today's workflows with the probe in place; returns what each asked. */
export async function patchAsks(files: string[]): Promise<Map<string, Asks>> {
  const probe = require.resolve('./patch-probe');
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: workflowsPath(),
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as Record<string, string | false>), '@temporalio/workflow$': probe } },
    }),
  });
  const result = new Map<string, Asks>();
  for (const file of files) {
    const asks: Asks = new Map();
    const history = historyFromJSON(readHistoryJson(file));
    await Worker.runReplayHistory(
      {
        workflowBundle,
        replayName: `probe-${file}`,
        sinks: {
          patchProbe: {
            asked: {
              fn: (_info, ...args: unknown[]) => {
                const [patchId, answer] = args as [string, boolean];
                asks.set(patchId, (asks.get(patchId) ?? false) || answer);
              },
              callDuringReplay: true,
            },
          },
        },
      },
      history,
      file,
    );
    result.set(file, asks);
  }
  return result;
}
