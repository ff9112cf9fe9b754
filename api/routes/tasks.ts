import { Router } from 'express';
import { RuleError } from '../../domain/rule-error';
import { TaskDecisionSchema } from '../../domain/schemas';
import { verifyTaskTokenOfKind, type LinkKeys, type TaskTokenClaims } from '../../infra/task-token';
import type { DecideInput } from '../../domain/approval-state';
import { gateTaskOwner } from '../../domain/partnership-state';
import { HttpError, isClosedWorkflow } from '../errors';
import { bodyOf } from '../input';
import { renderDecisionRecorded, renderTaskPage } from '../pages/task-page';
import { wantsJson } from '../pages/layout';
import { pageLanguage } from '../pages/views';
import { refuseIfEndedAbnormally } from './closed-requests';
import { taskView } from '../pages/link-views';
import type { PartnershipService } from '../partnership-service';

/**
 * Approvers' task links. GET only renders (mail scanners prefetch links);
 * POST records the decision through the approval workflow's Update, whose
 * validator makes the link single-use.
 */
export function tasksRouter(service: PartnershipService, secret: LinkKeys): Router {
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
      decide: (input: DecideInput) => service.decideTask(claims.taskId, input, claims.owner),
    };
  }

  router.get('/:token', async (req, res) => {
    const claims = verifyTaskTokenOfKind(secret, req.params.token, 'approval');
    const task = taskOf(claims);
    const state = await task.read();
    const approver = state.assignees.find((p) => p.email === claims.email);
    if (!approver) throw new HttpError(403, 'this task is not assigned to you');
    if (!state.decision) await refuseIfEndedAbnormally(service, task.workflowId, 'request');
    res.set('cache-control', 'no-store');
    if (wantsJson(req)) {
      res.json(taskView(state, approver.name, Date.now()));
      return;
    }
    const language = await pageLanguage(req, res, approver, () => service.partnershipLanguage(state.request.partnershipId));
    res.type('html').send(renderTaskPage(state, approver.name, Date.now(), language));
  });

  router.post('/:token', async (req, res) => {
    const claims = verifyTaskTokenOfKind(secret, req.params.token, 'approval');
    const body = bodyOf(req, TaskDecisionSchema, { forms: true });
    // The page shows the request. A gate's decision answers with its task; an approval workflow's
    // is read while open (once decided it completes, and reading a completed one means replaying it).
    const task = taskOf(claims);
    const html = !wantsJson(req);
    const before = html && !claims.owner ? await task.read() : undefined;
    // A refusal below answers in the approver's language when the task was read (?lang= or the browser's otherwise).
    if (before) await pageLanguage(req, res, before.assignees.find((p) => p.email === claims.email));
    const { decision, phase, task: decided } = await task
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
        // Once decided, an approval workflow completes (and a partnership may close): say who decided rather than "not found".
        if (isClosedWorkflow(err)) {
          const d = (await task.read()).decision;
          if (d) throw new RuleError('Conflict', `this task was already decided: ${d.outcome} by ${d.by?.name ?? 'the deadline'} at ${d.at}`);
          await refuseIfEndedAbnormally(service, task.workflowId, 'request');
          throw new RuleError('Conflict', 'this task is closed');
        }
        throw err;
      });
    if (!html) {
      res.json({ taskId: claims.taskId, decision, ...(phase !== undefined ? { phase } : {}) });
      return;
    }
    const shown = decided ?? before ?? (await task.read());
    // A choice task (continue / adapt / exit) is "approved" underneath; the person chose a word, and sees it.
    const language = await pageLanguage(req, res, shown.assignees.find((p) => p.email === claims.email), () => service.partnershipLanguage(shown.request.partnershipId));
    res.type('html').send(renderDecisionRecorded(shown, decision.choice ?? decision.outcome, phase, language));
  });

  return router;
}
