import { Router, type Request, type Response } from 'express';
import { ReviewDecisionSchema } from '../../domain/reviews/schemas';
import { toProblem } from '../errors';
import type { PartnershipReadModel } from './service';
import { actor } from '../console/access';
import { byField, str, type FieldError } from '../console/forms';
import type { ConsoleKit } from '../console/kit';
import { label } from '../console/labels';
import { pageLocale } from '../console/locale';

/**
 * Closing a partnership from the console (guide II.2.D: a review may end in
 * the decision to exit). Closing goes through the same gate as every review
 * decision: the manager proposes "exit" and the approvers decide it from their
 * emailed link (`requestReviewDecision`, as POST /api/partnerships/:id/decision).
 * The page first says what closing does to this partnership in particular: the
 * invitations, review and channel approvals still waiting for people, whose
 * links stop working and which end.
 */
export function closeConsole(kit: ConsoleKit): Router {
  const router = Router();
  const { render, flash, managed, me, services } = kit;

  const renderClose = (req: Request, res: Response, p: PartnershipReadModel, values: { notes: string; confirm: boolean }, errors: FieldError[] = []) => {
    const { t } = pageLocale(req);
    const invited = p.stakeholders.filter((s) => s.status === 'invited').map((s) => s.organisation);
    const reviews = p.reviews.filter((r) => r.status === 'in-progress').map((r) => r.number);
    const channels = p.funding.activities.filter((a) => a.pending).map((a) => a.title);
    const closed = p.status === 'closed' || Boolean(p.ended);
    render(req, res, 'close.njk', {
      title: `${t('closePage.title')} — ${p.title}`,
      p,
      values,
      errors,
      e: byField(errors),
      closed,
      pending: p.pendingTasks.length > 0,
      // Closing is a review's decision: possible in reflective monitoring only; elsewhere the page says where it is taken.
      ready: !closed && p.phase === 'reflective-monitoring' && p.pendingTasks.length === 0,
      phaseLabel: label(t, 'phase', p.phase),
      invited,
      reviews,
      channels,
    }, errors.length ? 400 : 200);
  };

  router.get('/partnerships/:id/close', async (req, res) => {
    const p = await managed(req, res);
    if (p) renderClose(req, res, p, { notes: '', confirm: false });
  });

  router.post('/partnerships/:id/close', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { notes: str(body.notes), confirm: body.confirm === 'yes' };
    const errors: FieldError[] = [];
    if (!values.notes) errors.push({ field: 'notes', text: t('closePage.errors.notes') });
    if (values.notes.length > 4000) errors.push({ field: 'notes', text: t('errors.tooLong', { field: t('closePage.notes'), max: 4000 }) });
    if (!values.confirm) errors.push({ field: 'confirm', text: t('closePage.errors.confirm') });
    if (errors.length) {
      renderClose(req, res, p, values, errors);
      return;
    }
    try {
      await services.partnership.requestReviewDecision(p.id, ReviewDecisionSchema.parse({ decision: 'exit', notes: values.notes, by: actor(me(req)) }));
      flash(req, { kind: 'success', title: t('closePage.requested'), lines: [t('closePage.requestedText', { approver: p.approvers[0]?.name ?? '' })] });
      res.redirect(303, `/console/partnerships/${p.id}#tasks`);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      const missing = (problem.details?.missingItems as unknown[] | undefined)?.length;
      renderClose(req, res, p, values, [{ field: 'notes', text: missing ? t('closePage.errors.checklist') : kit.refusal(req, problem) }]);
    }
  });

  return router;
}
