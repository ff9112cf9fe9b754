import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ReviewRef } from '../../domain/partnership/state';
import { REVIEW_DECISIONS, ReviewDecisionSchema } from '../../domain/reviews/schemas';
import { HttpError, toProblem } from '../errors';
import { said } from '../../domain/said';
import type { PartnershipReadModel } from '../partnership/service';
import { actor } from '../console/access';
import { byField, str, type FieldError } from '../console/forms';
import type { ConsoleKit } from '../console/kit';
import { label } from '../console/labels';
import { pageLocale } from '../console/locale';
import { itemTitle } from '../../infra/i18n/checklist';
import { nextReview, reportPage, reviewHref, reviewPage, reviewRows } from './console-view';

/** The key a reminder form carries: the same form sent twice is one reminder (see `RemindReviewSchema`). */
const ReminderKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const ReviewNumberSchema = z.coerce.number().int().positive().max(1_000_000);

/**
 * Reflective monitoring in the console (guide II.2.D): the reviews of a
 * partnership and when the next one opens, opening one now; a review's page
 * (who has answered, who has not, a reminder to the latter); its report (each
 * indicator against its target, its trend across reviews, partners' feedback);
 * and the governance decision (continue, adapt, exit), which goes to the
 * approvers through the same gate as the JSON API's `POST …/decision`.
 */
