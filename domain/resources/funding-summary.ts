import {
  approvedChannel,
  pendingChannel,
  totalsByCurrency,
  type ActivityFunding,
  type ChannelProposal,
  type ChannelVersion,
  type Currency,
  type RoadmapActivity,
} from './funding';
import { EMPTY_STRATEGY, type PartnershipState } from '../partnership/state';

/**
 * The partnership's money as its state holds it (guide II.2.B–C): each roadmap
 * activity's financial channels, the activities still without an approved
 * one, and the totals pledged and approved per currency, by source and by
 * partner, that the read model and the MEL reports show.
 */

export function unfundedActivities(state: PartnershipState): RoadmapActivity[] {
  return (state.roadmap ?? []).filter((a) => !approvedChannel(fundingOf(state, a.id)));
}

export function fundingOf(state: PartnershipState, activityId: string): ActivityFunding | undefined {
  return (state.funding ?? []).find((f) => f.activityId === activityId);
}

export interface FundingSummary {
  pledged: Record<string, string>;
  approved: Record<string, string>;
  approvedBySource: Record<string, Record<string, string>>;
  pledgedByPartner: Record<string, Record<string, string>>;
  inKind: Array<{ partnerId: string; type: string; description: string }>;
  /** Per activity: the channel in force, the one under review, and every decided version (approved or rejected, oldest first) for the history. */
  activities: Array<{ id: string; title: string; channel: ChannelVersion | null; pending: ChannelVersion | null; decided: ChannelVersion[] }>;
}

function sourceLabel(p: ChannelProposal): string {
  return p.source.kind === 'organisation' ? p.source.name : p.source.kind === 'partner' ? `partner:${p.source.partnerId}` : `external:${p.source.name}`;
}

export function fundingSummary(state: PartnershipState): FundingSummary {
  const financial = (state.resourceStrategy ?? EMPTY_STRATEGY).pledges.flatMap((p) => (p.type === 'financial' ? [p] : []));
  const approved = (state.roadmap ?? []).flatMap((a) => {
    const c = approvedChannel(fundingOf(state, a.id));
    return c ? [c] : [];
  });
  const group = <T>(items: T[], key: (t: T) => string, money: (t: T) => { amount: string; currency: Currency }) => {
    const keys = [...new Set(items.map(key))].sort();
    return Object.fromEntries(keys.map((k) => [k, totalsByCurrency(items.filter((i) => key(i) === k).map(money))]));
  };
  return {
    pledged: totalsByCurrency(financial),
    approved: totalsByCurrency(approved.map((c) => ({ amount: c.proposal.amount, currency: c.proposal.currency }))),
    approvedBySource: group(approved, (c) => sourceLabel(c.proposal), (c) => ({ amount: c.proposal.amount, currency: c.proposal.currency })),
    pledgedByPartner: group(financial, (p) => p.partnerId, (p) => p),
    inKind: (state.resourceStrategy ?? EMPTY_STRATEGY).pledges.flatMap((p) =>
      p.type === 'financial' ? [] : [{ partnerId: p.partnerId, type: p.type, description: p.description }],
    ),
    activities: (state.roadmap ?? []).map((a) => ({
      id: a.id,
      title: a.title,
      channel: approvedChannel(fundingOf(state, a.id)) ?? null,
      pending: pendingChannel(fundingOf(state, a.id)) ?? null,
      // A channel's decision is recorded with `at` (applyChannelDecision): given here as `decidedAt`, its typed name.
      decided: (fundingOf(state, a.id)?.versions ?? [])
        .filter((v) => v.decidedBy)
        .map((v) => ({ ...v, decidedAt: v.decidedAt ?? (v as ChannelVersion & { at?: string }).at })),
    })),
  };
}
