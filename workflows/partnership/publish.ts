import { log, patched, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { approverSearchValue } from '../../domain/human-tasks/approval-state';
import type { PartnershipState, PendingTask } from '../../domain/partnership/state';
import { phaseProgress } from '../../domain/partnership/checklist';
import { phaseLabel } from '../../domain/partnership/phases';
import { multiStakeholderCheck } from '../../domain/partners/stakeholders';
import { withinSearchAttributeLimits } from '../../domain/search-attribute-limits';
import { patch } from '../patches';
import { phase, said, status, type Said } from '../../domain/said';
import { SEARCH_ATTRIBUTES, legacyPartnersSearchAttribute, partnershipSearchAttributes, searchAttributesFingerprint } from './search-attributes';
import type { PartnershipRun } from './run';

/**
 * What the Web UI shows of a partnership: its search attributes (for lists
 * and the approver's inbox) and the markdown details of its workflow page,
 * republished after every change. Search attributes are written only when
 * one of them changes (each write is a visibility update on the server).
 */

/** How a pending task reads for operators: the Web UI's details and the child's static summary (people read `taskSaid`). */
export function describeTask(task: PendingTask): string {
  if (task.kind === 'advance') return `move from ${phaseLabel(task.fromPhase)} to ${phaseLabel(task.toPhase!)}`;
  return `review decision "${task.proposedDecision}"`;
}

/**
 * What a pending task asks, as people read it: `request` opens a sentence
 * (the approver's task: "Move from …"), `notice` sits inside one (the
 * manager's subject: "approved — move from …").
 */
export function taskSaid(task: PendingTask, as: 'request' | 'notice'): Said {
  if (task.kind === 'advance') return said(as === 'request' ? 'pages:request.move' : 'emails:said.moveFrom', { from: phase(task.fromPhase), to: phase(task.toPhase!) });
  return said(as === 'request' ? 'pages:request.reviewDecision' : 'emails:said.reviewDecision', { decision: status(String(task.proposedDecision)) });
}

/** The search attributes the state calls for now, within Temporal's limits (one over it is logged and left out). */
export function searchAttributesToWrite(state: PartnershipState): SearchAttributeUpdatePair[] {
  const attributes: SearchAttributeUpdatePair[] = partnershipSearchAttributes(state);
  const gate = state.pendingTask?.approval;
  if (gate && !gate.decision && patched(patch('gate-holders-searchable'))) {
    attributes.push({ key: SEARCH_ATTRIBUTES.approvers, value: approverSearchValue(gate.assignees) });
  }
  if (!patched(patch('partners-from-registry'))) {
    attributes.splice(4, 0, legacyPartnersSearchAttribute(state));
  } else {
    const carried = workflowInfo().typedSearchAttributes;
    for (const key of Object.values(SEARCH_ATTRIBUTES)) {
      if (carried.get(key) !== undefined && !attributes.some((a) => a.key.name === key.name)) attributes.push({ key, value: null } as SearchAttributeUpdatePair);
    }
  }
  const { fit, problems } = withinSearchAttributeLimits(attributes);
  for (const p of problems) log.error('search attribute left out: it is over Temporal\'s limit', { attribute: p.name, bytes: p.bytes, limit: p.limit });
  return fit;
}

/** Keeps the Web UI truthful after a change: search attributes when they changed, and the workflow page's details. */
export function publish(run: PartnershipRun): void {
  const { state } = run;
  const attributes = searchAttributesToWrite(state);
  const fingerprint = searchAttributesFingerprint(attributes);
  if (fingerprint !== run.lastPublished || !patched(patch('publish-changed-search-attributes-only'))) upsertSearchAttributes(attributes);
  run.lastPublished = fingerprint;
  const msp = multiStakeholderCheck(state.stakeholders);
  const progress = phaseProgress(state);
  const pending = state.pendingTask;
  const last = state.decisions[state.decisions.length - 1];
  setCurrentDetails(
    [
      `## ${state.input.title}`,
      `**Phase:** ${phaseLabel(state.phase)} · **Cycle:** ${state.cycle} · **Status:** ${state.status}`,
      `**Checklist:** ${progress.done}/${progress.total} items of ${phaseLabel(state.phase)} done`,
      `**Partners:** ${msp.activePartners} active (${msp.countedGroups.join(', ') || 'no counted group yet'})${msp.met ? '' : ` — needs ${msp.missing.join('; ')}`}`,
      pending ? `**Waiting for approval:** ${describeTask(pending)} (task \`${pending.id}\`)` : '',
      last ? `**Last decision:** ${last.outcome} by ${last.by} at ${last.at}${last.comment ? ` — “${last.comment}”` : ''}` : '',
      state.documents.length ? `**Documents:** ${state.documents.map((d) => d.title).join('; ')}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
