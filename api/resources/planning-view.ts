import type { ChannelVersion } from '../../domain/resources/funding';
import { SMART_CRITERIA, smartProblem, type SmartObjective } from '../../domain/resources/objectives';
import { actorDisplay } from '../../domain/actor';
import type { PartnershipReadModel } from '../partnership/service';
import type { PageLocale } from '../console/locale';

/**
 * What the adaptive-planning pages show (guide II.2.B), from the read model
 * alone, in the reader's language: the "Planning" panel of the partnership
 * page, and the lists of objectives, activities and channels. Amounts are
 * shown per currency, never added across currencies.
 */
export type Partnership = PartnershipReadModel;

const base = (p: Partnership) => `/console/partnerships/${encodeURIComponent(p.id)}`;

export const organisationOf = (p: Partnership) => (id: string) => p.stakeholders.find((s) => s.id === id)?.organisation ?? id;

/** Active partners, the only ones who may lead, contribute to or fund an activity. */
export const activePartners = (p: Partnership) => p.stakeholders.filter((s) => s.status === 'active').map((s) => ({ id: s.id, label: s.organisation }));

/** The steps of adaptive planning, in the order a manager meets them, each with what is there so far. */
export function planningSteps(p: Partnership, { t, fmt }: PageLocale) {
  const objectives = p.objectives ?? [];
  const pilots = p.roadmap.filter((a) => a.pilot).length;
  const funded = p.funding.activities.filter((a) => a.channel).length;
  const inReview = p.funding.activities.filter((a) => a.pending).length;
  const pledged = Object.entries(p.funding.pledged).map(([currency, amount]) => fmt.money(amount, currency));
  const strategy = p.resourceStrategy;
  const recorded = strategy.pledges.length + strategy.ownSources.length + strategy.externalPartners.length;
  return [
    { id: 'objectives', href: `${base(p)}/objectives`, title: t('planning.panel.objectives'), status: objectives.length ? t('planning.panel.objectivesCount', { count: objectives.length }) : t('planning.panel.noneYet'), done: objectives.length > 0 },
    {
      id: 'roadmap',
      href: `${base(p)}/roadmap`,
      title: t('planning.panel.roadmap'),
      status: p.roadmap.length ? `${t('planning.panel.activitiesCount', { count: p.roadmap.length })}${pilots ? `, ${t('planning.panel.pilotsCount', { count: pilots })}` : ''}` : t('planning.panel.noneYet'),
      done: p.roadmap.length > 0,
    },
    {
      id: 'resource-strategy',
      href: `${base(p)}/resource-strategy`,
      title: t('planning.panel.strategy'),
      status: recorded ? (pledged.length ? t('planning.panel.pledged', { amounts: pledged.join(' · ') }) : t('planning.panel.entries', { count: recorded })) : t('planning.panel.noneYet'),
      done: recorded > 0,
    },
    { id: 'fiduciary-rule', href: `${base(p)}/fiduciary-rule`, title: t('planning.panel.fiduciary'), status: t(`fiduciaryRule.${p.fiduciaryRule}`), done: (p.versions['fiduciary-rule'] ?? 0) > 0 },
    {
      id: 'channels',
      href: `${base(p)}/channels`,
      title: t('planning.panel.channels'),
      status: p.roadmap.length
        ? `${t('planning.panel.channelsApproved', { funded, count: p.roadmap.length })}${inReview ? `, ${t('planning.panel.channelsInReview', { count: inReview })}` : ''}`
        : t('planning.panel.channelsNeedActivity'),
      done: p.roadmap.length > 0 && funded === p.roadmap.length,
    },
  ];
}

/** Each objective with its SMART check: the five letters, each met or not (a criterion refused by the rule, or the date passed since). */
export function objectiveRows(p: Partnership, { t, fmt }: PageLocale, today: string) {
  return (p.objectives ?? []).map((o: SmartObjective) => {
    const problem = smartProblem(o, today, true);
    return {
      ...o,
      date: fmt.date(o.date),
      version: p.versions[`objective:${o.id}`] ?? 0,
      smart: SMART_CRITERIA.map((c) => ({ id: c, label: t(`planning.smart.${c}`), met: problem?.criterion !== c })),
      servedBy: p.roadmap.filter((a) => a.objectives?.includes(o.id)).map((a) => a.title),
    };
  });
}

const channelLine = (p: Partnership, { t, fmt }: PageLocale, c: ChannelVersion) => {
  const organisation = organisationOf(p);
  const source = c.proposal.source.kind === 'partner' ? organisation(c.proposal.source.partnerId) : c.proposal.source.name;
  return {
    version: c.version,
    status: c.status,
    statusLabel: t(`channel.${c.status}`),
    amount: fmt.money(c.proposal.amount, c.proposal.currency),
    source,
    agent: organisation(c.fiduciaryAgent),
    proposedBy: actorDisplay(c.proposedBy, false),
    proposedAt: fmt.dateTime(c.proposedAt),
    decidedBy: c.decidedBy ? actorDisplay(c.decidedBy, false) : '',
    // The channel's decision is stored as `at` (FundingChannelResult), `decidedAt` by older code.
    decidedAt: fmt.dateTime(c.decidedAt ?? (c as { at?: string }).at),
    comment: c.comment,
  };
};

/** The roadmap's activities as the roadmap and channel pages show them. */
export function activityRows(p: Partnership, locale: PageLocale) {
  const { fmt } = locale;
  const organisation = organisationOf(p);
  return p.roadmap.map((a) => {
    const funding = p.funding.activities.find((f) => f.id === a.id);
    const approved = funding?.channel ?? null;
    const pending = funding?.pending ?? null;
    return {
      id: a.id,
      title: a.title,
      pilot: Boolean(a.pilot),
      lead: organisation(a.leadPartner),
      contributors: a.participatingPartners.map(organisation),
      start: fmt.date(a.start),
      end: fmt.date(a.end),
      targets: a.targets.map((x) => ({ ...x, date: fmt.date(x.date) })),
      objectives: (a.objectives ?? []).map((id) => (p.objectives ?? []).find((o) => o.id === id)?.statement ?? id),
      version: p.versions[`activity:${a.id}`] ?? 0,
      channel: approved && channelLine(p, locale, approved),
      pending: pending && channelLine(p, locale, pending),
      canPropose: !pending,
    };
  });
}

