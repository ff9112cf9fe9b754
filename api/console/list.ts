/**
 * The console's home, `/console`: the partnerships the signed-in person
 * manages (every partnership, for an administrator), filtered and paged from
 * Temporal visibility, each row with its progress and open tasks.
 */
import { Router } from 'express';
import { z } from 'zod';
import { PHASE_IDS } from '../../domain/partnership/phases';
import { ListPartnershipsQuerySchema } from '../../domain/partnership/schemas';
import { toProblem } from '../errors';
import type { PartnershipPage } from '../partnership/list-query';
import { statusKind } from '../partnership/console-view';
import { isAdmin } from './access';
import type { ConsoleKit } from './kit';
import { label, options } from './labels';
import { pageLocale } from './locale';

const PAGE_SIZE = 20;
const STATUSES = ListPartnershipsQuerySchema.shape.status.unwrap().options;
/** The list's filters, as the form sends them; a value that does not parse is ignored rather than refused. */
const ListFilterSchema = z.object({
  phase: z.enum(PHASE_IDS).optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  partner: z.string().trim().min(1).max(300).optional().catch(undefined),
  title: z.string().trim().min(1).max(200).optional().catch(undefined),
  overdue: z.literal('yes').optional().catch(undefined),
  pageToken: ListPartnershipsQuerySchema.shape.pageToken.catch(undefined),
});

/** `GET /console`: the person's partnerships. */
export function partnershipList(kit: ConsoleKit): Router {
  const router = Router();
  const { render, me, admins } = kit;
  const service = kit.services.partnership;

  router.get('/', async (req, res) => {
    const locale = pageLocale(req);
    const { t, fmt } = locale;
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== ''));
    const filter = ListFilterSchema.parse(raw);
    const admin = isAdmin(me(req), admins);
    const query = {
      ...(filter.phase ? { phase: filter.phase } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.partner ? { partner: filter.partner } : {}),
      ...(filter.title ? { title: filter.title } : {}),
      ...(filter.overdue ? { reviewOverdue: true } : {}),
    };
    let page: PartnershipPage;
    let problem: string | undefined;
    try {
      page = await service.list({ ...query, ...(filter.pageToken ? { pageToken: filter.pageToken } : {}), limit: PAGE_SIZE, ...(admin ? {} : { managedByAny: me(req).emails }) });
    } catch (err) {
      const p = toProblem(err);
      if (p.status !== 400) throw err;
      // A filter the service refuses (a partner in too many partnerships, a stale page token): say so, show nothing.
      problem = p.code === 'refusals:list.stalePageToken' ? t('list.stalePage') : t('list.tooBroad');
      page = { partnerships: [], total: 0 };
    }
    // The list comes from visibility; progress and open tasks need each one's state (one query per row, PAGE_SIZE at most).
    const rows = await Promise.all(
      page.partnerships.map(async (p) => {
        const state = await service.get(p.id).catch(() => undefined);
        const overdue = Boolean(p.nextReviewAt && p.phase === 'collaborative-action' && Date.parse(p.nextReviewAt) < Date.now());
        return {
          id: p.id,
          title: p.title,
          cycle: p.cycle,
          phaseLabel: label(t, 'phase', p.phase),
          statusLabel: label(t, 'status', p.status),
          statusKind: statusKind(p.status),
          partners: p.partners,
          progress: state?.progress,
          openTasks: (state?.pendingTasks ?? []).map((task) => ({
            what: task.toPhase && task.kind === 'advance' ? t('tasks.moveTo', { phase: label(t, 'phase', task.toPhase) }) : t('tasks.reviewDecision'),
            who: (task.approval?.assignees ?? state!.approvers.slice(0, 1)).map((a) => a.name).join(', '),
          })),
          nextReviewAt: fmt.dateTime(p.nextReviewAt),
          reviewOverdue: overdue,
        };
      }),
    );
    const params = (extra: Record<string, string>) =>
      `/console?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([k, v]) => k !== 'pageToken' && v)), ...extra } as Record<string, string>)}`;
    render(req, res, 'list.njk', {
      title: admin ? t('list.titleAll') : t('list.title'),
      nav: 'list',
      admin,
      rows,
      total: page.total,
      problem,
      nextPage: page.nextPageToken ? params({ pageToken: page.nextPageToken }) : undefined,
      firstPage: filter.pageToken ? params({}) : undefined,
      filter,
      filtered: Object.keys(query).length > 0,
      phases: options(t, 'phase', PHASE_IDS),
      statuses: options(t, 'status', STATUSES),
    });
  });
  return router;
}
