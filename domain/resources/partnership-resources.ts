import { RuleError } from '../rule-error';
import { said } from '../said';
import { bumpVersion, checkVersion, type ExpectedVersion, requireVersion } from '../versions';
import type { ResourceStrategy, RoadmapActivityInput } from './schemas';
import { type ChannelProposal, type ChannelVersion, checkDisbursements, fiduciaryAgentFor, type FiduciaryRule, pendingChannel, type RoadmapActivity } from './funding';
import { assertOpen, type PartnershipState } from '../partnership/state';
import { fundingOf } from './funding-summary';

export { type ExpectedVersion, type VersionedRecord, checkVersion, versionOf } from '../versions';

/**
 * The partnership's resources: roadmap activities, resource strategy, fiduciary rule and funding channels, with their versions (guide II.2.B/C "resources"). Pure functions on `PartnershipState`, which the partnership workflow calls from its Updates.
 */

/** The part a partner plays where it must be active, as `refusals:partnerRole.<role>`. */
type PartnerRole = 'leadPartner' | 'participatingPartner' | 'fundingPartner' | 'fiduciaryAgent';

/** @throws RuleError Invalid `refusals:resource.notStakeholder` | `refusals:resource.notActive` {role, id} (details: role, id, status) */
function assertActivePartner(state: PartnershipState, id: string, role: PartnerRole): void {
  const s = state.stakeholders.find((x) => x.id === id);
  if (!s) throw new RuleError('Invalid', said(`refusals:resource.notStakeholder.${role}`, { id }), { role, id });
  if (s.status !== 'active') throw new RuleError('Invalid', said(`refusals:resource.notActive.${role}`, { id }), { role, id, status: s.status });
}

export function checkUpsertActivity(state: PartnershipState, input: RoadmapActivityInput & ExpectedVersion): void {
  assertOpen(state);
  checkVersion(state, `activity:${input.id}`, input.expectedVersion);
  assertActivePartner(state, input.leadPartner, 'leadPartner');
  for (const p of input.participatingPartners) assertActivePartner(state, p, 'participatingPartner');
  for (const o of input.objectives ?? []) {
    if (!(state.objectives ?? []).some((x) => x.id === o)) throw new RuleError('Invalid', said('refusals:objective.unknown', { id: o }), { objective: o });
  }
}

/**
 * The Update's validator: what `upsertActivity` refuses, and a change to an
 * activity already on the roadmap that names no version (see `requireVersion`).
 * A new activity needs none.
 */
export function validateUpsertActivity(state: PartnershipState, input: RoadmapActivityInput & ExpectedVersion): void {
  if (state.roadmap.some((a) => a.id === input.id)) requireVersion(`activity:${input.id}`, input.expectedVersion);
  checkUpsertActivity(state, input);
}

export function upsertActivity(state: PartnershipState, input: RoadmapActivityInput & ExpectedVersion): RoadmapActivity & { version: number } {
  const { expectedVersion: _expected, ...fields } = input;
  checkUpsertActivity(state, fields);
  const activity: RoadmapActivity = { ...fields };
  const i = state.roadmap.findIndex((a) => a.id === input.id);
  if (i >= 0) state.roadmap[i] = activity;
  else state.roadmap.push(activity);
  return { ...activity, version: bumpVersion(state, `activity:${activity.id}`) };
}

export function checkResourceStrategy(state: PartnershipState, strategy: ResourceStrategy & ExpectedVersion): void {
  assertOpen(state);
  checkVersion(state, 'resource-strategy', strategy.expectedVersion);
  for (const p of strategy.pledges) {
    if (!state.stakeholders.some((s) => s.id === p.partnerId)) {
      throw new RuleError('Invalid', said('refusals:resource.pledgeNotStakeholder', { id: p.partnerId }));
    }
  }
}

/** The Update's validator: what `setResourceStrategy` refuses, and a write that names no version. */
export function validateResourceStrategy(state: PartnershipState, input: ResourceStrategy & ExpectedVersion): void {
  requireVersion('resource-strategy', input.expectedVersion);
  checkResourceStrategy(state, input);
}

export function setResourceStrategy(state: PartnershipState, input: ResourceStrategy & ExpectedVersion): ResourceStrategy & { version: number } {
  const { expectedVersion: _expected, ...strategy } = input;
  checkResourceStrategy(state, strategy);
  state.resourceStrategy = strategy;
  return { ...strategy, version: bumpVersion(state, 'resource-strategy') };
}

export function checkFiduciaryRule(state: PartnershipState, expectedVersion: number | undefined): void {
  assertOpen(state);
  checkVersion(state, 'fiduciary-rule', expectedVersion);
}

/** The Update's validator: what `checkFiduciaryRule` refuses, and a write that names no version. */
export function validateFiduciaryRule(state: PartnershipState, expectedVersion: number | undefined): void {
  requireVersion('fiduciary-rule', expectedVersion);
  checkFiduciaryRule(state, expectedVersion);
}

export function setFiduciaryRule(state: PartnershipState, rule: FiduciaryRule): { rule: FiduciaryRule; version: number } {
  assertOpen(state);
  state.fiduciaryRule = rule;
  return { rule, version: bumpVersion(state, 'fiduciary-rule') };
}
/**
 * Checks a channel proposal and names the fiduciary agent it would have.
 * @throws RuleError NotFound `refusals:activity.notFound` | Conflict `refusals:channel.underReview` | `refusals:funding.noCorePartner`, Invalid as `assertActivePartner`, `checkDisbursements`
 */
export function checkProposeChannel(state: PartnershipState, activityId: string, proposal: ChannelProposal): string {
  assertOpen(state);
  const activity = state.roadmap.find((a) => a.id === activityId);
  if (!activity) throw new RuleError('NotFound', said('refusals:activity.notFound', { id: activityId }));
  const pending = pendingChannel(fundingOf(state, activityId));
  if (pending) throw new RuleError('Conflict', said('refusals:channel.underReview', { activity: activityId, version: pending.version }));
  if (proposal.source.kind === 'partner') assertActivePartner(state, proposal.source.partnerId, 'fundingPartner');
  checkDisbursements(proposal);
  const agent = fiduciaryAgentFor(state.fiduciaryRule, activity, state.stakeholders, state.cycle);
  assertActivePartner(state, agent, 'fiduciaryAgent');
  return agent;
}

export function proposeChannel(state: PartnershipState, activityId: string, proposal: ChannelProposal, by: string, now: string): ChannelVersion {
  const agent = checkProposeChannel(state, activityId, proposal);
  let f = fundingOf(state, activityId);
  if (!f) {
    f = { activityId, versions: [] };
    state.funding.push(f);
  }
  const version = f.versions.length + 1;
  const v: ChannelVersion = {
    version,
    channelId: `${state.id}.funding.${activityId}.v${version}`,
    proposal,
    fiduciaryAgent: agent,
    status: 'in-review',
    proposedBy: by,
    proposedAt: now,
  };
  f.versions.push(v);
  return v;
}

export function applyChannelDecision(
  state: PartnershipState,
  activityId: string,
  version: number,
  d: { status: 'approved' | 'rejected'; decidedBy: string; at: string; comment?: string; documentId?: string },
): void {
  const v = fundingOf(state, activityId)?.versions.find((x) => x.version === version);
  if (!v || v.status !== 'in-review') return;
  Object.assign(v, d);
}
