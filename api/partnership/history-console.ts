import { Router } from 'express';
import { actorDisplay } from '../../domain/actor';
import type { OnboardingState } from '../../domain/partners/onboarding-state';
import type { PartnerApproval } from '../../domain/partners/stakeholders';
import type { PartnershipReadModel } from './service';
import type { PartnersService } from '../partners/service';
import type { ConsoleKit } from '../console/kit';
import { label } from '../console/labels';
import { pageLocale, type PageLocale } from '../console/locale';
import { say } from '../../infra/i18n/said';

/** The kinds of entry the history lists, each with its own tag. */
export const HISTORY_KINDS = ['gate', 'review', 'partner', 'channel', 'role', 'section', 'progress'] as const;
type HistoryKind = (typeof HISTORY_KINDS)[number];

interface HistoryEntry {
  kind: HistoryKind;
  at: string;
  /** What was decided or done, in the reader's words. */
  what: string;
  /** Who took the decision, as people read it ('' when the record names nobody). */
  by: string;
  comment?: string;
  details: string[];
}

/** `Name <email>` (how approvals record people) as the console writes people: `Name (email)`. */
const person = (by: string | null | undefined) => (by ? actorDisplay(by).replace(/ <([^<>]+)>$/, ' ($1)') : '');

/**
 * Partner approvals the partnership was not told of: decided in onboardings
 * that ran before they reported their approval (patch `partner-approval-reported`),
 * read from each stakeholder's current onboarding. A failed read adds nothing.
 */
async function unreportedApprovals(p: PartnershipReadModel, service: Pick<PartnersService, 'onboarding'>): Promise<Array<{ stakeholderId: string; approval: PartnerApproval }>> {
  const missing = p.stakeholders.filter((s) => s.onboardingId && !(s.approvals ?? []).some((a) => a.onboardingId === s.onboardingId));
  const found = await Promise.all(
    missing.map(async (s) => {
      const state: OnboardingState | undefined = await service.onboarding(s.onboardingId!).catch(() => undefined);
      const d = state?.approval;
      if (!d) return [];
      const approval: PartnerApproval = { onboardingId: s.onboardingId!, outcome: d.outcome, by: d.by ? `${d.by.name} <${d.by.email}>` : null, at: d.at, ...(d.comment ? { comment: d.comment } : {}) };
      return [{ stakeholderId: s.id, approval }];
    }),
  );
  return found.flat();
}

/**
 * Everything the partnership decided and recorded, newest first, each with
 * the person who took it and when (in the reader's language and time zone):
 * phase gates and review decisions, partners' approvals and outcomes,
 * financial channels' approvals, the organisation's role, the written
 * sections and the activities' progress.
 */
