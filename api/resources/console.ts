import { Router, type Request, type Response } from 'express';
import { FiduciaryRuleSchema, RoadmapActivityInputSchema, SmartObjectiveInputSchema } from '../../domain/resources/schemas';
import { MAX_OBJECTIVE_YEARS } from '../../domain/resources/objectives';
import { actor } from '../console/access';
import { byField, fieldErrors, list, str, type FieldError } from '../console/forms';
import { fieldMessage, type ConsoleKit } from '../console/kit';
import { pageLocale } from '../console/locale';
import { bodyOf, newId, oneOf, rows, saveProblem, versionOf } from './console-forms';
import { fundingPages } from './funding-console';
import { activePartners, activityRows, objectiveRows, organisationOf, type Partnership } from './planning-view';

const SMART_FIELD = { specific: 'statement', measurable: 'target', achievable: 'achievable', reasonable: 'relevance', 'time-bound': 'date' } as const;
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Adaptive planning in the console (guide II.2.B), in the order a manager
 * meets it: the SMART objectives, the roadmap of activities, the fiduciary
 * rule, then (./funding-console.ts) the resource strategy and a funding
 * channel per activity. Every save goes through the ResourcesService, as
 * the JSON API's does, and carries the version its form was opened from.
 */
export function resourcePages(kit: ConsoleKit): Router {
  const router = Router();
  const { render, flash, managed, services } = kit;
  const url = (p: Partnership, path = '') => `/console/partnerships/${p.id}${path}`;

  // ── SMART objectives ─────────────────────────────────────────────────────────
  router.get('/partnerships/:id/objectives', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const locale = pageLocale(req);
    render(req, res, 'planning-objectives.njk', { title: `${locale.t('planning.objectives.title')} — ${p.title}`, p, objectives: objectiveRows(p, locale, today()), canAct: p.status === 'active' });
  });

  const objectiveValues = (b: Record<string, unknown>) => ({
    id: str(b.id),
    version: str(b.version),
    statement: str(b.statement),
    indicator: str(b.indicator),
    target: str(b.target),
    unit: str(b.unit),
    date: str(b.date),
    achievable: b.achievable === 'yes',
    relevance: str(b.relevance),
  });
  type ObjectiveValues = ReturnType<typeof objectiveValues>;
  const renderObjective = (req: Request, res: Response, p: Partnership, values: ObjectiveValues, errors: FieldError[] = [], current?: unknown) => {
    const { t } = pageLocale(req);
    const heading = values.id ? t('planning.objective.editTitle') : t('planning.objective.title');
    render(req, res, 'planning-objective.njk', { title: `${heading} — ${p.title}`, heading, p, values, errors, e: byField(errors), current, years: MAX_OBJECTIVE_YEARS }, errors.length ? (current ? 409 : 400) : 200);
  };

  router.get('/partnerships/:id/objectives/new', async (req, res) => {
    const p = await managed(req, res);
    if (p) renderObjective(req, res, p, objectiveValues({}));
  });

  router.get('/partnerships/:id/objectives/:oid/edit', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const o = oneOf(p.objectives, req, 'oid', 'objective', p);
    renderObjective(req, res, p, { ...o, achievable: true, version: String(p.versions[`objective:${o.id}`] ?? 0) });
  });

  router.post('/partnerships/:id/objectives', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const values = objectiveValues(bodyOf(req));
    const existing = values.id ? p.objectives.find((o) => o.id === values.id) : undefined;
    const { version: _v, ...fields } = values;
    const parsed = SmartObjectiveInputSchema.safeParse({
      ...fields,
      id: existing?.id ?? newId(values.statement, p.objectives.map((o) => o.id), 'objective'),
      achievable: values.achievable || undefined,
    });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, (f) => t(`planning.objective.fieldNames.${f}`, { defaultValue: f }), {
        statement: t('planning.objective.errors.statement'),
        indicator: t('planning.objective.errors.indicator'),
        target: t('planning.objective.errors.target'),
        unit: t('planning.objective.errors.unit'),
        date: t('planning.objective.errors.date'),
        achievable: t('planning.objective.errors.achievable'),
        relevance: t('planning.objective.errors.relevance'),
      }, undefined, fieldMessage(t));
      renderObjective(req, res, p, values, errors);
      return;
    }
    try {
      const saved = await services.resources.upsertObjective(p.id, parsed.data, existing ? versionOf(values.version) : undefined);
      flash(req, { kind: 'success', title: existing ? t('planning.objective.updated') : t('planning.objective.added'), lines: [t('planning.objective.savedText', { statement: saved.statement })] });
      res.redirect(303, url(p, `/objectives#objective-${saved.id}`));
    } catch (err) {
      const problem = saveProblem(err);
      if (problem.stale !== undefined) {
        // What they typed stays, now based on the current version; the saved objective is shown beside it.
        renderObjective(req, res, p, { ...values, version: String(problem.stale) }, [{ field: 'statement', text: t('planning.errors.changedSinceOpened') }], objectiveRows(p, pageLocale(req), today()).find((o) => o.id === existing?.id));
        return;
      }
      const criterion = problem.details?.smart as keyof typeof SMART_FIELD | undefined;
      const field = criterion ? SMART_FIELD[criterion] : 'statement';
      renderObjective(req, res, p, values, [{ field, text: criterion ? t(`planning.objective.errors.smart.${criterion}`, { years: MAX_OBJECTIVE_YEARS }) : kit.refusal(req, problem) }]);
    }
  });

  // ── The roadmap of activities ────────────────────────────────────────────────
  router.get('/partnerships/:id/roadmap', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const locale = pageLocale(req);
    render(req, res, 'planning-roadmap.njk', { title: `${locale.t('planning.roadmap.title')} — ${p.title}`, p, activities: activityRows(p, locale), partners: activePartners(p), canAct: p.status === 'active' });
  });

  type TargetRow = { indicator: string; target: string; unit: string; date: string };
  const activityValues = (b: Record<string, unknown>) => ({
    id: str(b.id),
    version: str(b.version),
    title: str(b.title),
    leadPartner: str(b.leadPartner),
    participatingPartners: list(b.participatingPartners),
    start: str(b.start),
    end: str(b.end),
    pilot: b.pilot === 'yes',
    objectives: list(b.objectives),
    targets: rows(b.targets).map((r) => ({ indicator: str(r.indicator), target: str(r.target), unit: str(r.unit), date: str(r.date) })) as TargetRow[],
  });
  type ActivityValues = ReturnType<typeof activityValues>;
  const renderActivity = (req: Request, res: Response, p: Partnership, values: ActivityValues, errors: FieldError[] = [], current?: unknown) => {
    const { t } = pageLocale(req);
    const heading = values.id ? t('planning.activity.editTitle') : t('planning.activity.title');
    // One blank target row more than typed, at least two, so a second target needs no script.
    const blank = { indicator: '', target: '', unit: '', date: '' };
    const targets = [...values.targets.filter((x) => x.indicator || x.target || x.unit || x.date), blank];
    if (targets.length < 2) targets.push(blank);
    render(req, res, 'planning-activity.njk', {
      title: `${heading} — ${p.title}`,
      heading,
      p,
      values: { ...values, targets },
      errors,
      e: byField(errors),
      partners: activePartners(p),
      objectives: p.objectives.map((o) => ({ id: o.id, label: o.statement })),
      current,
    }, errors.length ? (current ? 409 : 400) : 200);
  };

  router.get('/partnerships/:id/roadmap/new', async (req, res) => {
    const p = await managed(req, res);
    if (p) renderActivity(req, res, p, activityValues({}));
  });

  router.get('/partnerships/:id/roadmap/:aid/edit', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const a = oneOf(p.roadmap, req, 'aid', 'activity', p);
    renderActivity(req, res, p, { ...a, pilot: Boolean(a.pilot), objectives: a.objectives ?? [], version: String(p.versions[`activity:${a.id}`] ?? 0) });
  });

  router.post('/partnerships/:id/roadmap', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const values = activityValues(bodyOf(req));
    const existing = values.id ? p.roadmap.find((a) => a.id === values.id) : undefined;
    // Blank target rows are left out; those kept remember their row, so an error lands beside its own field.
    const targets = values.targets.map((x, row) => ({ x, row })).filter(({ x }) => x.indicator || x.target || x.unit || x.date);
    const parsed = RoadmapActivityInputSchema.safeParse({
      id: existing?.id ?? newId(values.title, p.roadmap.map((a) => a.id), 'activity'),
      title: values.title,
      leadPartner: values.leadPartner || undefined,
      participatingPartners: values.participatingPartners.filter((x) => x !== values.leadPartner),
      start: values.start,
      end: values.end,
      pilot: values.pilot,
      objectives: values.objectives,
      targets: targets.map(({ x }) => x),
    });
    if (!parsed.success) {
      const remap = (path: PropertyKey[]) => {
        const [head, index, ...rest] = path;
        if (head === 'targets' && typeof index === 'number') return ['targets', targets[index]?.row ?? index, ...rest];
        return head === 'targets' ? ['targets', 0, 'indicator'] : path;
      };
      const labelOf = (f: string) => {
        const m = /^targets-(\d+)-(\w+)$/.exec(f);
        return m ? t(`planning.activity.fieldNames.target.${m[2]}`, { n: Number(m[1]) + 1 }) : t(`planning.activity.fieldNames.${f}`, { defaultValue: f });
      };
      const errors = fieldErrors(parsed.error, labelOf, {
        title: t('planning.activity.errors.title'),
        leadPartner: t('planning.activity.errors.leadPartner'),
        start: t('planning.activity.errors.start'),
        end: values.end ? t('planning.activity.errors.endBeforeStart') : t('planning.activity.errors.end'),
        'targets-0-indicator': targets.length ? t('planning.activity.errors.targetIndicator') : t('planning.activity.errors.noTarget'),
      }, remap, fieldMessage(t));
      renderActivity(req, res, p, values, errors);
      return;
    }
    try {
      const saved = await services.resources.upsertActivity(p.id, parsed.data, existing ? versionOf(values.version) : undefined);
      flash(req, { kind: 'success', title: existing ? t('planning.activity.updated') : t('planning.activity.added'), lines: [t('planning.activity.savedText', { title: saved.title, lead: organisationOf(p)(saved.leadPartner) })] });
      res.redirect(303, url(p, `/roadmap#activity-${saved.id}`));
    } catch (err) {
      const problem = saveProblem(err);
      if (problem.stale !== undefined) {
        renderActivity(req, res, p, { ...values, version: String(problem.stale) }, [{ field: 'title', text: t('planning.errors.changedSinceOpened') }], activityRows(p, pageLocale(req)).find((a) => a.id === existing?.id));
        return;
      }
      // A partner stopped being active since the form was opened, or an objective went: said beside its field.
      const error = problem.code === 'refusals:objective.unknown'
        ? { field: 'objectives', text: t('planning.activity.errors.objectiveGone') }
        : problem.code?.startsWith('refusals:resource.notStakeholder.') || problem.code?.startsWith('refusals:resource.notActive.')
          ? { field: 'leadPartner', text: t('planning.activity.errors.notActive') }
          : { field: 'title', text: kit.refusal(req, problem) };
      renderActivity(req, res, p, values, [error]);
    }
  });

  // ── The fiduciary rule ───────────────────────────────────────────────────────
  const renderRule = (req: Request, res: Response, p: Partnership, values: { rule: string; version: string }, errors: FieldError[] = []) => {
    const { t } = pageLocale(req);
    const core = p.stakeholders.filter((s) => s.status === 'active' && s.coreGroup).sort((a, b) => a.id.localeCompare(b.id));
    const rotatingAgent = core.length ? core[(p.cycle - 1) % core.length].organisation : undefined;
    render(req, res, 'planning-fiduciary.njk', {
      title: `${t('planning.fiduciary.title')} — ${p.title}`,
      p,
      values,
      errors,
      e: byField(errors),
      rules: (['lead-partner', 'rotating-core'] as const).map((id) => ({ id, label: t(`fiduciaryRule.${id}`), hint: t(`planning.fiduciary.hints.${id}`) })),
      rotatingAgent,
      canAct: p.status === 'active',
    }, errors.length ? 400 : 200);
  };

  router.get('/partnerships/:id/fiduciary-rule', async (req, res) => {
    const p = await managed(req, res);
    if (p) renderRule(req, res, p, { rule: p.fiduciaryRule, version: String(p.versions['fiduciary-rule'] ?? 0) });
  });

  router.post('/partnerships/:id/fiduciary-rule', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const values = { rule: str(bodyOf(req).rule), version: str(bodyOf(req).version) };
    const parsed = FiduciaryRuleSchema.safeParse({ rule: values.rule || undefined });
    if (!parsed.success) {
      renderRule(req, res, p, values, [{ field: 'rule', text: t('planning.fiduciary.errors.rule') }]);
      return;
    }
    try {
      await services.resources.setFiduciaryRule(p.id, parsed.data.rule, versionOf(values.version) ?? 0);
      flash(req, { kind: 'success', title: t('planning.fiduciary.saved'), lines: [t(`fiduciaryRule.${parsed.data.rule}`)] });
      res.redirect(303, url(p, '#planning'));
    } catch (err) {
      const problem = saveProblem(err);
      const text = problem.stale !== undefined ? t('planning.fiduciary.errors.changed', { rule: t(`fiduciaryRule.${p.fiduciaryRule}`) }) : kit.refusal(req, problem);
      renderRule(req, res, p, { ...values, version: String(problem.stale ?? values.version) }, [{ field: 'rule', text }]);
    }
  });

  router.use(fundingPages(kit, actor));
  return router;
}
