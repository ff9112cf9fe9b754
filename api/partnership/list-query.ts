/**
 * The list of partnerships, read from Temporal visibility: the query a
 * filter makes (search attributes, execution status, the registry's answer
 * for a partner) and one row of the answer. The service's `list`
 * (./service.ts) pages through it.
 */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import type { PhaseId } from '../../domain/partnership/phases';
import { WORKFLOW_TYPES } from '../../domain/names';
import type { ListPartnershipsQuery } from '../../domain/partnership/schemas';
import { SEARCH_ATTRIBUTES, START_SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { HttpError } from '../errors';
import { visibilityString } from '../visibility-query';
import { ENDED_STATUS, ENDINGS } from '../workflow-calls';
import { said } from '../../domain/said';

export interface PartnershipPage {
  partnerships: PartnershipListItem[];
  /** How many partnerships match the filter, across all pages. */
  total: number;
  /** Pass as `pageToken` for the next page; absent on the last page. */
  nextPageToken?: string;
}

export interface PartnershipListItem {
  id: string;
  title: string;
  phase: PhaseId | null;
  cycle: number | null;
  /** The workflow's MspStatus, or how it ended when the execution did not end by its own decision. */
  status: string | null;
  manager: string | null;
  /** Active partners' organisations, from the registry. */
  partners: string[];
  nextReviewAt: string | null;
  lastDecision: string | null;
  startedAt: string;
  executionStatus: string;
}

/** At most this many partnerships per partner go into one visibility query (`WorkflowId IN (…)`). */
const MAX_PARTNERSHIPS_PER_PARTNER_FILTER = 1000;

/** The visibility clause for a `status` filter: the workflow's own status while it runs, or how it ended. */
function statusClause(status: NonNullable<ListPartnershipsQuery['status']>): string {
  const ending = ENDINGS.find((e) => e.status === status);
  if (ending) return `ExecutionStatus = ${visibilityString(ending.visibility)}`;
  // A terminated run keeps the MspStatus it last wrote; only running or completed runs are what their status says.
  return `${SEARCH_ATTRIBUTES.status.name} = ${visibilityString(status)} AND ExecutionStatus IN ('Running', 'Completed')`;
}

/**
 * The visibility query of a list `filter`, or undefined when nothing can
 * match (a person who holds no address, a partner in no partnership).
 * `partnershipsWithActivePartner` asks the registry (`?partner=`).
 *
 * @throws HttpError 400 when the partner is in more partnerships than one query may name
 */
export async function partnershipListQuery(
  filter: ListPartnershipsQuery & { managedByAny?: readonly string[] },
  partnershipsWithActivePartner: (partner: string) => Promise<string[]>,
): Promise<string | undefined> {
  const clauses = [`WorkflowType = ${visibilityString(WORKFLOW_TYPES.partnership)}`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (filter.phase) clauses.push(`${SEARCH_ATTRIBUTES.phase.name} = ${visibilityString(filter.phase)}`);
  if (filter.status) clauses.push(statusClause(filter.status));
  if (filter.manager) clauses.push(`${SEARCH_ATTRIBUTES.manager.name} = ${visibilityString(filter.manager)}`);
  if (filter.managedBy) {
    // MspManager too: partnerships started before MspManagers existed carry only it.
    const email = visibilityString(filter.managedBy.toLowerCase());
    clauses.push(`(${SEARCH_ATTRIBUTES.manager.name} = ${email} OR ${START_SEARCH_ATTRIBUTES.managers.name} = ${email})`);
  }
  if (filter.managedByAny) {
    // A signed-in person's own list: every address they hold. None held: nothing is theirs.
    if (filter.managedByAny.length === 0) return undefined;
    const emails = filter.managedByAny.map((e) => visibilityString(e.toLowerCase())).join(', ');
    clauses.push(`(${SEARCH_ATTRIBUTES.manager.name} IN (${emails}) OR ${START_SEARCH_ATTRIBUTES.managers.name} IN (${emails}))`);
  }
  if (filter.title) clauses.push(`${START_SEARCH_ATTRIBUTES.title.name} = ${visibilityString(filter.title)}`);
  if (filter.partner) {
    const ids = await partnershipsWithActivePartner(filter.partner);
    if (ids.length === 0) return undefined;
    if (ids.length > MAX_PARTNERSHIPS_PER_PARTNER_FILTER) {
      throw new HttpError(400, said('refusals:list.partnerTooBroad', { partner: filter.partner, count: ids.length }));
    }
    clauses.push(`WorkflowId IN (${ids.map(visibilityString).join(', ')})`);
  }
  if (filter.reviewOverdue) {
    clauses.push(`${SEARCH_ATTRIBUTES.phase.name} = 'collaborative-action'`, `${SEARCH_ATTRIBUTES.nextReviewAt.name} < '${new Date().toISOString()}'`);
  }
  return clauses.join(' AND ');
}

/** One row of the list, from visibility's execution info; `partners`: the active partners' organisations, from the registry. */
export function listItem(wf: WorkflowExecutionInfo, partners: string[]): PartnershipListItem {
  const sa = wf.typedSearchAttributes;
  return {
    id: wf.workflowId,
    title: String(wf.memo?.title ?? wf.workflowId),
    phase: (sa.get(SEARCH_ATTRIBUTES.phase) as PhaseId | undefined) ?? null,
    cycle: sa.get(SEARCH_ATTRIBUTES.cycle) ?? null,
    status: ENDED_STATUS[wf.status.name] ?? sa.get(SEARCH_ATTRIBUTES.status) ?? null,
    manager: sa.get(SEARCH_ATTRIBUTES.manager) ?? null,
    partners,
    nextReviewAt: sa.get(SEARCH_ATTRIBUTES.nextReviewAt)?.toISOString() ?? null,
    lastDecision: sa.get(SEARCH_ATTRIBUTES.lastDecision) ?? null,
    startedAt: wf.startTime.toISOString(),
    executionStatus: wf.status.name,
  };
}
