import { Router, type Request, type Response } from 'express';
import { actorDisplay } from '../../domain/actor';
import type { ProgressRecord } from '../../domain/resources/activity-progress';
import { ACTIVITY_STATUSES, ActivityProgressSchema } from '../../domain/resources/schemas';
import { RefSchema } from '../../domain/schemas';
import { HttpError, toProblem } from '../errors';
import type { PartnershipReadModel } from '../partnership/service';
import { actor } from '../console/access';
import { byField, fieldErrors, list, str, type FieldError } from '../console/forms';
import { fieldMessage, type ConsoleKit } from '../console/kit';
import { label } from '../console/labels';
import { pageLocale, type PageLocale } from '../console/locale';
import { said } from '../../domain/said';

/** Phases in which progress is recorded (domain/resources/activity-progress.ts says the same). */
const PROGRESS_PHASES = ['collaborative-action', 'reflective-monitoring'];
const STATUS_TAG: Record<string, string> = { 'not-started': '', 'under-way': 'blue', done: 'green', delayed: 'yellow' };

const progressHref = (p: Pick<PartnershipReadModel, 'id'>, activityId?: string) =>
  `/console/partnerships/${encodeURIComponent(p.id)}/progress${activityId ? `/${activityId}` : ''}`;

/** One progress record in the reader's words: where it stood, what was done, by which partners, who recorded it and when. */
function recordView(p: PartnershipReadModel, r: ProgressRecord, locale: PageLocale) {
  const { t, fmt } = locale;
  const organisation = (id: string) => p.stakeholders.find((s) => s.id === id)?.organisation ?? id;
  return {
    status: t(`progress.status.${r.status}`),
    tag: STATUS_TAG[r.status] ?? '',
    note: r.note,
    doneBy: r.doneBy.map(organisation),
    line: t('progress.recordedBy', { by: actorDisplay(r.by), at: fmt.dateTime(r.at) }),
    version: r.version,
  };
}

/**
 * Collaborative action in the console (guide II.2.C): where each roadmap
 * activity stands (not started, under way, done, delayed), what was done, by
 * which partners, recorded by whom and when, each activity's history, and a
 * page to record progress from the version it shows (a stale save answers
 * "someone recorded progress since you opened this page", showing both). The
 * partners who join during implementation are mapped and invited from the
 * stakeholder map (api/partners/console.ts); this page lists them beside the work.
 */
