/**
 * Workflow-side stand-in for `@temporalio/workflow`, bundled only by
 * test/replay/patch-asks.ts: everything is the SDK's own, except that
 * `patched()` and `deprecatePatch()` also tell the replaying worker (a sink
 * called during replay) which id was asked and what it answered. That is how
 * the coverage test knows a history recorded WITHOUT a patch's marker still
 * reaches the `patched()` call, the "before" side of the patch.
 *
 * Determinism is untouched: a sink call is no command, and the answer is the
 * SDK's.
 */
// The real module, by its file path: the bundle's alias maps only the bare name `@temporalio/workflow` here.
export * from '@temporalio/workflow/lib/index';
import { deprecatePatch as sdkDeprecatePatch, patched as sdkPatched, proxySinks, type Sinks } from '@temporalio/workflow/lib/index';

/** What the probe reports: one call per ask, with the answer `patched()` gave (true for `deprecatePatch`). */
export interface PatchProbeSinks extends Sinks {
  patchProbe: { asked(patchId: string, answer: boolean): void };
}

const { patchProbe } = proxySinks<PatchProbeSinks>();

export function patched(patchId: string): boolean {
  const answer = sdkPatched(patchId);
  patchProbe.asked(patchId, answer);
  return answer;
}

export function deprecatePatch(patchId: string): void {
  sdkDeprecatePatch(patchId);
  patchProbe.asked(patchId, true);
}
