/**
 * Human tasks' use of Temporal: read, decide and hand over a task wherever it
 * lives — a phase gate on its partnership, anything else in its own approval
 * workflow — find the open tasks a person holds, and the document an approver
 * reads before deciding. The task links, an approver's inbox and out-of-office
 * hand-overs (this folder) call it.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from '../../infra/logger';
import type { DocumentSource } from '../../activities/documents/sources';
import { WORKFLOW_TYPES } from '../../domain/names';
import { gateTaskOwner } from '../../domain/partnership/gates';
import type { PhaseId } from '../../domain/partnership/phases';
import { approvalTaskKind, type ApprovalDecision, type ApprovalState, type DecideInput, type DelegateInput, type Handover } from '../../domain/human-tasks/approval-state';
import { knownTaskKind } from '../../domain/human-tasks/kinds';
import { approvalStateQuery, decideUpdate, delegateUpdate } from '../../workflows/human-tasks/messages';
import { SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { decideGateUpdate, delegateGateUpdate, gateTaskQuery, partnershipStateQuery, phaseDocumentFactsQuery, type GateDecisionResult } from '../../workflows/partnership/messages';
import { HttpError, isClosedWorkflow } from '../errors';
import { said } from '../../domain/said';
import type { PartnershipService } from '../partnership/service';
import { visibilityString } from '../visibility-query';
import { WorkflowCalls } from '../workflow-calls';

/** Approval tasks and phase gates, wherever they live. */
export class HumanTaskService extends WorkflowCalls {
  constructor(
    client: Client,
    /** The partnership's read model, for the document a task shows. */
    private readonly partnerships: Pick<PartnershipService, 'get'>,
    logger?: Pick<Logger, 'warn'>,
  ) {
    super(client, logger);
  }

  /**
   * A task's state wherever it lives: a phase gate on its partnership (`owner`,
   * from the link; or found from the gate's id when its own workflow does not
   * exist), anything else in its approval workflow.
   */
  task(taskId: string, owner?: string): Promise<ApprovalState> {
    return this.whereTaskLives(
      taskId,
      owner,
      () => this.client.workflow.getHandle(taskId).query(approvalStateQuery),
      (gateOwner) => this.gateTask(gateOwner, taskId),
    );
  }

  /**
   * Runs `onGate` on the partnership that owns the task (`owner`, or the one its
   * id names when no approval workflow of that id exists), else `ownWorkflow`.
   */
  private async whereTaskLives<T>(taskId: string, owner: string | undefined, ownWorkflow: () => Promise<T>, onGate: (owner: string) => Promise<T>): Promise<T> {
    if (owner) return onGate(owner);
    try {
      return await ownWorkflow();
    } catch (err) {
      const gateOwner = gateTaskOwner(taskId);
      if (gateOwner && err instanceof WorkflowNotFoundError && !isClosedWorkflow(err)) return onGate(gateOwner);
      throw err;
    }
  }

  /**
   * Decides a task wherever it lives (see `task`). A gate decided on its
   * partnership answers the phase the partnership is in now.
   */
  decideTask(taskId: string, input: DecideInput, owner?: string): Promise<{ decision: ApprovalDecision; phase?: PhaseId | null; task?: ApprovalState; language?: string | null }> {
    return this.whereTaskLives<{ decision: ApprovalDecision; phase?: PhaseId | null; task?: ApprovalState; language?: string | null }>(
      taskId,
      owner,
      async () => ({ decision: await this.update(taskId, decideUpdate, input) }),
      (gateOwner) => this.decideGate(gateOwner, taskId, input),
    );
  }

  /** A phase gate's task, held by its partnership (`ownerId`): open, or among its last decided ones. */
  async gateTask(ownerId: string, taskId: string): Promise<ApprovalState> {
    const task = await this.client.workflow.getHandle(ownerId).query(gateTaskQuery, taskId);
    if (!task) throw new HttpError(404, said('refusals:task.notFound', { task: taskId, owner: ownerId }));
    return task;
  }

  /** Decides a phase gate on its partnership; the answer carries the phase the partnership is now in. */
  decideGate(ownerId: string, taskId: string, input: DecideInput): Promise<GateDecisionResult> {
    return this.update(ownerId, decideGateUpdate, { taskId, ...input });
  }

