import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { ChannelProposalSchema, ResourceStrategySchema, type ResourceStrategy } from '../../domain/resources/schemas';
import { CURRENCIES, EXTERNAL_PARTNER_TYPES, IN_KIND_KINDS, ORGANISATION_SOURCES, fiduciaryAgentFor } from '../../domain/resources/funding';
import type { SignedInUser } from '../console/session';
import { byField, fieldErrors, str, type FieldError } from '../console/forms';
import { fieldMessage, type ConsoleKit } from '../console/kit';
import { pageLocale, type PageLocale } from '../console/locale';
import { bodyOf, oneOf, rows, saveProblem, versionOf } from './console-forms';
import { activePartners, activityRows, organisationOf, type Partnership } from './planning-view';

type Kind = 'pledge' | 'source' | 'external';
const PLEDGE_TYPES = ['financial', ...IN_KIND_KINDS] as const;
const PATHS: Record<Kind, string> = { pledge: 'pledges', source: 'sources', external: 'external' };
const LISTS: Record<Kind, keyof ResourceStrategy> = { pledge: 'pledges', source: 'ownSources', external: 'externalPartners' };

/** Every accepted ISO 4217 currency, named in the reader's language: "EUR — Euro". */
function currencyOptions(language: string) {
  const names = new Intl.DisplayNames([language], { type: 'currency' });
  return CURRENCIES.map((code) => ({ id: code, label: `${code} — ${names.of(code) ?? code}` }));
}

/**
 * The resource strategy (pledges in any ISO 4217 currency, the organisation's
 * own sources, external financial partners) and a funding channel per
 * activity (guide II.2.A/B "Resources"). A strategy entry is added or removed
 * one at a time; each save replaces the strategy from the version the form
 * was opened on. A channel is proposed here; it is approved by the approvers'
 * emailed link.
 */
