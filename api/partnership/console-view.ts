/** The view model of a partnership's console page (`/console/partnerships/:id`): phases, checklist, stakeholders, planning, documents, in the reader's words. */
import { actorDisplay } from '../../domain/actor';
import { catalogueItem } from '../../domain/partnership/catalogue';
import { DIMENSIONS, PHASES, nextPhase, type PhaseId } from '../../domain/partnership/phases';
import type { OnboardingStep } from '../../domain/partners/onboarding-state';
import { COUNTED_GROUPS, MIN_COUNTED_GROUPS, MIN_PARTNERS, STAKEHOLDER_GROUPS, canInvite, type Stakeholder } from '../../domain/partners/stakeholders';
import type { ChannelVersion } from '../../domain/resources/funding';
import { guideCitation, itemTitle } from '../../infra/i18n/checklist';
import type { PartnershipReadModel } from './service';
import { label } from '../console/labels';
import { itemPage } from '../console/item-pages';
import { planningSteps } from '../resources/planning-view';
import type { PageLocale } from '../console/locale';
import type { Language } from '../../domain/language';
import { say } from '../../infra/i18n/said';
import { substancePanel } from './sections-console';

/** The colour of a status tag. */
export const statusKind = (status: string | null | undefined) =>
  ({ active: 'green', 'awaiting-approval': 'yellow', closed: 'grey' } as Record<string, string>)[status ?? ''] ?? 'red';

/**
 * Checklist items by id, grouped under their dimension in the catalogue's
 * order, each titled in the reader's language: what "ask to advance" says is
 * missing. Unknown ids are listed as they are, under no heading.
 */
export function missingByDimension(locale: PageLocale, ids: readonly string[]): Array<{ heading: string; items: Array<{ id: string; title: string }> }> {
  const items = ids.map((id) => ({ id, item: catalogueItem(id) }));
  const groups = DIMENSIONS.map((d) => ({
    heading: label(locale.t, 'dimension', d.id),
    items: items.filter((i) => i.item?.dimension === d.id).map((i) => ({ id: i.id, title: itemTitle(locale.language, i.item!) })),
  }));
  const unknown = items.filter((i) => !i.item).map((i) => ({ id: i.id, title: i.id }));
  return [...groups, ...(unknown.length ? [{ heading: '', items: unknown }] : [])].filter((g) => g.items.length > 0);
}

/**
 * Everything the one-partnership page shows, from the read model alone
 * (`GET /api/partnerships/:id`), in the reader's language and time zone.
 * `onboardingSteps` gives the step of each invited stakeholder's onboarding,
 * by stakeholder id, where it could be read.
 */
/** Why the stakeholder's last change happened, in the reader's language (a code the onboarding wrote, or what a person wrote). */
function lastReason(s: Stakeholder, language: Language): string | undefined {
  const reason = [...s.history].reverse().find((h) => h.reason)?.reason;
  return reason ? say(language, reason) : undefined;
}