export function reviewConsole(kit: ConsoleKit): Router {
  const router = Router();
  const { services, render, flash, managed, me } = kit;

  const canAct = (p: PartnershipReadModel) => p.status !== 'closed' && !p.ended;
  /** The review numbered in the path, or a 404. */
  const refOf = (p: PartnershipReadModel, req: Request): ReviewRef => {
    const number = ReviewNumberSchema.safeParse(req.params.number);
    const ref = number.success ? p.reviews.find((r) => r.number === number.data) : undefined;
    if (!ref) throw new HttpError(404, said('refusals:review.notFound', { review: String(req.params.number), partnership: p.id }));
    return ref;
  };
  /** The review's workflow state; undefined when it can no longer be read (its history has been deleted). */
  const stateOf = (ref: ReviewRef) => services.reviews.review(ref.id).catch(() => undefined);

  const renderList = (req: Request, res: Response, p: PartnershipReadModel, errors: FieldError[] = [], status = 200) => {
    const locale = pageLocale(req);
    render(req, res, 'reviews-console.njk', {
      title: `${locale.t('reviewPages.list.title')} — ${p.title}`,
      p,
      rows: reviewRows(p, locale),
      next: nextReview(p, locale),
      canOpen: canAct(p) && !p.reviews.some((r) => r.status === 'in-progress'),
      phaseLabel: label(locale.t, 'phase', p.phase),
      errors,
      e: byField(errors),
    }, status);
  };

  router.get('/partnerships/:id/reviews', async (req, res) => {
    const p = await managed(req, res);
    if (p) renderList(req, res, p);
  });

  router.post('/partnerships/:id/reviews', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    try {
      const ref = await services.reviews.startReview(p.id, actor(me(req)));
      flash(req, { kind: 'success', title: t('reviewPages.opened', { number: ref.number }), lines: [t('reviewPages.openedText')] });
      res.redirect(303, reviewHref(p.id, ref.number));
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      const open = p.reviews.find((r) => r.status === 'in-progress');
      const text = problem.status === 409 && open ? t('reviewPages.errors.inProgress', { number: open.number }) : kit.refusal(req, problem);
      renderList(req, res, await services.partnership.get(p.id), [{ field: 'open-review', text }], problem.status);
    }
  });

  const renderReview = async (req: Request, res: Response, p: PartnershipReadModel, ref: ReviewRef, errors: FieldError[] = [], status = 200) => {
    const locale = pageLocale(req);
    const view = reviewPage(p, ref, await stateOf(ref), locale, Date.now());
    render(req, res, 'review-console.njk', {
      title: `${locale.t('reviewPages.review.title', { number: ref.number })} — ${p.title}`,
      p,
      r: view,
      reminderKey: randomUUID(),
      errors,
      e: byField(errors),
    }, status);
  };

  router.get('/partnerships/:id/reviews/:number', async (req, res) => {
    const p = await managed(req, res);
    if (p) await renderReview(req, res, p, refOf(p, req));
  });

  router.post('/partnerships/:id/reviews/:number/remind', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const ref = refOf(p, req);
    const { t } = pageLocale(req);
    // A form without a key (a hand-made request) is a reminder of its own.
    const key = ReminderKeySchema.catch(() => randomUUID()).parse(str((req.body as Record<string, unknown>)?.key));
    try {
      const reminder = await services.reviews.remindReview(ref.id, { key, by: actor(me(req)) });
      const state = await stateOf(ref);
      const names = reminder.partnerIds.map((id) => state?.request.partners.find((x) => x.id === id)?.organisation ?? id);
      flash(req, { kind: 'success', title: t('reviewPages.reminded', { count: names.length }), lines: [names.join(', ')] });
      res.redirect(303, reviewHref(p.id, ref.number));
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      const text = problem.status === 409 ? t('reviewPages.errors.allAnswered') : problem.status === 410 ? t('reviewPages.errors.noLongerCollecting') : kit.refusal(req, problem);
      await renderReview(req, res, p, ref, [{ field: 'remind', text }], problem.status);
    }
  });

  const decisionOptions = (t: ReturnType<typeof pageLocale>['t']) =>
    REVIEW_DECISIONS.map((id) => ({ id, label: t(`decision.${id}`), hint: t(`decisionHint.${id}`) }));

  const renderReport = async (req: Request, res: Response, p: PartnershipReadModel, ref: ReviewRef, values: Record<string, string> = {}, errors: FieldError[] = [], status = 200) => {
    const locale = pageLocale(req);
    const { t } = locale;
    const state = await stateOf(ref);
    if (!state) {
      kit.message(req, res, 'notFound', 404);
      return;
    }
    const gate = p.pendingTasks.find((task) => task.kind === 'review');
    const missing = p.phase === 'reflective-monitoring' ? p.checklist.filter((c) => c.phase === p.phase && !c.done) : [];
    render(req, res, 'review-report.njk', {
      title: `${t('reviewPages.report.title', { number: ref.number })} — ${p.title}`,
      p,
      ref,
      reviewUrl: reviewHref(p.id, ref.number),
      report: reportPage(p, ref, state, locale, Date.now()),
      // The decision is the partnership's, taken in reflective monitoring on the review of its cycle.
      canDecide: canAct(p) && p.status === 'active' && p.phase === 'reflective-monitoring' && ref.cycle === p.cycle,
      gate: gate && {
        decision: gate.proposedDecision ? t(`decision.${gate.proposedDecision}`) : '',
        assignees: (gate.approval?.assignees ?? p.approvers.slice(0, 1)).map((a) => ({ name: a.name, email: a.email })),
      },
      missing: missing.map((c) => ({ id: c.id, title: itemTitle(locale.language, c) })),
      decisionOptions: decisionOptions(t),
      values,
      errors,
      e: byField(errors),
    }, status);
  };

  router.get('/partnerships/:id/reviews/:number/report', async (req, res) => {
    const p = await managed(req, res);
    if (p) await renderReport(req, res, p, refOf(p, req));
  });

  /**
   * The governance decision after a review: the approvers are asked to approve
   * it (`requestReviewDecision`, the gate of reflective monitoring). Sent from
   * a review's report (field `review`: errors are shown on that page) or from
   * the partnership page's panel (errors shown there, as before).
   */
  router.post('/partnerships/:id/decision', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { decision: str(body.decision), notes: str(body.notes) };
    const number = ReviewNumberSchema.safeParse(str(body.review));
    const ref = number.success ? p.reviews.find((r) => r.number === number.data) : undefined;
    const parsed = ReviewDecisionSchema.safeParse({ decision: values.decision || undefined, notes: values.notes || undefined, by: actor(me(req)) });
    const problemAt = (field: 'decision' | 'notes', text: string) => ({ field: field === 'notes' ? 'decision-notes' : 'decision-continue', text });
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0] === 'notes' ? 'notes' : 'decision';
      if (ref) {
        await renderReport(req, res, p, ref, values, [problemAt(field, t(`reflective.errors.${field}`))], 400);
        return;
      }
      flash(req, { kind: 'error', title: t('reflective.refused'), lines: [t(`reflective.errors.${field}`)], at: 'reflective' });
      res.redirect(303, `/console/partnerships/${p.id}#reflective`);
      return;
    }
    try {
      await services.partnership.requestReviewDecision(p.id, parsed.data);
      flash(req, { kind: 'success', title: t('reflective.requested'), lines: [t('reflective.requestedText', { decision: t(`decision.${parsed.data.decision}`) })] });
      res.redirect(303, ref ? `${reviewHref(p.id, ref.number)}/report#decision` : `/console/partnerships/${p.id}`);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      const missing = (problem.details?.missingItems as unknown[] | undefined) ?? [];
      const line = missing.length ? t('advance.stillMissing', { count: missing.length }) : kit.refusal(req, problem);
      if (ref) {
        await renderReport(req, res, await services.partnership.get(p.id), ref, values, [problemAt('decision', line)], problem.status);
        return;
      }
      flash(req, { kind: 'error', title: t('reflective.refused'), lines: [line], at: 'reflective' });
      res.redirect(303, `/console/partnerships/${p.id}#reflective`);
    }
  });

  return router;
}
