import { Router, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { alreadyDecided, approvalTaskKind, type ApprovalState } from '../../domain/human-tasks/approval-state';
import { said, type Said } from '../../domain/said';
import { say } from '../../infra/i18n/said';
import { knownTaskKind } from '../../domain/human-tasks/kinds';
import { InboxDecisionsSchema, type InboxDecisions } from '../../domain/human-tasks/schemas';
import { verifyTaskTokenOfKind, type LinkKeys } from '../../infra/task-token';
import { HttpError, isClosedWorkflow, toProblem } from '../errors';
import { renderInboxPage, renderInboxResults, taskTitle, type InboxResult, type TypedDecision } from './approvals-page';
import { wantsJson } from '../pages/layout';
import { requestInEnglish } from '../pages/link-views';
import { pageLanguage } from '../pages/views';
import type { Language } from '../../domain/language';
import type { PartnershipEnding } from '../workflow-calls';
import type { HumanTaskService } from './service';
import { partnershipEnded } from '../pages/closed-requests';

/** One refused line of the inbox: the refusal's status on its own, its code and parameters, and its English words for tools. */
function refused(taskId: string, title: string, status: number, saying: Said): InboxResult {
  return { taskId, title, status: 'refused', refusal: { status, code: saying.code, ...(saying.params ? { params: saying.params } : {}), message: say('en', saying) } };
}

/**
 * The form posts `decision:<taskId>` (approve, reject, or empty for "not now")
 * and `comment:<taskId>`; tools post JSON `{decisions: [{taskId, decision, comment?}]}`.
 * Both become the same list, in the order the form listed them.
 */
function decisionsFrom(req: Request): { input: unknown; typed: Map<string, TypedDecision> } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const typed = new Map<string, TypedDecision>();
  if (Array.isArray(body.decisions) || wantsJson(req)) return { input: body, typed };
  const one = (v: unknown) => (Array.isArray(v) ? String(v[0]) : typeof v === 'string' ? v : undefined);
  for (const [key, value] of Object.entries(body)) {
    const m = /^(decision|comment):(.+)$/.exec(key);
    if (!m) continue;
    const entry = typed.get(m[2]) ?? {};
    entry[m[1] as 'decision' | 'comment'] = one(value);
    typed.set(m[2], entry);
  }
  const decisions = [...typed.entries()]
    .filter(([, t]) => t.decision)
    .map(([taskId, t]) => ({ taskId, decision: t.decision, ...(t.comment?.trim() ? { comment: t.comment } : {}) }));
  return { input: { decisions }, typed };
}

/**
 * An approver's inbox: one signed link (from the digest email) listing every
 * open task of one kind waiting for them. GET only renders; POST sends one
 * `decide` Update per chosen task and answers per task, so one refusal (say,
 * someone else decided first) does not hide the others' outcomes.
 */
export function approvalsRouter(service: HumanTaskService, secret: LinkKeys): Router {
  const router = Router();

  function claimsOf(token: string): { email: string; kind: string } {
    const claims = verifyTaskTokenOfKind(secret, token, 'inbox');
    const kind = claims.taskId;
    if (!knownTaskKind(kind)?.inbox) throw new HttpError(403, said('refusals:link.notAnInbox'));
    return { email: claims.email, kind };
  }

  /** The approver as the tasks know them (the link carries only the email). */
  const approverIn = (tasks: ApprovalState[], email: string) => tasks.flatMap((t) => t.assignees).find((p) => p.email === email);
  const nameIn = (tasks: ApprovalState[], email: string) => approverIn(tasks, email)?.name ?? email;
  /** The approver's language, else the browser's, else the first task's partnership's. */
  const languageOf = (req: Request, res: Response, tasks: ApprovalState[], email: string) =>
    pageLanguage(req, res, approverIn(tasks, email), tasks[0] ? () => service.partnershipLanguage(tasks[0].request.partnershipId) : undefined);

  router.get('/:token', async (req, res) => {
    const { email, kind } = claimsOf(req.params.token);
    const tasks = await openTasksOfLivePartnerships(service, email, kind);
    if (wantsJson(req)) {
      res.set('cache-control', 'no-store').json({ kind, tasks: tasks.map((t) => ({ taskId: t.request.taskId, title: taskTitle(t), request: requestInEnglish(t.request), deadlineAt: t.deadlineAt })) });
      return;
    }
    const language = await languageOf(req, res, tasks, email);
    res.set('cache-control', 'no-store').type('html').send(renderInboxPage(kind, nameIn(tasks, email), tasks, language));
  });

  router.post('/:token', async (req, res) => {
    const { email, kind } = claimsOf(req.params.token);
    const { input, typed } = decisionsFrom(req);
    const parsed = InboxDecisionsSchema.safeParse(input);
    if (!parsed.success) {
      if (wantsJson(req)) throw parsed.error;
      // Nothing is sent while the form has a problem: show it again, as typed, with each problem named.
      const tasks = await openTasksOfLivePartnerships(service, email, kind);
      const language = await languageOf(req, res, tasks, email);
      res.status(400).type('html').send(renderInboxPage(kind, nameIn(tasks, email), tasks, language, { typed, ...problemsOf(parsed.error, input) }));
      return;
    }
    const html = !wantsJson(req);
    const open = html ? await openTasksOfLivePartnerships(service, email, kind) : [];
    const language: Language | undefined = html ? await languageOf(req, res, open, email) : undefined;
    const results = await decideEach(service, email, kind, parsed.data.decisions, language);
    if (!language) {
      res.json({ results });
      return;
    }
    res.type('html').send(renderInboxResults(results, language));
  });

  return router;
}

