import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { carryOver } from '../../domain/partnership/carry-over';
import { initialState } from '../../domain/partnership/state';
import { applyPartnerStatus, upsertStakeholder } from '../../domain/partners/partner-map';
import { partnershipWorkflowId } from '../../domain/names';
import type { StakeholderGroup } from '../../domain/partners/stakeholders';
import { TREND_REVIEWS } from '../../domain/reviews/partnership-reviews';
import type { CreatePartnershipRequest } from '../../domain/partnership/schemas';
import { partnershipWorkflow } from '../../workflows/partnership/partnership';
import { FAST_TIMINGS, partnershipInput } from './fixtures';
import { stakeholderInput } from './partners';
import type { Stack } from './stack';

/**
 * Starts a partnership already in reflective monitoring with its checklist
 * done — the state a run carries into its next run — so a test reaches a
 * review or the exit decision in a second instead of onboarding partners
 * through three phases. `active` are partners already (their focal points
 * answer reviews); `mapped` are on the map, ready to be invited.
 *
 * @returns the partnership's workflow id
 */
export async function startInMonitoring(
  stack: Stack,
  stakeholders: { active: Array<[string, StakeholderGroup]>; mapped?: Array<[string, StakeholderGroup]> },
  timings: CreatePartnershipRequest['timings'] = FAST_TIMINGS,
): Promise<string> {
  const input = partnershipInput({ timings });
  const id = partnershipWorkflowId(input.slug!);
  const now = new Date().toISOString();
  const state = initialState(id, input, now);
  Object.assign(state, { phase: 'reflective-monitoring', phaseEnteredAt: now });
  state.completions = itemsOfPhase('reflective-monitoring').map((i) => ({ itemId: i.id, by: 'Mona', at: now }));
  for (const [organisation, group] of [...stakeholders.active, ...(stakeholders.mapped ?? [])]) {
    const { id: sid } = upsertStakeholder(state, stakeholderInput(organisation, group), now);
    if (stakeholders.active.some(([o]) => o === organisation)) applyPartnerStatus(state, sid, 'active', now);
  }
  await stack.env.client.workflow.start(partnershipWorkflow, { taskQueue: stack.taskQueue, workflowId: id, args: [{ id, input, carried: carryOver(state, TREND_REVIEWS) }] });
  return id;
}
