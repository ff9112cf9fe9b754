import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The benchmark's baseline: the least a Temporal approval can be — a workflow
 * that waits for one Update and returns. Our round trip is compared with it.
 */
export const baselineDecideUpdate = defineUpdate<string, [string]>('decide');

export async function baselineApprovalWorkflow(): Promise<string> {
  let decision: string | undefined;
  setHandler(baselineDecideUpdate, (d) => (decision = d));
  await condition(() => decision !== undefined);
  return decision!;
}