export function fundingPages(kit: ConsoleKit, actor: (user: SignedInUser) => string): Router {
  const router = Router();
  const { render, flash, managed, services, me } = kit;
  const url = (p: Partnership, path = '') => `/console/partnerships/${p.id}${path}`;

  const strategyView = (p: Partnership, { t, fmt }: PageLocale) => {
    const organisation = organisationOf(p);
    const s = p.resourceStrategy;
    return {
      pledges: s.pledges.map((x) => ({
        partner: organisation(x.partnerId),
        type: t(`planning.strategy.pledgeTypes.${x.type}`),
        what: x.type === 'financial' ? fmt.money(x.amount, x.currency) : x.description,
      })),
      sources: s.ownSources.map((x) => ({ source: x.source, sourceLabel: t(`planning.strategy.sources.${x.source}`), amount: fmt.money(x.amount, x.currency) })),
      external: s.externalPartners.map((x) => ({ name: x.name, type: t(`planning.strategy.externalTypes.${x.type}`), joins: t(x.joinsFormally ? 'planning.strategy.joinsFormally' : 'planning.strategy.fromOutside'), status: t(`planning.strategy.externalStatus.${x.status}`) })),
      // Each currency on its own: amounts in different currencies are never added together.
      pledged: Object.entries(p.funding.pledged).map(([currency, amount]) => fmt.money(amount, currency)),
      version: String(p.versions['resource-strategy'] ?? 0),
    };
  };

  router.get('/partnerships/:id/resource-strategy', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const locale = pageLocale(req);
    render(req, res, 'planning-strategy.njk', { title: `${locale.t('planning.strategy.title')} — ${p.title}`, p, s: strategyView(p, locale), canAct: p.status === 'active' });
  });

  const entryValues = (b: Record<string, unknown>) => ({
    version: str(b.version),
    partnerId: str(b.partnerId),
    type: str(b.type),
    amount: str(b.amount).replace(/\s/g, ''),
    currency: str(b.currency).toUpperCase(),
    description: str(b.description),
    source: str(b.source),
    name: str(b.name),
    joinsFormally: str(b.joinsFormally),
    status: str(b.status),
  });
  type EntryValues = ReturnType<typeof entryValues>;
  const renderEntry = (req: Request, res: Response, p: Partnership, kind: Kind, values: EntryValues, errors: FieldError[] = [], stale = false) => {
    const locale = pageLocale(req);
    const { t } = locale;
    render(req, res, 'planning-strategy-entry.njk', {
      title: `${t(`planning.strategy.add.${kind}`)} — ${p.title}`,
      heading: t(`planning.strategy.add.${kind}`),
      p,
      kind,
      action: url(p, `/resource-strategy/${PATHS[kind]}`),
      values,
      errors,
      e: byField(errors),
      // A partner pledging need not be active yet: any stakeholder on the map may.
      partners: p.stakeholders.map((s) => ({ id: s.id, label: s.organisation })),
      pledgeTypes: PLEDGE_TYPES.map((id) => ({ id, label: t(`planning.strategy.pledgeTypes.${id}`) })),
      sources: ORGANISATION_SOURCES.map((id) => ({ id, label: t(`planning.strategy.sources.${id}`) })),
      externalTypes: EXTERNAL_PARTNER_TYPES.map((id) => ({ id, label: t(`planning.strategy.externalTypes.${id}`) })),
      statuses: (['under-review', 'committed', 'declined'] as const).map((id) => ({ id, label: t(`planning.strategy.externalStatus.${id}`) })),
      currencies: currencyOptions(locale.language),
      // Stale: the strategy as it is now, beside what they typed.
      current: stale ? strategyView(p, locale) : undefined,
    }, errors.length ? (stale ? 409 : 400) : 200);
  };

  const entryOf = (kind: Kind, v: EntryValues): unknown => {
    if (kind === 'pledge') {
      return v.type === 'financial' || !v.type
        ? { type: v.type || undefined, partnerId: v.partnerId || undefined, amount: v.amount, currency: v.currency }
        : { type: v.type, partnerId: v.partnerId || undefined, description: v.description };
    }
    if (kind === 'source') return { source: v.source || undefined, amount: v.amount, currency: v.currency };
    return { name: v.name, type: v.type || undefined, joinsFormally: v.joinsFormally ? v.joinsFormally === 'yes' : undefined, status: v.status || 'under-review' };
  };

  for (const kind of ['pledge', 'source', 'external'] as const) {
    router.get(`/partnerships/:id/resource-strategy/${PATHS[kind]}`, async (req, res) => {
      const p = await managed(req, res);
      if (p) renderEntry(req, res, p, kind, { ...entryValues({}), currency: '', version: String(p.versions['resource-strategy'] ?? 0) });
    });

    router.post(`/partnerships/:id/resource-strategy/${PATHS[kind]}`, async (req, res) => {
      const p = await managed(req, res);
      if (!p) return;
      const { t } = pageLocale(req);
      const values = entryValues(bodyOf(req));
      const list = LISTS[kind];
      const parsed = ResourceStrategySchema.safeParse({ ...p.resourceStrategy, [list]: [...p.resourceStrategy[list], entryOf(kind, values)] });
      if (!parsed.success) {
        const index = p.resourceStrategy[list].length;
        // Only the new entry's problems: the saved ones passed before.
        const mine = { ...parsed.error, issues: parsed.error.issues.filter((i) => i.path[0] === list && i.path[1] === index) } as z.ZodError;
        const errors = fieldErrors(mine, (f) => t(`planning.strategy.fieldNames.${f}`, { defaultValue: f }), {
          partnerId: t('planning.strategy.errors.partnerId'),
          type: t('planning.strategy.errors.type'),
          currency: values.currency ? t('planning.strategy.errors.currencyUnknown', { code: values.currency }) : t('planning.strategy.errors.currency'),
          description: t('planning.strategy.errors.description'),
          source: t('planning.strategy.errors.source'),
          name: t('planning.strategy.errors.name'),
          joinsFormally: t('planning.strategy.errors.joinsFormally'),
          ...(values.amount ? {} : { amount: t('planning.strategy.errors.amount') }),
        }, (path) => path.slice(2), fieldMessage(t));
        renderEntry(req, res, p, kind, values, errors.length ? errors : [{ field: 'type', text: parsed.error.issues[0]?.message ?? '' }]);
        return;
      }
      try {
        await services.resources.setResourceStrategy(p.id, parsed.data, versionOf(values.version) ?? 0);
        flash(req, { kind: 'success', title: t(`planning.strategy.added.${kind}`), lines: [] });
        res.redirect(303, url(p, '/resource-strategy'));
      } catch (err) {
        const problem = saveProblem(err);
        if (problem.stale !== undefined) {
          renderEntry(req, res, p, kind, { ...values, version: String(problem.stale) }, [{ field: kind === 'external' ? 'name' : kind === 'source' ? 'source' : 'partnerId', text: t('planning.errors.changedSinceOpened') }], true);
          return;
        }
        renderEntry(req, res, p, kind, values, [{ field: kind === 'external' ? 'name' : kind === 'source' ? 'source' : 'partnerId', text: kit.refusal(req, problem) }]);
      }
    });
  }

  // Remove one entry: the strategy without it, from the version the page showed.
  router.post('/partnerships/:id/resource-strategy/remove', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const b = bodyOf(req);
    const kind = (['pledge', 'source', 'external'] as const).find((k) => k === str(b.kind));
    const index = Number(str(b.index));
    const list = kind && LISTS[kind];
    if (!list || !Number.isInteger(index) || index < 0 || index >= p.resourceStrategy[list].length) {
      flash(req, { kind: 'error', title: t('planning.strategy.removeRefused'), lines: [t('planning.errors.changedSinceOpened')] });
      res.redirect(303, url(p, '/resource-strategy'));
      return;
    }
    try {
      await services.resources.setResourceStrategy(p.id, { ...p.resourceStrategy, [list]: p.resourceStrategy[list].filter((_x, i) => i !== index) } as ResourceStrategy, versionOf(str(b.version)) ?? 0);
      flash(req, { kind: 'success', title: t('planning.strategy.removed'), lines: [] });
    } catch (err) {
      const problem = saveProblem(err);
      flash(req, { kind: 'error', title: t('planning.strategy.removeRefused'), lines: [problem.stale !== undefined ? t('planning.errors.changedSinceOpened') : kit.refusal(req, problem)] });
    }
    res.redirect(303, url(p, '/resource-strategy'));
  });

  // ── Funding channels ─────────────────────────────────────────────────────────
  router.get('/partnerships/:id/channels', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const locale = pageLocale(req);
    render(req, res, 'planning-channels.njk', { title: `${locale.t('planning.channels.title')} — ${p.title}`, p, activities: activityRows(p, locale), canAct: p.status === 'active' });
  });

  const channelValues = (b: Record<string, unknown>) => ({
    sourceKind: str(b.sourceKind),
    organisationSource: str(b.organisationSource),
    partnerSource: str(b.partnerSource),
    externalSource: str(b.externalSource),
    amount: str(b.amount).replace(/\s/g, ''),
    currency: str(b.currency).toUpperCase(),
    disbursements: rows(b.disbursements).map((r) => ({ date: str(r.date), amount: str(r.amount).replace(/\s/g, '') })),
  });
  type ChannelValues = ReturnType<typeof channelValues>;
  const renderChannel = (req: Request, res: Response, p: Partnership, activityId: string, values: ChannelValues, errors: FieldError[] = []) => {
    const locale = pageLocale(req);
    const { t } = locale;
    const activity = activityRows(p, locale).find((a) => a.id === activityId)!;
    const raw = p.roadmap.find((a) => a.id === activityId)!;
    let agent: string | undefined;
    try {
      agent = organisationOf(p)(fiduciaryAgentFor(p.fiduciaryRule, raw, p.stakeholders, p.cycle));
    } catch {
      agent = undefined;
    }
    const blank = { date: '', amount: '' };
    const disbursements = [...values.disbursements.filter((d) => d.date || d.amount), blank];
    while (disbursements.length < 3) disbursements.push(blank);
    render(req, res, 'planning-channel.njk', {
      title: `${t('planning.channel.title', { activity: activity.title })} — ${p.title}`,
      p,
      activity,
      agent,
      values: { ...values, disbursements },
      errors,
      e: byField(errors),
      sources: ORGANISATION_SOURCES.map((id) => ({ id, label: t(`planning.strategy.sources.${id}`) })),
      partners: activePartners(p),
      currencies: currencyOptions(locale.language),
    }, errors.length ? 400 : 200);
  };

  router.get('/partnerships/:id/roadmap/:aid/channel', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const a = oneOf(p.roadmap, req, 'aid', 'activity', p);
    renderChannel(req, res, p, a.id, channelValues({}));
  });

  router.post('/partnerships/:id/roadmap/:aid/channel', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const a = oneOf(p.roadmap, req, 'aid', 'activity', p);
    const values = channelValues(bodyOf(req));
    const kept = values.disbursements.map((d, row) => ({ d, row })).filter(({ d }) => d.date || d.amount);
    const source =
      values.sourceKind === 'organisation' ? { kind: 'organisation', name: values.organisationSource || undefined }
      : values.sourceKind === 'partner' ? { kind: 'partner', partnerId: values.partnerSource || undefined }
      : values.sourceKind === 'external' ? { kind: 'external', name: values.externalSource }
      : undefined;
    const parsed = ChannelProposalSchema.safeParse({ source, amount: values.amount, currency: values.currency, disbursements: kept.map(({ d }) => d), by: actor(me(req)) });
    if (!parsed.success) {
      const remap = (path: PropertyKey[]) => {
        const [head, index, ...rest] = path;
        if (head === 'source') return [values.sourceKind === 'organisation' ? 'organisationSource' : values.sourceKind === 'partner' ? 'partnerSource' : values.sourceKind === 'external' ? 'externalSource' : 'sourceKind'];
        if (head === 'disbursements' && typeof index === 'number') return ['disbursements', kept[index]?.row ?? index, ...rest];
        return head === 'disbursements' ? ['disbursements', 0, 'date'] : path;
      };
      const labelOf = (f: string) => {
        const m = /^disbursements-(\d+)-(\w+)$/.exec(f);
        return m ? t(`planning.channel.fieldNames.disbursement.${m[2]}`, { n: Number(m[1]) + 1 }) : t(`planning.channel.fieldNames.${f}`, { defaultValue: f });
      };
      const sumIssue = parsed.error.issues.some((i) => i.path.length === 1 && i.path[0] === 'disbursements' && i.code === 'custom');
      const errors = fieldErrors(parsed.error, labelOf, {
        sourceKind: t('planning.channel.errors.sourceKind'),
        organisationSource: t('planning.channel.errors.organisationSource'),
        partnerSource: t('planning.channel.errors.partnerSource'),
        externalSource: t('planning.channel.errors.externalSource'),
        currency: values.currency ? t('planning.strategy.errors.currencyUnknown', { code: values.currency }) : t('planning.strategy.errors.currency'),
        ...(values.amount ? {} : { amount: t('planning.strategy.errors.amount') }),
        'disbursements-0-date': kept.length ? (sumIssue ? t('planning.channel.errors.sum') : t('planning.channel.errors.disbursementDate')) : t('planning.channel.errors.noDisbursement'),
      }, remap, fieldMessage(t));
      renderChannel(req, res, p, a.id, values, errors);
      return;
    }
    try {
      await services.resources.proposeChannel(p.id, a.id, parsed.data);
      flash(req, { kind: 'success', title: t('planning.channel.proposed'), lines: [t('planning.channel.proposedText', { activity: a.title, approver: p.approvers[0]?.name ?? '' })] });
      res.redirect(303, url(p, `/channels#activity-${a.id}`));
    } catch (err) {
      const problem = saveProblem(err);
      const agentProblem = problem.code === 'refusals:funding.noCorePartner' || problem.code?.endsWith('.fiduciaryAgent');
      renderChannel(req, res, p, a.id, values, [{ field: 'sourceKind', text: problem.code === 'refusals:channel.underReview' ? t('planning.channel.errors.inReview') : agentProblem ? t('planning.channel.errors.agent') : kit.refusal(req, problem) }]);
    }
  });

  return router;
}
