/**
 * The partnership capability's use of Temporal: start a partnership, list
 * them from visibility, read one (with the documents and decisions the
 * registry holds beyond its run), tick checklist items, write sections, and
 * ask for the phase gates (advance, the governance decision after a review).
 * The routes (./routes.ts), the console (./console.ts) and tools call it.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
// The SDK's own decoder for raw visibility rows; list() calls the raw API to expose the page token.
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { openPageToken, pageTokenKey, sealPageToken } from '../../infra/page-token';
import type { Logger } from '../../infra/logger';
import type { Store } from '../../infra/store/store';
import { searchAttributeProblems, withinSearchAttributeLimits } from '../../domain/search-attribute-limits';
import { partnershipWorkflowId, WORKFLOW_TYPES } from '../../domain/names';
import { decisionFromTransition } from '../../domain/partnership/registry-record';
import { initialState, type Completion, type DecisionRecord, type PendingTask } from '../../domain/partnership/state';
import { toView, type PartnershipView } from '../../domain/partnership/read-model';
import type { DocumentRef } from '../../domain/documents/documents';
import type { PhaseId } from '../../domain/partnership/phases';
import type { SectionId, SectionView } from '../../domain/partnership/sections';
import { slugify } from '../../domain/partners/stakeholders';
import type {
  AdvanceRequest,
  CompleteItemRequest,
  ListPartnershipsQuery,
  PartnershipInput,
  SectionWriteRequest,
} from '../../domain/partnership/schemas';
import type { ReviewDecisionRequest } from '../../domain/reviews/schemas';
import { partnershipSearchAttributes, START_SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { completeItemUpdate, partnershipStateQuery, requestAdvanceUpdate, requestReviewDecisionUpdate, writeSectionUpdate, type PartnershipWorkflow } from '../../workflows/partnership/messages';
import { HttpError } from '../errors';
import { visibilityString } from '../visibility-query';
import { ABNORMAL_EXECUTION_STATUSES, ENDED_STATUS, endedMessage, WorkflowCalls, withVersion, type AbnormalEnding, type EndedStatus } from '../workflow-calls';
import { said } from '../../domain/said';
import { listItem, partnershipListQuery, type PartnershipPage } from './list-query';

/** The read model the API serves: the workflow's own view, or its last state marked as ended with the reason. */
export type PartnershipReadModel = Omit<PartnershipView, 'status'> & {
  status: PartnershipView['status'] | EndedStatus;
  ended?: AbnormalEnding;
};

export interface PartnershipServiceOptions {
  /** Seals list page tokens; give every API replica the same one (create-app derives it from the task link secret). */
  pageKey?: Buffer;
  /** The registry, which answers which partnerships a partner is in (`?partner=`) and lists' partner names. */
  registry?: Pick<Store, 'partnershipsWithActivePartner' | 'activePartnersOf'> & Partial<Pick<Store, 'listDocuments' | 'listTransitions'>>;
  logger?: Pick<Logger, 'warn'>;
  /** Where a stored document is served (`<public base>/api/documents/<id>`), for the documents the read model lists from the registry. */
  documentUrl?: (id: string) => string;
}

/** A readable, unique slug for a partnership whose request named none: its title transliterated (a Chinese title reads in pinyin) and a random suffix. */
function newSlug(title: string): string {
  return `${slugify(title, 40) || 'partnership'}-${randomBytes(3).toString('hex')}`;
}

/** Partnerships: start, list, read, checklist, sections, and requests for the phase gates. */
export class PartnershipService extends WorkflowCalls {
  private readonly pageKey: Buffer;

  constructor(
    client: Client,
    private readonly taskQueue: string,
    private readonly options: PartnershipServiceOptions = {},
  ) {
    super(client, options.logger);
    this.pageKey = options.pageKey ?? pageTokenKey(randomBytes(32).toString('hex'));
  }