  /**
   * What an approver reads before deciding, as a document: for a phase gate,
   * the draft of the phase's document built from the partnership as it is now;
   * for a review decision, the MEL report of the latest review. Undefined for
   * other tasks (their facts are on the task page itself), for a gate no
   * longer open (its document is then among the partnership's documents), and
   * for a kind this API does not know (a newer worker's, in a rolling deploy).
   */
  async taskDocument(task: ApprovalState): Promise<{ kind: 'draft'; source: DocumentSource } | { kind: 'stored'; documentId: string } | undefined> {
    const { partnershipId } = task.request;
    const document = knownTaskKind(approvalTaskKind(task.request))?.document;
    if (task.decision || !document || document === 'none') return undefined;
    const view = await this.partnerships.get(partnershipId);
    if (document === 'mel-report') {
      const report = [...view.reviews].reverse().find((r) => r.reportId)?.reportId;
      return report ? { kind: 'stored', documentId: report } : undefined;
    }
    if (!view.phase) return undefined;
    const facts = await this.client.workflow.getHandle(partnershipId).query(phaseDocumentFactsQuery, view.phase);
    return { kind: 'draft', source: { kind: 'phase', phase: view.phase, facts, draft: true } };
  }

  /** Hands a task to a colleague wherever it lives (see `task`); answers the hand-over. */
  delegateTask(taskId: string, input: DelegateInput, owner?: string): Promise<Handover> {
    return this.whereTaskLives<Handover>(
      taskId,
      owner,
      () => this.update(taskId, delegateUpdate, input),
      (gateOwner) => this.update(gateOwner, delegateGateUpdate, { taskId, ...input }),
    );
  }

  async decide(taskId: string, input: DecideInput): Promise<ApprovalDecision> {
    return (await this.decideTask(taskId, input)).decision;
  }

  /** Ids of the workflows a visibility `query` matches, at most `limit`, in visibility's order. */
  private async workflowIdsMatching(query: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for await (const wf of this.client.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
      ids.push(wf.workflowId);
      if (ids.length >= limit) break;
    }
    return ids;
  }

  /**
   * The open phase gates (decided on their partnership) that `email` holds:
   * partnerships whose `MspApprovers` names them (written while a gate is open,
   * since the `gate-holders-searchable` patch), each read to drop a gate
   * decided or handed on since visibility was written. Partnerships whose gate
   * opened before the patch are not found; their gates are handed over at the
   * next email, as before.
   *
   * @returns `{taskId, owner}` of each gate, `owner` being the partnership's id
   */
  async openGatesFor(email: string, limit = 500): Promise<Array<{ taskId: string; owner: string }>> {
    const who = email.toLowerCase();
    const query = [
      `WorkflowType = ${visibilityString(WORKFLOW_TYPES.partnership)}`,
      `ExecutionStatus = 'Running'`,
      `${SEARCH_ATTRIBUTES.approvers.name} = ${visibilityString(who)}`,
    ].join(' AND ');
    const ids = await this.workflowIdsMatching(query, limit);
    const gates: Array<{ taskId: string; owner: string }> = [];
    for (let i = 0; i < ids.length; i += 20) {
      const views = await Promise.all(ids.slice(i, i + 20).map((id) => this.client.workflow.getHandle(id).query(partnershipStateQuery).catch(() => undefined)));
      for (const [j, view] of views.entries()) {
        const owner = ids[i + j];
        // The read model's pending gate carries its task (assignees, decision): no second query.
        for (const { id: taskId, approval: gate } of view?.pendingTasks ?? []) {
          if (gate && !gate.decision && gate.assignees.some((p) => p.email.toLowerCase() === who)) gates.push({ taskId, owner });
        }
      }
    }
    return gates;
  }

  /**
   * The open approval tasks of one kind assigned to `email`, oldest first:
   * found through visibility (`MspApprovers`, `MspTaskKind`), then read from
   * each task, which also drops any decided since visibility was written.
   */
  async openTasksFor(email: string, kind: string, limit = 500): Promise<ApprovalState[]> {
    const who = email.toLowerCase();
    const query = [
      `WorkflowType = ${visibilityString(WORKFLOW_TYPES.approval)}`,
      `ExecutionStatus = 'Running'`,
      `${SEARCH_ATTRIBUTES.approvers.name} = ${visibilityString(who)}`,
      `${SEARCH_ATTRIBUTES.taskKind.name} = ${visibilityString(kind)}`,
    ].join(' AND ');
    const ids = await this.workflowIdsMatching(query, limit);
    const states: ApprovalState[] = [];
    for (let i = 0; i < ids.length; i += 20) {
      const batch = await Promise.all(ids.slice(i, i + 20).map((id) => this.task(id).catch(() => undefined)));
      for (const s of batch) if (s && !s.decision && s.assignees.some((p) => p.email === who)) states.push(s);
    }
    return states.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}
