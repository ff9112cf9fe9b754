import type { Request, Response } from 'express';
import type nunjucks from 'nunjucks';
import type { z } from 'zod';
import type { DoubleCsrfUtilities } from 'csrf-csrf';
import { PartnershipIdSchema } from '../../domain/schemas';
import { HttpError } from '../errors';
import type { PartnershipReadModel } from '../partnership/service';
import type { Services } from '../services';
import { accessTo, shownAs } from './access';
import { pageLocale, type PageLocale } from './locale';
import { sessionOf, signedInUser, type ConsoleSession, type SignedInUser } from './session';
import { said } from '../../domain/said';
import { refusalText, type Refusal } from '../pages/refusal';

/**
 * What every console page needs, handed to each capability's own pages
 * (`api/<capability>/console.ts`, registered in ./capabilities.ts): render a
 * template with the person, their language and a CSRF token; leave a message
 * for the next page; load a partnership the person may see (or answer 403).
 */
export interface ConsoleKit {
  /** Each capability's service; a page calls its own capability's. */
  services: Services;
  /** Renders `template` (any console template folder) with the page's common data and `data`. */
  render(req: Request, res: Response, template: string, data: Record<string, unknown>, status?: number): void;
  /** One message for the next page, shown where `at` names (an element id) or at the top. */
  flash(req: Request, message: NonNullable<ConsoleSession['flash']>): void;
  /** A whole-page message from `messages.<key>` of the console catalogue. */
  message(req: Request, res: Response, key: string, status: number, vars?: Record<string, unknown>, link?: { href: string; text: string }): void;
  /** The partnership `req.params.id`, if the signed-in person may see it; otherwise the 403 page is sent and undefined answered. 404 (thrown) for a malformed id. */
  managed(req: Request, res: Response): Promise<PartnershipReadModel | undefined>;
  /** Why an action was refused, in the reader's language ({@link refusalReason}). */
  refusal(req: Request, problem: Refusal): string;
  /** The signed-in person (only behind the console's sign-in check). */
  me(req: Request): SignedInUser;
  /** The console's administrators' addresses (`ADMIN_EMAILS`): they see every partnership. */
  admins: readonly string[];
}

/** A zod issue in words, in the reader's language, from the field's label. */
export function fieldMessage(t: PageLocale['t']) {
  return (field: string, issue: z.core.$ZodIssue): string => {
    if (issue.code === 'too_small') return t('errors.empty', { field });
    if (issue.code === 'too_big') return t('errors.tooLong', { field, max: Number(issue.maximum) });
    if (issue.code === 'invalid_format' && issue.format === 'email') return t('errors.email', { field });
    if (issue.code === 'invalid_type' || issue.code === 'invalid_value') return t('errors.choose', { field });
    return t('errors.invalid', { field, problem: issue.message });
  };
}

/**
 * Why an action was refused, for a console page in the reader's language (the
 * console's locale): the refusal's own sentence when it carries a code
 * (api/pages/refusal.ts `refusalText`), else its words as they came (a tool's
 * refusal without a code — body-parser's, for instance — is English only).
 */
export function refusalReason(req: Request, problem: Refusal): string {
  return problem.code ? refusalText(pageLocale(req).language, problem) : problem.message;
}

export function createConsoleKit(deps: {
  services: Services;
  views: nunjucks.Environment;
  csrf: Pick<DoubleCsrfUtilities, 'generateCsrfToken'>;
  admins: readonly string[];
}): ConsoleKit {
  const { services, views, csrf, admins } = deps;
  const render: ConsoleKit['render'] = (req, res, template, data, status = 200) => {
    const s = sessionOf(req);
    const flash = s.flash;
    if (flash) delete s.flash;
    const user = signedInUser(req);
    const token = csrf.generateCsrfToken(req, res);
    const locale = pageLocale(req);
    res
      .status(status)
      .set('cache-control', 'no-store')
      .set('content-language', locale.language)
      .type('html')
      .send(views.render(template, { user, csrf: token, flash, locale, t: locale.t, fmt: locale.fmt, lang: locale.lang, dir: locale.dir, timeZone: locale.timeZone, here: req.originalUrl, ...data }));
  };
  const me = (req: Request): SignedInUser => signedInUser(req)!;
  return {
    services,
    admins,
    render,
    me,
    refusal: refusalReason,
    flash(req, message) {
      sessionOf(req).flash = message;
    },
    message(req, res, key, status, vars = {}, link) {
      const { t } = pageLocale(req);
      const heading = t(`messages.${key}.heading`, vars);
      render(req, res, 'message.njk', { title: heading, heading, paragraphs: [t(`messages.${key}.text`, vars)], link }, status);
    },
    async managed(req, res) {
      const id = PartnershipIdSchema.safeParse(req.params.id);
      if (!id.success) throw new HttpError(404, said('refusals:notFound.partnership', { id: String(req.params.id) }));
      const view = await services.partnership.get(id.data);
      const access = accessTo(me(req), view, admins);
      if (!access.allowed) {
        const { t } = pageLocale(req);
        const names = [view.manager, ...view.coManagers].map((p) => `${p.name} (${p.email})`).join(', ');
        render(req, res, 'forbidden.njk', { title: t('forbidden.title'), reason: t('forbidden.reason', { email: shownAs(me(req)), title: view.title, managers: names, manager: view.manager.name }) }, 403);
        return undefined;
      }
      return view;
    },
  };
}
