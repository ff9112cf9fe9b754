import { Router } from 'express';
import { z } from 'zod';
import { coversDay } from '../../domain/human-tasks/approval-state';
import { OutOfOfficeOnQuerySchema, OutOfOfficeSchema } from '../../domain/human-tasks/schemas';
import type { Store } from '../../infra/store/store';
import { callerOf } from '../auth';
import { holds, isAdmin, shownAs } from '../console/access';
import { HttpError } from '../errors';
import { bodyOf, pathParam, queryOf } from '../input';
import { setOutOfOffice } from './out-of-office';
import type { HumanTaskService } from './service';
import { said } from '../../domain/said';

const EmailParamSchema = z.email({ error: 'must be an email address, e.g. ana@example.org' }).toLowerCase();

/**
 * A person's settings that concern every partnership: today, their
 * out-of-office delegate. Tools (API key) and ADMIN_EMAILS may set anyone's;
 * a signed-in person their own.
 */
export function peopleRouter(service: HumanTaskService, store: Store, adminEmails: readonly string[]): Router {
  const router = Router();

  router.use('/:email', (req, res, next) => {
    const caller = callerOf(res);
    const email = pathParam(req, 'email', EmailParamSchema);
    if (caller?.kind === 'person' && !holds(caller.user, email) && !isAdmin(caller.user, adminEmails)) {
      return next(new HttpError(403, said('refusals:away.onlyYourOwn', { who: shownAs(caller.user) })));
    }
    next();
  });

  router.get('/:email/out-of-office', async (req, res) => {
    const email = pathParam(req, 'email', EmailParamSchema);
    const o = await store.getOutOfOffice(email);
    if (!o) throw new HttpError(404, said('refusals:away.noneSet', { email }));
    res.json({ email, outOfOffice: o });
  });

  router.put('/:email/out-of-office', async (req, res) => {
    const email = pathParam(req, 'email', EmailParamSchema);
    res.json(await setOutOfOffice(store, service, email, bodyOf(req, OutOfOfficeSchema), undefined, req.log));
  });

  router.delete('/:email/out-of-office', async (req, res) => {
    const email = pathParam(req, 'email', EmailParamSchema);
    const { cleared } = await store.clearOutOfOffice(email);
    if (!cleared) throw new HttpError(404, said('refusals:away.noneSet', { email }));
    res.status(204).end();
  });

  return router;
}

/**
 * `GET /registry/out-of-office/:email?on=YYYY-MM-DD` (mounted under /api):
 * whom a person's tasks go to on that day (UTC), for the worker's email
 * activity (`handOverIfAway`). Answers `{email, on, outOfOffice}`, with
 * `outOfOffice: null` when none covers the day — never 404, so a 404 means
 * the route is missing (an API older than the worker), not "present".
 * API key only: it is under /api/registry, which a console session cannot reach.
 */
export function outOfOfficeLookupRouter(store: Store): Router {
  const router = Router();
  router.get('/out-of-office/:email', async (req, res) => {
    const email = pathParam(req, 'email', EmailParamSchema);
    const { on } = queryOf(req, OutOfOfficeOnQuerySchema);
    const o = await store.getOutOfOffice(email);
    res.json({ email, on, outOfOffice: o && coversDay(o, new Date(on)) ? o : null });
  });
  return router;
}
