import type { Request, Response } from 'express';
import { catalogueItem } from '../../domain/partnership/catalogue';
import { toProblem } from '../errors';
import { itemPage } from './item-pages';
import type { ConsoleKit } from './kit';
import { pageLocale } from './locale';

/**
 * The answer to a refused action on the partnership page: back to the page,
 * the reason shown where the person acted (`at`: an item, the advance panel,
 * a stakeholder), the page scrolled there. Shared by the console's router and
 * the capabilities' pages that act from the partnership page.
 */
export function refusedAction(kit: Pick<ConsoleKit, 'flash' | 'refusal'>) {
  return (req: Request, res: Response, id: string, title: string, err: unknown, at: string, itemId?: string): void => {
    const problem = toProblem(err);
    if (problem.status >= 500 || problem.status === 403) throw err;
    const missing = problem.details?.missingItems as Array<{ id?: string } | string> | undefined;
    const ids = (missing ?? []).map((m) => (typeof m === 'string' ? m : m.id ?? '')).filter(Boolean);
    // The missing items themselves are listed, in words and by dimension, by the page the person lands on
    // (the advance panel): the session cookie that carries this message has room for a line, not a list.
    // An item waiting on its capability (map a stakeholder first, …): said in the person's words, not the API's.
    const capability = (problem.details?.capability as { id?: string } | undefined)?.id;
    const { t } = pageLocale(req);
    const reason = kit.refusal(req, problem);
    const line = ids.length
      ? t('advance.stillMissing', { count: ids.length })
      : capability
        ? t(`checklist.needs.${capability}`, { defaultValue: reason })
        : reason;
    // The page where the missing data is entered, named after the reason (./item-pages.ts).
    const item = capability && itemId ? catalogueItem(itemId) : undefined;
    const link = item ? itemPage(t, id, item, true) : undefined;
    kit.flash(req, { kind: 'error', title, lines: [line], at, ...(link ? { link } : {}) });
    res.redirect(303, `/console/partnerships/${id}#${at}`);
  };
}