export function progressConsole(kit: ConsoleKit): Router {
  const router = Router();
  const { render, flash, managed, me, services } = kit;
  const canAct = (p: PartnershipReadModel) => p.status !== 'closed' && !p.ended;
  const inPhase = (p: PartnershipReadModel) => PROGRESS_PHASES.includes(p.phase);

  router.get('/partnerships/:id/progress', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const locale = pageLocale(req);
    const { t, fmt } = locale;
    const organisation = (id: string) => p.stakeholders.find((s) => s.id === id)?.organisation ?? id;
    const activities = p.roadmap.map((a) => {
      const records = p.activityProgress[a.id] ?? [];
      const last = records.at(-1);
      return {
        id: a.id,
        title: a.title,
        pilot: Boolean(a.pilot),
        lead: organisation(a.leadPartner),
        dates: t('roadmap.fromTo', { start: fmt.date(a.start), end: fmt.date(a.end) }),
        status: t(`progress.status.${last?.status ?? 'not-started'}`),
        tag: STATUS_TAG[last?.status ?? 'not-started'] ?? '',
        last: last ? recordView(p, last, locale) : undefined,
        href: progressHref(p, a.id),
      };
    });
    // Partners joining during implementation: invited since collaborative action began, or with an invitation under way.
    const since = p.phase === 'collaborative-action' ? p.phaseEnteredAt : undefined;
    const joined = p.stakeholders
      .filter((s) => s.status === 'invited' || (since !== undefined && s.history.some((h) => h.status === 'invited' && h.at >= since)))
      .map((s) => ({ id: s.id, organisation: s.organisation, status: label(t, 'partnerStatus', s.status), href: `/console/partnerships/${encodeURIComponent(p.id)}/partners/${s.id}` }));
    render(req, res, 'progress-list.njk', {
      title: `${t('progress.title')} — ${p.title}`,
      p,
      activities,
      joined,
      canRecord: canAct(p) && inPhase(p),
      notYet: !inPhase(p) && p.status !== 'closed' ? t('progress.notYet', { phase: label(t, 'phase', p.phase) }) : '',
      canAct: canAct(p),
    });
  });

  interface Values {
    status: string;
    note: string;
    doneBy: string[];
    version: string;
  }

  const activityOf = (p: PartnershipReadModel, req: Request) => {
    const id = RefSchema.safeParse(req.params.activityId);
    const a = id.success ? p.roadmap.find((x) => x.id === id.data) : undefined;
    if (!a) throw new HttpError(404, said('refusals:notFound.activity', { id: String(req.params.activityId), partnership: p.id }));
    return a;
  };

  const renderActivity = (req: Request, res: Response, p: PartnershipReadModel, activityId: string, values: Values, errors: FieldError[] = [], theirs?: ProgressRecord) => {
    const locale = pageLocale(req);
    const { t, fmt } = locale;
    const a = p.roadmap.find((x) => x.id === activityId)!;
    const records = p.activityProgress[a.id] ?? [];
    const organisation = (id: string) => p.stakeholders.find((s) => s.id === id)?.organisation ?? id;
    render(req, res, 'progress-activity.njk', {
      title: `${t('progress.activityTitle', { activity: a.title })} — ${p.title}`,
      p,
      a: { ...a, lead: organisation(a.leadPartner), dates: t('roadmap.fromTo', { start: fmt.date(a.start), end: fmt.date(a.end) }) },
      records: [...records].reverse().map((r) => recordView(p, r, locale)),
      theirs: theirs && recordView(p, theirs, locale),
      values,
      errors,
      e: byField(errors),
      statuses: ACTIVITY_STATUSES.map((id) => ({ id, label: t(`progress.status.${id}`), hint: t(`progress.statusHint.${id}`) })),
      // Those who can have done the work: the partnership's active partners, and whoever a record named before.
      partners: p.stakeholders.filter((s) => s.status === 'active' || values.doneBy.includes(s.id)).map((s) => ({ id: s.id, organisation: s.organisation })),
      canRecord: canAct(p) && inPhase(p),
      notYet: !inPhase(p) && p.status !== 'closed' ? t('progress.notYet', { phase: label(t, 'phase', p.phase) }) : '',
    }, errors.length ? (theirs ? 409 : 400) : 200);
  };

  router.get('/partnerships/:id/progress/:activityId', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const a = activityOf(p, req);
    const last = (p.activityProgress[a.id] ?? []).at(-1);
    renderActivity(req, res, p, a.id, { status: last?.status ?? '', note: '', doneBy: [], version: String(p.versions[`progress:${a.id}`] ?? 0) });
  });

  router.post('/partnerships/:id/progress/:activityId', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const a = activityOf(p, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values: Values = { status: str(body.status), note: str(body.note), doneBy: list(body.doneBy), version: str(body.version) };
    const parsed = ActivityProgressSchema.safeParse({ status: values.status || undefined, note: values.note, doneBy: values.doneBy, by: actor(me(req)) });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, (f) => t(`progress.fields.${f}`, { defaultValue: f }), {
        status: t('progress.errors.status'),
        note: t('progress.errors.note'),
      }, (path) => (path[0] === 'doneBy' ? ['doneBy'] : path), fieldMessage(t));
      renderActivity(req, res, p, a.id, values, errors);
      return;
    }
    const version = /^\d+$/.test(values.version) ? Number(values.version) : undefined;
    try {
      const record = await services.resources.recordActivityProgress(p.id, a.id, parsed.data, version);
      flash(req, { kind: 'success', title: t('progress.recorded'), lines: [t('progress.recordedText', { activity: a.title, status: t(`progress.status.${record.status}`) })] });
      res.redirect(303, `${progressHref(p)}#activity-${a.id}`);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      if (problem.status === 409 && typeof problem.details?.currentVersion === 'number') {
        // What they typed stays, now based on the current version: saving again records it after the other one.
        const fresh = await services.partnership.get(p.id);
        const theirs = (fresh.activityProgress[a.id] ?? []).at(-1);
        renderActivity(req, res, fresh, a.id, { ...values, version: String(problem.details.currentVersion) }, [{ field: 'status', text: t('progress.errors.changedSinceOpened') }], theirs);
        return;
      }
      renderActivity(req, res, p, a.id, values, [{ field: 'status', text: problem.status === 409 ? t('progress.notYet', { phase: label(t, 'phase', p.phase) }) : kit.refusal(req, problem) }]);
    }
  });

  return router;
}
