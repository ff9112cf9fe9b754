import { Router } from 'express';
import { RuleError } from '../../domain/rule-error';
import { DelegateTaskSchema, OutOfOfficeSchema, TaskDecisionSchema } from '../../domain/human-tasks/schemas';
import type { Store } from '../../infra/store/store';
import { setOutOfOffice } from './out-of-office';
import type { PdfPrinter } from '../../activities/documents/pdf-printer';
import { pageFurniture } from '../../activities/documents/render-html';
import { renderDocumentHtml } from '../../activities/documents/sources';
import { pickLanguage } from '../../domain/language';
import { documentQuerySchema, sendDocument, typesetNow } from '../documents/documents';
import { HttpError } from '../errors';
import { queryOf } from '../input';
import { verifyTaskTokenOfKind, type LinkKeys, type TaskTokenClaims } from '../../infra/task-token';
import { knownTaskKind } from '../../domain/human-tasks/kinds';
import { alreadyDecided, approvalTaskKind, currentHolderAfter, isAssignee, refuseUnlessAssignee, type DecideInput, type DelegateInput, type Handover } from '../../domain/human-tasks/approval-state';
import { gateTaskOwner } from '../../domain/partnership/gates';
import { isClosedWorkflow } from '../errors';
import { bodyOf, InputError } from '../input';
import { renderDecisionRecorded, renderTaskPage } from './task-page';
import { wantsJson } from '../pages/layout';
import { pageLanguage, renderPage } from '../pages/views';
import type { TaskPageOptions } from './task-page';
import { formatters, translator } from '../../infra/i18n';
import { say } from '../../infra/i18n/said';
import { said } from '../../domain/said';
import { refusalText, type Refusal } from '../pages/refusal';
import { toProblem } from '../errors';
import type { ApprovalState } from '../../domain/human-tasks/approval-state';
import type { Person } from '../../domain/people';
import type { Request, Response } from 'express';

/**
 * For a browser's form refused with 400 (what was typed), throws ShownAgain so
 * the form is answered again; otherwise returns and the caller rethrows.
 */
async function showAgainIf400(err: unknown, read: () => Promise<ApprovalState>, email: string, html: boolean): Promise<void> {
  if (!html || toProblem(err).status !== 400) return;
  const state = await read().catch(() => undefined);
  const approver = state?.assignees.find((p) => p.email === email);
  if (state && approver && !state.decision) throw new ShownAgain(state, approver, formRefusal(err));
}

/**
 * What the form shows for a refusal of what was typed. A rejection without a
 * comment is refused by the decision's schema (domain/human-tasks/schemas.ts)
 * before the task's own validator would say `refusals:task.commentNeeded`:
 * it gets that code, so the reader sees it in their language, not zod's English.
 */
function formRefusal(err: unknown): Refusal {
  const problem = toProblem(err);
  const noComment = err instanceof InputError && err.zod.issues.some((i) => i.code === 'custom' && i.path[0] === 'comment');
  return noComment && !problem.code ? { ...problem, code: 'refusals:task.commentNeeded' } : problem;
}

/**
 * A person named in a link page's form by flat fields `<prefix>Name`,
 * `<prefix>Email`, `<prefix>Language` (the macro `personFields`), as the JSON
 * body nests them; validated by the route's schema afterwards.
 */
function personFromForm(f: Record<string, string | undefined>, prefix: string): { name?: string; email?: string; language?: string } {
  const language = f[`${prefix}Language`];
  return { name: f[`${prefix}Name`], email: f[`${prefix}Email`], ...(language ? { language } : {}) };
}

/** A decision form refused for what was typed: thrown inside the POST handler, answered with the form again. */
class ShownAgain extends Error {
  constructor(
    readonly state: ApprovalState,
    readonly approver: Person,
    /** What was refused (api/errors.ts `Problem`): its code says the field's problem in the reader's language. */
    readonly refusal: Refusal,
  ) {
    super(refusal.message);
  }
}
import { refuseIfClosed, refuseIfEndedAbnormally } from '../pages/closed-requests';
import { taskView } from '../pages/link-views';
import type { HumanTaskService } from './service';