/** How each partnership of `ids` stands (undefined: it lives), each asked once. */
function endingsOf(service: HumanTaskService, ids: Iterable<string>): Map<string, Promise<PartnershipEnding | undefined>> {
  const endings = new Map<string, Promise<PartnershipEnding | undefined>>();
  for (const id of ids) if (!endings.has(id)) endings.set(id, service.partnershipEnding(id));
  return endings;
}

/** The open tasks the inbox lists: those of partnerships that have not ended (a task of an ended partnership is closed). */
async function openTasksOfLivePartnerships(service: HumanTaskService, email: string, kind: string): Promise<ApprovalState[]> {
  const tasks = await service.openTasksFor(email, kind);
  const endings = endingsOf(service, tasks.map((t) => t.request.partnershipId));
  const ended = await Promise.all(tasks.map((t) => endings.get(t.request.partnershipId)!));
  return tasks.filter((_, i) => !ended[i]);
}

function problemsOf(error: ZodError, input: unknown): { errors: Map<string, string>; formError?: string } {
  const list = (input as { decisions?: Array<{ taskId?: string }> }).decisions ?? [];
  const errors = new Map<string, string>();
  let formError: string | undefined;
  for (const issue of error.issues) {
    const index = issue.path[1];
    const taskId = typeof index === 'number' ? list[index]?.taskId : undefined;
    if (taskId) errors.set(taskId, issue.message);
    else formError ??= issue.message;
  }
  return { errors, ...(formError ? { formError } : {}) };
}

/** Sends each decision on its own, a few at a time; every outcome, refusals included, comes back in order. */
async function decideEach(service: HumanTaskService, email: string, kind: string, decisions: InboxDecisions['decisions'], language?: Language): Promise<InboxResult[]> {
  // Each partnership is asked once whether it has ended, however many of its tasks are decided.
  const endings = new Map<string, Promise<PartnershipEnding | undefined>>();
  const one = async ({ taskId, decision, comment }: InboxDecisions['decisions'][number]): Promise<InboxResult> => {
    let state: ApprovalState;
    try {
      state = await service.task(taskId);
    } catch {
      return refused(taskId, taskId, 404, said('refusals:request.notFound'));
    }
    // Say nothing about a task that is not this approver's, nor of another kind than the link's.
    if (!state.assignees.some((p) => p.email === email)) return refused(taskId, taskId, 403, said('refusals:task.notYours'));
    const title = taskTitle(state, language);
    if (approvalTaskKind(state.request) !== kind) return refused(taskId, title, 403, said('refusals:inbox.otherKind'));
    if (state.decision) return refused(taskId, title, 409, alreadyDecided(state.decision));
    // After "already decided": a task whose partnership has ended is closed, and nothing is sent.
    const pid = state.request.partnershipId;
    if (!endings.has(pid)) endings.set(pid, service.partnershipEnding(pid));
    const ending = await endings.get(pid)!;
    if (ending) return refused(taskId, title, 410, partnershipEnded('request', ending));
    try {
      const d = await service.decide(taskId, { approverEmail: email, decision, ...(comment ? { comment } : {}) });
      return { taskId, title, status: 'decided', outcome: d.outcome };
    } catch (err) {
      if (isClosedWorkflow(err)) {
        const after = await service.task(taskId).catch(() => undefined);
        return after?.decision ? refused(taskId, title, 409, alreadyDecided(after.decision)) : refused(taskId, title, 409, said('refusals:task.closed'));
      }
      // Includes "not reachable, try again" (503): the other decisions still go through and are reported.
      const problem = toProblem(err);
      const { status, code, params, message } = problem;
      return { taskId, title, status: 'refused', refusal: { status, ...(code ? { code } : {}), ...(params ? { params } : {}), message } };
    }
  };
  const results: InboxResult[] = [];
  for (let i = 0; i < decisions.length; i += 8) results.push(...(await Promise.all(decisions.slice(i, i + 8).map(one))));
  return results;
}
