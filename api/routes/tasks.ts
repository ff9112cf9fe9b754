import { Router } from 'express';
import { RuleError } from '../../domain/rule-error';
import { TaskDecisionSchema } from '../../domain/schemas';
import { verifyTaskTokenOfKind } from '../../infra/task-token';
import { HttpError, isClosedWorkflow } from '../errors';
import { bodyOf } from '../input';
import { renderDecisionRecorded, renderTaskPage } from '../pages/task-page';
import { wantsJson } from '../pages/layout';
import { taskView } from '../pages/link-views';
import type { PartnershipService } from '../partnership-service';

/**
 * Approvers' task links. GET only renders (mail scanners prefetch links);
 * POST records the decision through the approval workflow's Update, whose
 * validator makes the link single-use.
 */
export function tasksRouter(service: PartnershipService, secret: string): Router {
  const router = Router();

  router.get('/:token', async (req, res) => {
    const claims = verifyTaskTokenOfKind(secret, req.params.token, 'approval');
    const state = await service.task(claims.taskId);
    const approver = state.assignees.find((p) => p.email === claims.email);
    if (!approver) throw new HttpError(403, 'this task is not assigned to you');
    res.set('cache-control', 'no-store');
    if (wantsJson(req)) {
      res.json(taskView(state, approver.name, Date.now()));
      return;
    }
    res.type('html').send(renderTaskPage(state, approver.name, Date.now()));
  });

  router.post('/:token', async (req, res) => {
    const claims = verifyTaskTokenOfKind(secret, req.params.token, 'approval');
    const body = bodyOf(req, TaskDecisionSchema, { forms: true });
    // The page shows the request; read it while the task is open. Once decided
    // the task workflow completes, and reading a completed one means replaying it.
    const open = wantsJson(req) ? undefined : await service.task(claims.taskId);
    const decision = await service
      .decide(claims.taskId, {
        approverEmail: claims.email,
        decision: body.decision,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(body.choice ? { choice: body.choice } : {}),
      })
      .catch(async (err: unknown) => {
        // Once decided, the approval workflow completes: say who decided rather than "not found".
        if (isClosedWorkflow(err)) {
          const d = (await service.task(claims.taskId)).decision;
          throw new RuleError('Conflict', d ? `this task was already decided: ${d.outcome} by ${d.by?.name ?? 'the deadline'} at ${d.at}` : 'this task is closed');
        }
        throw err;
      });
    if (!open) {
      res.json({ taskId: claims.taskId, decision });
      return;
    }
    res.type('html').send(renderDecisionRecorded(open, decision.outcome));
  });

  return router;
}
