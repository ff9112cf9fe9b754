import { SEARCH_ATTRIBUTES } from '../partnership/search-attributes';
import {
  allHandlersFinished,
  condition,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  approvalTaskKind,
  approverSearchValue,
  checkDecision,
  checkDelegation,
  decide,
  delegate,
  initialApprovalState,
  type ApprovalDecision,
  type ApprovalRequest,
  type ApprovalState,
} from '../../domain/human-tasks/approval-state';
import { durationMs } from '../../domain/durations';
import { runHumanTask } from './run-task';
import { approvalStateQuery, decideUpdate, delegateUpdate } from './messages';
import { enforce } from '../rule-failure';
import { patch } from '../patches';
import { saidForLog } from '../../domain/said';


/**
 * One human decision, asked by email, in a workflow of its own (partner
 * approvals, funding channels, review decisions; phase gates of runs from
 * before the `gate-decided-on-partnership` patch). The task's life is
 * `runHumanTask`'s; the decision arrives as an Update whose validator refuses
 * a second decision, a wrong approver or an expired task.
 */
export async function approvalWorkflow(request: ApprovalRequest): Promise<ApprovalDecision> {
  const deadlineMs = durationMs(request.timings.deadline)!;
  const state = initialApprovalState(request, Date.now(), deadlineMs);
  const inbox = patched(patch('approver-inbox-and-digest')); // what changed: workflows/patches.ts
  const approversAttribute = () => {
    const value = approverSearchValue(state.assignees);
    if (value.length < state.assignees.length) log.warn('approver list too long for the MspApprovers search attribute; earlier approvers left out');
    return { key: SEARCH_ATTRIBUTES.approvers, value };
  };
  if (inbox) upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.taskKind, value: approvalTaskKind(request) }, approversAttribute()]);

  setHandler(approvalStateQuery, () => state);
  setHandler(
    decideUpdate,
    (input) => {
      const decision = decide(state, input, Date.now());
      showDetails(state);
      return decision;
    },
    { validator: (input) => enforce(() => checkDecision(state, input, Date.now())) },
  );
  setHandler(
    delegateUpdate,
    (input) => {
      const handover = delegate(state, input, Date.now());
      showDetails(state);
      return handover;
    },
    { validator: (input) => enforce(() => checkDelegation(state, input, Date.now())) },
  );

  const decision = await runHumanTask(state, {
    viaDigest: inbox,
    onAssigneesChanged: () => {
      if (inbox) upsertSearchAttributes([approversAttribute()]);
    },
    onChange: () => showDetails(state),
  });
  await condition(allHandlersFinished);
  log.info('approval decided', { outcome: decision.outcome });
  return decision;
}

function showDetails(state: ApprovalState): void {
  const r = state.request;
  const d = state.decision;
  setCurrentDetails(
    [
      `**${saidForLog(r.summary)}** — ${r.partnershipTitle} (\`${r.partnershipId}\`)`,
      `Requested by ${r.requestedBy}`,
      d
        ? `**Decision:** ${d.outcome} by ${d.by ? d.by.name : 'deadline'} at ${d.at}${d.comment ? ` — “${d.comment}”` : ''}`
        : `**Waiting for:** ${state.assignees.map((p) => p.name).join(', ')} · deadline ${state.deadlineAt}`,
      `Events: ${state.events.map((e) => `${e.type}${e.to ? ` (${e.to})` : ''}`).join(' → ')}`,
    ].join('\n\n'),
  );
}