export function partnershipPage(p: PartnershipReadModel, locale: PageLocale, onboardingSteps: ReadonlyMap<string, OnboardingStep>) {
  const { t, fmt, language } = locale;
  const phaseIndex = PHASES.findIndex((x) => x.id === p.phase);
  const current = p.checklist.filter((c) => c.phase === p.phase);
  const canAct = p.status !== 'closed' && !p.ended;
  const target = nextPhase(p.phase as PhaseId);
  const organisation = (id: string) => p.stakeholders.find((s) => s.id === id)?.organisation ?? id;
  const money = (totals: Record<string, string>) => Object.entries(totals).map(([currency, amount]) => fmt.money(amount, currency));
  const source = (c: ChannelVersion) =>
    c.proposal.source.kind === 'organisation'
      ? c.proposal.source.name
      : c.proposal.source.kind === 'partner'
        ? organisation(c.proposal.source.partnerId)
        : c.proposal.source.name;
  const sourceKey = (key: string) => (key.startsWith('partner:') ? organisation(key.slice(8)) : key.startsWith('external:') ? key.slice(9) : key);
  const channel = (c: ChannelVersion | null) =>
    c && {
      amount: fmt.money(c.proposal.amount, c.proposal.currency),
      source: source(c),
      agent: organisation(c.fiduciaryAgent),
      status: t(`channel.${c.status}`),
      proposedBy: actorDisplay(c.proposedBy, false),
      document: c.documentId ? documentLinks(p.id, c.documentId) : undefined,
    };
  const stakeholder = (s: Stakeholder) => ({
    ...s,
    statusLabel: label(t, 'partnerStatus', s.status),
    step: s.status === 'invited' && onboardingSteps.get(s.id) ? t(`onboardingStep.${onboardingSteps.get(s.id)}`) : '',
    canInvite: canAct && canInvite(s),
    canWithdraw: canAct && (s.status === 'invited' || s.status === 'active'),
    lastReason: lastReason(s, language),
  });
  const reviewsByNumber = new Map(p.reviews.map((r) => [r.number, r]));
  const activePartners = p.multiStakeholder.activePartners;
  return {
    canAct,
    statusLabel: label(t, 'status', p.status),
    statusKind: statusKind(p.status),
    roleLabel: label(t, 'role', p.organisationRole),
    driverLabels: p.drivers.map((d) => label(t, 'driver', d)),
    phaseLabel: label(t, 'phase', p.phase),
    nextPhaseLabel: target ? label(t, 'phase', target) : undefined,
    monitoredBy: t(`monitoredBy.${p.monitoredBy}`),
    stepper: PHASES.map((ph, i) => {
      const state = p.status === 'closed' ? 'done' : i < phaseIndex ? 'done' : i === phaseIndex ? 'current' : 'upcoming';
      return { label: label(t, 'phase', ph.id), guideRef: ph.guideRef, state, stateText: t(`step.${state}`) };
    }),
    dimensions: DIMENSIONS.map((d) => {
      const items = current.filter((c) => c.dimension === d.id);
      return {
        id: d.id,
        label: label(t, 'dimension', d.id),
        done: items.filter((i) => i.done).length,
        items: items.map((i) => ({
          id: i.id,
          done: i.done,
          note: i.note,
          title: itemTitle(language, i),
          guide: guideCitation(language, i.guideRef),
          // The capability's summary is English data from the domain; other languages show the tick alone.
          shows: language === 'en' ? i.shows?.summary : undefined,
          doneBy: i.doneBy ? actorDisplay(i.doneBy, false) : '',
          // Where the data this item depends on is entered (api/console/item-pages.ts).
          page: itemPage(t, p.id, i),
          doneAt: fmt.dateTime(i.doneAt),
        })),
      };
    }).filter((d) => d.items.length > 0),
    missing: missingByDimension(locale, current.filter((c) => !c.done).map((c) => c.id)),
    missingCount: current.filter((c) => !c.done).length,
    tasks: p.pendingTasks.map((task) => {
      const events = task.approval?.events ?? [];
      return {
        what: task.kind === 'advance' && task.toPhase
          ? t('tasks.moveTo', { phase: label(t, 'phase', task.toPhase) })
          : task.proposedDecision
            ? t('tasks.reviewDecisionFor', { decision: t(`decision.${task.proposedDecision}`) })
            : t('tasks.reviewDecision'),
        requestedBy: actorDisplay(task.requestedBy),
        since: fmt.dateTime(task.approval?.startedAt ?? task.requestedAt),
        // Each name and email isolated on its own in the page, so an Arabic name keeps its place in a left-to-right line.
        assignees: (task.approval?.assignees ?? p.approvers.slice(0, 1)).map((a) => ({ name: a.name, email: a.email })),
        reminders: events.filter((e) => e.type === 'reminded').length,
        escalations: events.filter((e) => e.type === 'escalated').length,
        deadline: fmt.dateTime(task.approval?.deadlineAt),
        notes: task.notes,
      };
    }),
    decisions: [...p.decisions].reverse().map((d) => ({
      what: d.toPhase
        ? t('decisions.move', { from: label(t, 'phase', d.fromPhase), to: label(t, 'phase', d.toPhase) })
        : t('decisions.close', { from: label(t, 'phase', d.fromPhase) }),
      outcome: t(`decisions.${d.outcome}`),
      decision: d.proposedDecision ? t(`decision.${d.proposedDecision}`) : '',
      by: actorDisplay(d.by),
      at: fmt.dateTime(d.at),
      comment: d.comment,
      // Hand-overs before the decision, as the audit keeps them ("Name <email>"), shown as the console writes people.
      handovers: (d.handovers ?? []).map((h) => ({
        line: t(h.kind === 'out-of-office' ? 'history.handoverAway' : 'history.handover', {
          from: h.from.replace(/ <([^<>]+)>$/, ' ($1)'),
          to: h.to.replace(/ <([^<>]+)>$/, ' ($1)'),
          at: fmt.dateTime(h.at),
        }),
        reason: h.reason,
      })),
    })),
    documents: p.documents.map((d) => ({ ...d, phaseLabel: label(t, 'phase', d.phase), ...documentLinks(p.id, d.id) })),
    stakeholderGroups: STAKEHOLDER_GROUPS.map((g) => ({
      label: label(t, 'group', g),
      stakeholders: p.stakeholders.filter((s) => s.group === g).map(stakeholder),
    })).filter((g) => g.stakeholders.length > 0),
    rule: {
      met: p.multiStakeholder.met,
      activePartners,
      countedGroups: p.multiStakeholder.countedGroups.map((g) => label(t, 'group', g)),
      morePartners: Math.max(0, MIN_PARTNERS - activePartners),
      moreGroups: Math.max(0, MIN_COUNTED_GROUPS - p.multiStakeholder.countedGroups.length),
      groupsThatCount: COUNTED_GROUPS.map((g) => label(t, 'group', g)).join(', '),
    },
    roadmap: p.roadmap.map((a) => {
      const funding = p.funding.activities.find((f) => f.id === a.id);
      return {
        id: a.id,
        title: a.title,
        pilot: Boolean(a.pilot),
        lead: organisation(a.leadPartner),
        participants: a.participatingPartners.map(organisation),
        start: fmt.date(a.start),
        end: fmt.date(a.end),
        targets: a.targets.map((x) => ({ ...x, date: fmt.date(x.date) })),
        channel: channel(funding?.channel ?? null),
        pending: channel(funding?.pending ?? null),
      };
    }),
    funding: {
      fiduciaryRule: t(`fiduciaryRule.${p.fiduciaryRule}`),
      pledged: money(p.funding.pledged),
      approved: money(p.funding.approved),
      bySource: Object.entries(p.funding.approvedBySource).map(([key, totals]) => ({ source: sourceKey(key), amounts: money(totals) })),
      byPartner: Object.entries(p.funding.pledgedByPartner).map(([id, totals]) => ({ partner: organisation(id), amounts: money(totals) })),
      inKind: p.funding.inKind.map((k) => ({ partner: organisation(k.partnerId), type: k.type, description: k.description })),
    },
    reviews: [...p.reviews].reverse().map((r) => ({
      number: r.number,
      cycle: r.cycle,
      startedAt: fmt.dateTime(r.startedAt),
      startedBy: actorDisplay(r.startedBy, false),
      status: t(`reviewStatus.${r.status}`),
      answered: r.answered,
      asked: r.asked,
      report: r.reportId ? documentLinks(p.id, r.reportId) : undefined,
      decision: r.decision && { decision: t(`decision.${r.decision.decision}`), notes: r.decision.notes, by: actorDisplay(r.decision.by), at: fmt.dateTime(r.decision.at) },
    })),
    indicators: p.roadmap.flatMap((a) =>
      a.targets.map((x, i) => {
        const target = Number(x.target);
        const points = p.indicatorSeries.filter((s) => s.key === `${a.id}/${i}`);
        return {
          activity: a.title,
          indicator: x.indicator,
          target: x.target,
          unit: x.unit,
          date: fmt.date(x.date),
          points: points.map((s) => ({
            review: s.reviewNumber,
            reviewedAt: fmt.date(reviewsByNumber.get(s.reviewNumber)?.startedAt ?? s.at),
            partner: organisation(s.partnerId),
            value: s.value,
            // A bar against the target (a <meter>), when both are numbers.
            max: Number.isFinite(target) && target > 0 ? Math.max(target, Number(s.value) || 0) : undefined,
            numeric: Number(s.value),
          })),
        };
      }),
    ),
    // The first entry's reason is the workflow's own words ("role at the start"): said in the reader's language.
    roleHistory: [...p.roleHistory].reverse().map((r, i, all) => ({
      role: label(t, 'role', r.role),
      by: actorDisplay(r.by),
      at: fmt.dateTime(r.at),
      reason: i === all.length - 1 && r.reason === 'role at the start' ? t('role.atStart') : r.reason,
    })),
    reflective: p.phase === 'reflective-monitoring' && canAct && p.status === 'active',
    // The partnership's written sections (api/partnership/sections-console.ts).
    substance: substancePanel(p, locale),
    planning: planningSteps(p, locale),
  };
}

/** Where a document of this partnership opens in the console: as a web page and as a PDF. */
export function documentLinks(partnershipId: string, documentId: string): { html: string; pdf: string } {
  const base = `/console/partnerships/${partnershipId}/documents/${encodeURIComponent(documentId)}`;
  return { html: `${base}?format=html`, pdf: base };
}