/**
 * Approvers' task links. GET only renders (mail scanners prefetch links);
 * POST records the decision through the approval workflow's Update, whose
 * validator makes the link single-use. A task not yet decided is closed (410,
 * no form) once its partnership has ended; a decided one says who decided.
 */
export function tasksRouter(service: HumanTaskService, secret: LinkKeys, store: Store, printer: PdfPrinter): Router {
  const router = Router();

  /**
   * Where the task lives: a phase gate on its partnership (links that name an
   * owner), anything else in its own approval workflow (and every link from
   * before gates moved onto the partnership).
   */
  function taskOf(claims: TaskTokenClaims) {
    return {
      workflowId: claims.owner ?? gateTaskOwner(claims.taskId) ?? claims.taskId,
      read: () => service.task(claims.taskId, claims.owner),
      /** Refuses (410) an undecided task whose partnership ended, or whose own workflow ended without a decision. */
      refuseIfClosed: (state: ApprovalState) =>
        state.decision ? Promise.resolve() : refuseIfClosed(service, { workflowId: claims.owner ?? gateTaskOwner(claims.taskId) ?? claims.taskId, partnershipId: state.request.partnershipId, what: 'request' }),
      decide: (input: DecideInput) => service.decideTask(claims.taskId, input, claims.owner),
      delegate: (input: DelegateInput) => service.delegateTask(claims.taskId, input, claims.owner),
    };
  }

  router.get('/:token', async (req, res) => {
    const claims = verifyTaskTokenOfKind(secret, req.params.token, 'approval');
    const task = taskOf(claims);
    const state = await task.read();
    // Someone who handed the task on is told who holds it now.
    refuseUnlessAssignee(state, claims.email);
    const approver = state.assignees.find((p) => p.email === claims.email)!;
    await task.refuseIfClosed(state);
    res.set('cache-control', 'no-store');
    if (wantsJson(req)) {
      res.json(taskView(state, approver.name, Date.now()));
      return;
    }
    const language = await pageLanguage(req, res, approver, () => service.partnershipLanguage(state.request.partnershipId));
    res.type('html').send(renderTaskPage(state, approver.name, Date.now(), language, { token: req.params.token, ...documentOf(state) }));
  });

  /**
   * Which document the task page offers (see GET /:token/document): what its
   * kind decides on, while it is open; none for a kind this API does not know
   * (a newer worker's, during a rolling deploy).
   */
  function documentOf(state: ApprovalState): Pick<TaskPageOptions, 'document'> {
    if (state.decision) return {};
    const document = knownTaskKind(approvalTaskKind(state.request))?.document;
    return document === 'phase-draft' ? { document: 'phase' } : document === 'mel-report' ? { document: 'report' } : {};
  }

  router.post('/:token', async (req, res) => {
    try {
      await decideFromLink(req, res);
    } catch (err) {
      if (!(err instanceof ShownAgain)) throw err;
      const language = await pageLanguage(req, res, err.approver, () => service.partnershipLanguage(err.state.request.partnershipId));
      // A refusal with a code is said in the reader's language; a form problem without one (zod's) still goes through `say`.
      const message = err.refusal.code ? refusalText(language, err.refusal) : say(language, err.refusal.message);
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      res
        .status(400)
        .set('cache-control', 'no-store')
        .type('html')
        .send(
          renderTaskPage(err.state, err.approver.name, Date.now(), language, {
            token: req.params.token as string,
            ...documentOf(err.state),
            problem: { message, typed: { decision: body.decision, comment: body.comment, choice: body.choice } },
          }),
        );
    }
  });

  async function decideFromLink(req: Request, res: Response): Promise<void> {
    const claims = verifyTaskTokenOfKind(secret, req.params.token as string, 'approval');
    let body: ReturnType<typeof TaskDecisionSchema.parse>;
    try {
      body = bodyOf(req, TaskDecisionSchema, { forms: true });
    } catch (err) {
      await showAgainIf400(err, () => taskOf(claims).read(), claims.email, !wantsJson(req));
      throw err;
    }
    // The page shows the request. A gate's decision answers with its task; an approval workflow's
    // is read while open (once decided it completes, and reading a completed one means replaying it).
    const task = taskOf(claims);
    const html = !wantsJson(req);
    // A task in its own workflow is read first: undecided, it is closed once its partnership has ended (a decided one is
    // refused by the Update, naming who decided). A gate's partnership answers that itself.
    const before = !claims.owner ? await task.read() : undefined;
    // A refusal below answers in the approver's language when the task was read (?lang= or the browser's otherwise).
    if (before && html) await pageLanguage(req, res, before.assignees.find((p) => p.email === claims.email));
    if (before?.decision) throw new RuleError('Conflict', alreadyDecided(before.decision));
    if (before) await task.refuseIfClosed(before);
    const { decision, phase, task: decided, language: workingLanguage } = await task
      .decide({
        approverEmail: claims.email,
        decision: body.decision,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(body.choice ? { choice: body.choice } : {}),
      })
      .catch(async (err: unknown) => {
        // The refusal page speaks the approver's language: read whose task it is (best effort; the refusal stands either way).
        if (html && !before) {
          await task
            .read()
            .then((s) => pageLanguage(req, res, s.assignees.find((p) => p.email === claims.email)))
            .catch(() => undefined);
        }
        // A form refused for what was typed (a rejection without a comment, no choice): the same form again, kept, with
        // the problem beside the field, rather than a dead-end page.
        await showAgainIf400(err, async () => before ?? (await task.read()), claims.email, html);
        // Once decided, an approval workflow completes (and a partnership may close): say who decided rather than "not found".
        if (isClosedWorkflow(err)) {
          const d = (await task.read()).decision;
          if (d) throw new RuleError('Conflict', alreadyDecided(d));
          await refuseIfEndedAbnormally(service, task.workflowId, 'request');
          throw new RuleError('Conflict', said('refusals:task.closed'));
        }
        throw err;
      });
    if (!html) {
      res.json({ taskId: claims.taskId, decision, ...(phase !== undefined ? { phase } : {}) });
      return;
    }
    const shown = decided ?? before ?? (await task.read());
    // A choice task (continue / adapt / exit) is "approved" underneath; the person chose a word, and sees it.
    // A gate's answer names the partnership's language; other tasks ask the partnership.
    const partnershipLanguage = workingLanguage !== undefined ? async () => workingLanguage ?? undefined : () => service.partnershipLanguage(shown.request.partnershipId);
    const language = await pageLanguage(req, res, shown.assignees.find((p) => p.email === claims.email), partnershipLanguage);
    res.type('html').send(renderDecisionRecorded(shown, decision.choice ?? decision.outcome, phase, language));
  }

  /**
   * What the approver is deciding on, as a document opened through the task's
   * own link (scoped to the task, expiring with it; never through /api): a
   * gate's draft phase document built from the partnership as it is now, or a
   * review decision's MEL report. `?format=pdf|html` (HTML by default, it
   * reads on a phone) and `?lang=`; otherwise the approver's language, then the
   * partnership's.
   */
  router.get('/:token/document', async (req, res) => {
    const claims = verifyTaskTokenOfKind(secret, req.params.token, 'approval');
    const task = taskOf(claims);
    const state = await task.read();
    refuseUnlessAssignee(state, claims.email);
    // Nothing is left to decide once the partnership has ended: no draft to read either.
    await task.refuseIfClosed(state);
    const doc = await service.taskDocument(state);
    if (!doc && state.decision) throw new RuleError('Conflict', said('refusals:task.documentWithPartnership'));
    if (!doc) throw new HttpError(404, said('refusals:task.noDocument'));
    res.set('cache-control', 'no-store');
    if (doc.kind === 'stored') {
      const stored = await store.getDocument(doc.documentId);
      if (!stored) throw new HttpError(404, said('refusals:task.reportNotStored'), { documentId: doc.documentId });
      await sendDocument(req, res, stored, printer, 'html');
      return;
    }
    const { format, lang } = queryOf(req, documentQuerySchema('html'));
    const approver = state.assignees.find((p) => p.email === claims.email);
    const language = lang ?? pickLanguage(approver?.language, doc.source.kind === 'phase' ? doc.source.facts.input.language : undefined);
    res.set('content-language', language);
    if (format === 'html') {
      res.type('html').send(renderDocumentHtml(doc.source, language).html);
      return;
    }
    const { model, html } = renderDocumentHtml(doc.source, language);
    const pdf = await typesetNow(req, res, printer, html, pageFurniture(model));
    res.type('application/pdf').set('content-disposition', `inline; filename="${claims.taskId}-draft.pdf"`).send(pdf);
  });

  /**
   * The assignee hands the task to a named colleague, with a reason: the
   * colleague gets an email with their own link, and this link stops working
   * (its page then says who holds the task).
   */
  router.post('/:token/delegate', async (req, res) => {
    const claims = verifyTaskTokenOfKind(secret, req.params.token, 'approval');
    if (req.is('application/x-www-form-urlencoded')) {
      // The page's form has flat fields (toName, toEmail, toLanguage); the JSON body nests them under `to`.
      const f = req.body as Record<string, string | undefined>;
      req.body = { to: personFromForm(f, 'to'), reason: f.reason };
    }
    const body = bodyOf(req, DelegateTaskSchema, { forms: true });
    const task = taskOf(claims);
    // Nothing is handed over once the partnership has ended (a decided task is refused by the Update, naming who decided).
    await task.refuseIfClosed(await task.read());
    const handover = await task.delegate({ fromEmail: claims.email, to: body.to, reason: body.reason, kind: 'hand-over' }).catch(async (err: unknown) => {
      if (isClosedWorkflow(err)) throw new RuleError('Conflict', said('refusals:task.closedNothingToHandOver'));
      // A double click, or the form sent again: the first request handed it to this same colleague, and that is the answer.
      const done = await sameHandoverMade(task.read, claims.email, body.to.email).catch(() => undefined);
      if (done) return done;
      throw err;
    });
    if (wantsJson(req)) {
      res.json({ taskId: claims.taskId, handover });
      return;
    }
    const language = await pageLanguage(req, res, handover.from);
    const t = translator(language);
    res.type('html').send(renderPage('message', language, { title: t('pages:handover.doneTitle'), message: t('pages:handover.done', { who: `${handover.to.name} <${handover.to.email}>` }) }));
  });

  /**
   * The approver is away for some days: every task due to them then goes to
   * the named delegate, starting with this one (and their other open tasks)
   * when the range covers today. The link proves who they are.
   */
  router.post('/:token/out-of-office', async (req, res) => {
    const claims = verifyTaskTokenOfKind(secret, req.params.token, 'approval');
    if (req.is('application/x-www-form-urlencoded')) {
      const f = req.body as Record<string, string | undefined>;
      req.body = {
        delegate: personFromForm(f, 'delegate'),
        firstDay: f.firstDay,
        lastDay: f.lastDay,
        ...(f.reason ? { reason: f.reason } : {}),
      };
    }
    const body = bodyOf(req, OutOfOfficeSchema, { forms: true });
    const result = await setOutOfOffice(store, service, claims.email, body, { taskId: claims.taskId, owner: claims.owner }, req.log);
    if (wantsJson(req)) {
      res.json(result);
      return;
    }
    const d = body.delegate;
    const language = await pageLanguage(req, res);
    const t = translator(language);
    const f = formatters(language);
    const message = [
      t('pages:away.done', { first: f.date(body.firstDay), last: f.date(body.lastDay), who: `${d.name} <${d.email}>` }),
      ...(result.handedOver.length ? [t('pages:away.handed', { count: result.handedOver.length })] : []),
    ].join(' ');
    res.type('html').send(renderPage('message', language, { title: t('pages:away.doneTitle'), message }));
  });

  return router;
}

/**
 * The hand-over `from` last made, when it went to `toEmail` and the task has
 * not come back to them since: what a repeated request for that hand-over is
 * answered with, rather than a refusal of its second copy.
 */
async function sameHandoverMade(read: () => Promise<ApprovalState>, from: string, toEmail: string): Promise<Handover | undefined> {
  const state = await read();
  const last = currentHolderAfter(state, from)?.handover;
  return last && last.to.email === toEmail.toLowerCase() && !state.decision && !isAssignee(state, from) ? last : undefined;
}