  /**
   * Starts the workflow and answers with its initial read model, built by the
   * same pure function the workflow runs on the same arguments: no query, so a
   * start costs one round trip to Temporal rather than two.
   */
  async start(input: PartnershipInput): Promise<PartnershipView> {
    const id = partnershipWorkflowId(input.slug ?? newSlug(input.title));
    const startedAt = new Date().toISOString();
    const initial = initialState(id, input, startedAt);
    // For the console's lists: who manages it and its title. One that would pass Temporal's value limit
    // (many long co-manager emails) is left out rather than refuse the start; its people still open it by address.
    const forLists = withinSearchAttributeLimits([
      { key: START_SEARCH_ATTRIBUTES.managers, value: [input.manager, ...(input.coManagers ?? [])].map((p) => p.email.toLowerCase()) },
      { key: START_SEARCH_ATTRIBUTES.title, value: input.title },
    ]).fit;
    const searchAttributes = [...partnershipSearchAttributes(initial), ...forLists];
    const problems = searchAttributeProblems(searchAttributes);
    if (problems.length > 0) throw new HttpError(400, problems.map((p) => p.message).join('; '), { searchAttributes: problems });
    await this.startOnce(() => this.client.workflow.start<PartnershipWorkflow>(WORKFLOW_TYPES.partnership, {
      taskQueue: this.taskQueue,
      workflowId: id,
      // Ids of tasks, onboardings, documents and emails derive from this one: a second life under the
      // same id would collide with the first's (an old link deciding a new gate), so reuse is refused.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ id, input, startedAt }],
      memo: { title: input.title },
      typedSearchAttributes: searchAttributes,
      staticSummary: `MSP: ${input.title}`,
      staticDetails: [
        `**Goal:** ${input.goal}`,
        `**Drivers:** ${input.drivers.join(', ')}`,
        `**Organisation's role:** ${input.organisationRole}`,
        `**Manager:** ${input.manager.name} <${input.manager.email}>`,
        `**Approvers:** ${input.approvers.map((a) => a.name).join(', ')}`,
      ].join('\n\n'),
    }), id);
    return toView(initial);
  }

  /** Starts the workflow; a slug used before answers 409 saying whether that partnership is running or ended. */
  private async startOnce(start: () => Promise<unknown>, id: string): Promise<void> {
    try {
      await start();
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const previous = await this.client.workflow.getHandle(id).describe().catch(() => undefined);
      if (previous && previous.status.name !== 'RUNNING') {
        throw new HttpError(409, said('refusals:partnership.idUsedBefore', { id }), { id, status: previous.status.name.toLowerCase(), closedAt: previous.closeTime?.toISOString() ?? null });
      }
      throw err;
    }
  }

  /**
   * One page of partnerships from Temporal visibility, newest first, with the
   * total that match. The page token carries the server's own cursor (sealed
   * to this query), so paging stays cheap at any size.
   */
  async list(filter: ListPartnershipsQuery & { managedByAny?: readonly string[] }): Promise<PartnershipPage> {
    const query = await partnershipListQuery(filter, (partner) => this.registry().partnershipsWithActivePartner(partner));
    if (query === undefined) return { partnerships: [], total: 0 };
    const cursor = filter.pageToken ? openPageToken(this.pageKey, query, filter.pageToken) : undefined;
    if (filter.pageToken && !cursor) throw new HttpError(400, said('refusals:list.stalePageToken'));
    const namespace = this.client.options.namespace;
    const [page, count] = await Promise.all([
      this.client.workflowService.listWorkflowExecutions({ namespace, query, pageSize: filter.limit, nextPageToken: cursor }),
      this.client.workflow.count(query),
    ]);
    const infos = await Promise.all(page.executions.map((raw) => executionInfoFromRaw(raw, this.client.options.loadedDataConverter, raw, namespace)));
    const partnersOf = this.options.registry ? await this.options.registry.activePartnersOf(infos.map((wf) => wf.workflowId)) : new Map<string, string[]>();
    const partnerships = infos.map((wf) => listItem(wf, partnersOf.get(wf.workflowId) ?? []));
    const token = page.nextPageToken?.length ? sealPageToken(this.pageKey, query, page.nextPageToken) : undefined;
    return { partnerships, total: count.count, ...(token ? { nextPageToken: token } : {}) };
  }

  /**
   * The read model, from the workflow's query. A partnership whose run was
   * terminated, failed or timed out answers its last state with `status` saying
   * so and `ended` giving the reason, never as if it were still active.
   */
  async get(id: string): Promise<PartnershipReadModel> {
    const [view, ended] = await Promise.allSettled([
      this.client.workflow.getHandle(id).query(partnershipStateQuery),
      this.abnormalEnding(id),
    ]);
    if (ended.status === 'rejected') throw ended.reason;
    if (view.status === 'fulfilled') {
      const [documents, decisions] = await Promise.all([this.allDocuments(view.value), this.allDecisions(view.value)]);
      const withDocuments = { ...view.value, documents, decisions };
      return ended.value ? { ...withDocuments, status: ENDED_STATUS[ended.value.executionStatus], ended: ended.value } : withDocuments;
    }
    // Ended before its first workflow task completed: there is no state to show, only how it ended.
    if (ended.value) throw new HttpError(409, endedMessage(id, ended.value), { ended: ended.value });
    throw view.reason;
  }