export function historyEntries(p: PartnershipReadModel, locale: PageLocale, extraApprovals: ReadonlyArray<{ stakeholderId: string; approval: PartnerApproval }> = []): HistoryEntry[] {
  const { t, fmt } = locale;
  const phase = (id: string | null | undefined) => label(t, 'phase', id);
  const organisation = (id: string) => p.stakeholders.find((s) => s.id === id)?.organisation ?? id;
  const entries: HistoryEntry[] = [];

  for (const d of p.decisions) {
    const isReview = d.kind !== 'advance';
    const what = d.kind === 'scheduled-review'
      ? t('historyPage.scheduledReview', { from: phase(d.fromPhase), to: phase(d.toPhase) })
      : d.proposedDecision
        ? t('historyPage.reviewDecision', { decision: t(`decision.${d.proposedDecision}`), outcome: t(`decisions.${d.outcome}`) })
        : d.toPhase
          ? t('historyPage.gate', { from: phase(d.fromPhase), to: phase(d.toPhase), outcome: t(`decisions.${d.outcome}`) })
          : t('historyPage.close', { from: phase(d.fromPhase), outcome: t(`decisions.${d.outcome}`) });
    entries.push({
      kind: isReview ? 'review' : 'gate',
      at: d.at,
      what,
      by: d.kind === 'scheduled-review' ? t('historyPage.cadence') : person(d.by),
      ...(d.comment ? { comment: d.comment } : {}),
      details: [t('historyPage.cycle', { cycle: d.cycle }), ...(d.handovers ?? []).map((h) => t(h.kind === 'out-of-office' ? 'history.handoverAway' : 'history.handover', { from: person(h.from), to: person(h.to), at: fmt.dateTime(h.at) }))],
    });
  }
  for (const r of p.reviews) {
    if (!r.decision) continue;
    entries.push({
      kind: 'review',
      at: r.decision.at,
      what: t('historyPage.governanceDecision', { number: r.number, decision: t(`decision.${r.decision.decision}`) }),
      by: person(r.decision.by),
      ...(r.decision.notes ? { comment: r.decision.notes } : {}),
      details: [],
    });
  }
  const approvals = [
    ...p.stakeholders.flatMap((s) => (s.approvals ?? []).map((approval) => ({ stakeholderId: s.id, approval }))),
    ...extraApprovals,
  ];
  for (const { stakeholderId, approval } of approvals) {
    entries.push({
      kind: 'partner',
      at: approval.at,
      what: t(approval.outcome === 'approved' ? 'historyPage.partnerApproved' : 'historyPage.partnerRejected', { organisation: organisation(stakeholderId) }),
      by: approval.by ? person(approval.by) : t('partners.lines.deadline'),
      ...(approval.comment ? { comment: approval.comment } : {}),
      details: [],
    });
  }
  for (const s of p.stakeholders) {
    for (const h of s.history) {
      if (h.status === 'mapped') continue;
      entries.push({
        kind: 'partner',
        at: h.at,
        what: t(`historyPage.partnerStatus.${h.status}`, { organisation: s.organisation }),
        by: '',
        ...(h.reason ? { comment: say(locale.language, h.reason) } : {}),
        details: [],
      });
    }
  }
  for (const a of p.funding.activities) {
    for (const v of a.decided ?? []) {
      if (!v.decidedAt) continue;
      entries.push({
        kind: 'channel',
        at: v.decidedAt,
        what: t(v.status === 'approved' ? 'historyPage.channelApproved' : 'historyPage.channelRejected', { activity: a.title, version: v.version, amount: fmt.money(v.proposal.amount, v.proposal.currency) }),
        by: person(v.decidedBy),
        ...(v.comment ? { comment: v.comment } : {}),
        details: [],
      });
    }
  }
  p.roleHistory.forEach((r, i) => {
    entries.push({
      kind: 'role',
      at: r.at,
      what: t('historyPage.role', { role: label(t, 'role', r.role) }),
      by: person(r.by),
      ...(r.reason ? { comment: i === 0 && r.reason === 'role at the start' ? t('role.atStart') : r.reason } : {}),
      details: [],
    });
  });
  for (const s of p.sections ?? []) {
    for (const c of s.changes) {
      entries.push({ kind: 'section', at: c.at, what: t('historyPage.section', { section: t(`sections.names.${s.id}`), version: c.version }), by: person(c.by), details: [] });
    }
  }
  for (const [activityId, records] of Object.entries(p.activityProgress ?? {})) {
    const title = p.roadmap.find((a) => a.id === activityId)?.title ?? activityId;
    for (const r of records) {
      entries.push({ kind: 'progress', at: r.at, what: t('historyPage.progress', { activity: title, status: t(`progress.status.${r.status}`) }), by: person(r.by), comment: r.note, details: [] });
    }
  }
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/**
 * The partnership's history page (`/console/partnerships/:id/history`), with
 * a filter by kind of entry that works without JavaScript (a GET form).
 */
export function historyConsole(kit: ConsoleKit): Router {
  const router = Router();
  router.get('/partnerships/:id/history', async (req, res) => {
    const p = await kit.managed(req, res);
    if (!p) return;
    const locale = pageLocale(req);
    const { t, fmt } = locale;
    const kind = HISTORY_KINDS.find((k) => k === req.query.kind);
    const all = historyEntries(p, locale, await unreportedApprovals(p, kit.services.partners));
    const entries = all.filter((e) => !kind || e.kind === kind).map((e) => ({ ...e, when: fmt.dateTime(e.at), kindLabel: t(`historyPage.kinds.${e.kind}`) }));
    kit.render(req, res, 'history.njk', {
      title: `${t('historyPage.title')} — ${p.title}`,
      p,
      entries,
      kind: kind ?? '',
      kinds: HISTORY_KINDS.map((k) => ({ id: k, label: t(`historyPage.kinds.${k}`) })),
    });
  });
  return router;
}