  /**
   * Every document that concerns the partnership: its phase documents (which
   * the workflow records) and those its child workflows stored — letters of
   * intent and MoUs, funding agreements, MEL reports — in one order, the
   * order they were made: the registry's (time stored, then id), then any the
   * workflow recorded that the registry does not list (yet). The same rule
   * before and after a continue-as-new, which carries only the recent ones:
   * the list used to put the run's phase documents first until the run
   * continued, then switch to the registry's order. Without a registry, the
   * workflow's own list, which is in the order made too.
   */
  private async allDocuments(view: PartnershipView): Promise<DocumentRef[]> {
    const stored = await this.options.registry?.listDocuments?.(view.id).catch((err: unknown) => {
      this.logger?.warn({ err, partnershipId: view.id }, 'could not list the partnership\'s documents from the registry; showing those the workflow recorded');
      return undefined;
    });
    if (!stored) return view.documents;
    const url = this.options.documentUrl ?? ((id: string) => `/api/documents/${encodeURIComponent(id)}`);
    const asRef = (d: (typeof stored)[number]): DocumentRef => ({ id: d.id, kind: d.kind, title: d.title, url: url(d.id), phase: d.phase as PhaseId, cycle: d.cycle });
    const inRegistry = new Set(stored.map((d) => d.id));
    return [...stored.map(asRef), ...view.documents.filter((d) => !inRegistry.has(d.id))];
  }

  /**
   * Every decision of the partnership: those earlier runs no longer carry
   * (`earlier.decisions`, numbered 1…n in the registry's transitions) in front
   * of the run's own. A decision the registry lacks is left out and logged;
   * without a registry, the run's own list.
   */
  private async allDecisions(view: PartnershipView): Promise<DecisionRecord[]> {
    const earlier = view.earlier?.decisions ?? 0;
    if (!earlier || !this.options.registry?.listTransitions) return view.decisions;
    const rows = await this.options.registry.listTransitions(view.id).catch((err: unknown) => {
      this.logger?.warn({ err, partnershipId: view.id }, 'could not read earlier decisions from the registry; showing the recent ones');
      return [];
    });
    const byNumber = new Map(rows.map((r) => [r.id, r]));
    const older: DecisionRecord[] = [];
    for (let n = 1; n <= earlier; n++) {
      const r = byNumber.get(`${view.id}.decision-${n}`);
      if (r) older.push(decisionFromTransition(r));
    }
    if (older.length < earlier) this.logger?.warn({ partnershipId: view.id, missing: earlier - older.length }, 'earlier decisions missing from the registry');
    return [...older, ...view.decisions];
  }

  /**
   * How many partnerships ended abnormally, by visibility's execution status
   * (Terminated, Failed, TimedOut, Canceled): what the operators' metric
   * `msp_partnerships_ended_abnormally` reports. One count query, grouped.
   */
  async countAbnormalEndings(): Promise<Record<string, number>> {
    const statuses = ABNORMAL_EXECUTION_STATUSES.map(visibilityString).join(', ');
    const { groups } = await this.client.workflow.count(
      `WorkflowType = ${visibilityString(WORKFLOW_TYPES.partnership)} AND ExecutionStatus IN (${statuses}) GROUP BY ExecutionStatus`,
    );
    const counts: Record<string, number> = Object.fromEntries(ABNORMAL_EXECUTION_STATUSES.map((s) => [s, 0]));
    for (const g of groups) counts[String(g.groupValues[0])] = g.count;
    return counts;
  }

  private registry(): NonNullable<PartnershipServiceOptions['registry']> {
    if (!this.options.registry) throw new Error('PartnershipService was built without a registry; pass options.registry to filter by partner');
    return this.options.registry;
  }

  completeItem(id: string, itemId: string, req: CompleteItemRequest): Promise<Completion> {
    return this.update(id, completeItemUpdate, { itemId, ...req });
  }

  requestAdvance(id: string, req: AdvanceRequest): Promise<PendingTask> {
    return this.update(id, requestAdvanceUpdate, req);
  }

  requestReviewDecision(id: string, req: ReviewDecisionRequest): Promise<PendingTask> {
    return this.update(id, requestReviewDecisionUpdate, req);
  }

  /** Writes a section whole from `expectedVersion` (from If-Match or the form's hidden field): 428 without it, 409 from a stale copy. */
  writeSection(id: string, sectionId: SectionId, input: SectionWriteRequest, expectedVersion?: number): Promise<SectionView> {
    return this.update(id, writeSectionUpdate, { sectionId, ...input, ...withVersion(expectedVersion) });
  }
}
