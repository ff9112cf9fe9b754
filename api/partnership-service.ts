import type { DocumentSource } from '../activities/documents/sources';
import { partnershipSearchAttributes, SEARCH_ATTRIBUTES, START_SEARCH_ATTRIBUTES } from '../workflows/partnership/search-attributes';
import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
// The SDK's own decoder for raw visibility rows; list() calls the raw API to expose the page token.
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { openPageToken, pageTokenKey, sealPageToken } from '../infra/page-token';
import type { Logger } from '../infra/logger';
import type { Store } from '../infra/store/store';
import { searchAttributeProblems, withinSearchAttributeLimits } from '../domain/search-attribute-limits';
import { HttpError, isClosedWorkflow } from './errors';
import { visibilityString } from './visibility-query';
import { partnershipWorkflowId, WORKFLOW_TYPES } from '../domain/names';
import { decisionFromTransition, gateTaskOwner, initialState, toView, type PartnershipView, type PendingTask, type Completion, type DocumentRef, type DecisionRecord } from '../domain/partnership/partnership-state';
import type { PhaseId } from '../domain/partnership/phases';
import type {
  ListPartnershipsQuery,
  AdvanceRequest,
  ChangeRoleRequest,
  ChannelProposalRequest,
  CompleteItemRequest,
  ResourceStrategy,
  RoadmapActivityInput,
  InvitePartnerRequest,
  PartnerAnswer,
  PartnershipInput,
  ReviewDecisionRequest,
  StakeholderInput,
  WithdrawPartnerRequest,
  SmartObjectiveInput,
} from '../domain/schemas';
import { approvalStateQuery, decideUpdate, delegateUpdate } from '../workflows/human-tasks/approval';
import type { ApprovalDecision, ApprovalState, ApprovalTaskKind, DecideInput, DelegateInput, Handover } from '../domain/human-tasks/approval-state';
import { onboardingStateQuery, partnerAnswerUpdate, resendInvitationUpdate } from '../workflows/partners/partner-onboarding';
import type { OnboardingResend, OnboardingResendInput, OnboardingState } from '../domain/partners/onboarding-state';
import { recordActivityProgressUpdate } from '../workflows/partnership/partnership';
import type { ProgressRecord } from '../domain/resources/activity-progress';
import type { ActivityProgressRequest } from '../domain/schemas';
import type { RoleChange } from '../domain/partnership/partnership-state';
import type { StakeholderUpsert } from '../domain/partners/partner-map';
import { slugify, type Stakeholder } from '../domain/partners/stakeholders';
import type { UpdateDefinition } from '@temporalio/common';
import type { ChannelVersion, FiduciaryRule, RoadmapActivity } from '../domain/resources/funding';
import type { SmartObjective } from '../domain/resources/objectives';
import type { SectionId, SectionView } from '../domain/partnership/sections';
import type { SectionWriteRequest } from '../domain/schemas';
import { writeSectionUpdate } from '../workflows/partnership/partnership';
import { remindReviewUpdate, reviewAnswerUpdate, reviewStateQuery } from '../workflows/reviews/reflective-review';
import type { PartnerReviewAnswer, ReviewAnswerInput, ReviewReminder, ReviewReminderInput, ReviewState } from '../domain/reviews/review';
import type { ReviewRef } from '../domain/partnership/partnership-state';
import {
  startReviewUpdate,
  proposeChannelUpdate,
  setFiduciaryRuleUpdate,
  setResourceStrategyUpdate,
  upsertActivityUpdate,
  upsertObjectiveUpdate,
  changeRoleUpdate,
  invitePartnerUpdate,
  upsertStakeholderUpdate,
  withdrawPartnerUpdate,
  completeItemUpdate,
  decideGateUpdate,
  delegateGateUpdate,
  gateTaskQuery,
  type GateDecisionResult,
  partnershipStateQuery,
  phaseDocumentFactsQuery,
  partnershipWorkflow,
  requestAdvanceUpdate,
  requestReviewDecisionUpdate,
} from '../workflows/partnership/partnership';

export interface PartnershipPage {
  partnerships: PartnershipListItem[];
  /** How many partnerships match the filter, across all pages. */
  total: number;
  /** Pass as `pageToken` for the next page; absent on the last page. */
  nextPageToken?: string;
}

/**
 * How a partnership ended when it did not end by its own decision: an
 * operator terminated it, the server did (e.g. a search attribute over
 * Temporal's limit), it failed or timed out. Its last state is still readable,
 * but nothing can act on it any more.
 */
export interface AbnormalEnding {
  /** Temporal's execution status: TERMINATED, FAILED, TIMED_OUT or CANCELLED. */
  executionStatus: string;
  /** The terminate reason or failure message, when the server recorded one. */
  reason: string | null;
  at: string | null;
}

/** How a partnership ended, for the links of the work it started (see `partnershipEnding`). */
export interface PartnershipEnding {
  /** `closed`: by its own exit decision; otherwise how it ended abnormally. */
  how: 'closed' | EndedStatus;
  at: string | null;
  /** The terminate reason or failure message, when the server recorded one. */
  reason: string | null;
}

/** `status` of a partnership that ended abnormally, as the read model and lists show it. */
export type EndedStatus = 'terminated' | 'failed' | 'timed-out' | 'cancelled';

/** Temporal's execution statuses that end a partnership abnormally: as the SDK names them, as visibility queries name them, as we show them. */
const ENDINGS: ReadonlyArray<{ sdk: string; visibility: string; status: EndedStatus }> = [
  { sdk: 'TERMINATED', visibility: 'Terminated', status: 'terminated' },
  { sdk: 'FAILED', visibility: 'Failed', status: 'failed' },
  { sdk: 'TIMED_OUT', visibility: 'TimedOut', status: 'timed-out' },
  { sdk: 'CANCELLED', visibility: 'Canceled', status: 'cancelled' },
];
const ENDED_STATUS: Record<string, EndedStatus> = Object.fromEntries(ENDINGS.map((e) => [e.sdk, e.status]));
/** Visibility's names of the abnormal endings, for queries such as the operators' metric. */
export const ABNORMAL_EXECUTION_STATUSES = ENDINGS.map((e) => e.visibility);

/** The read model the API serves: the workflow's own view, or its last state marked as ended with the reason. */
export type PartnershipReadModel = Omit<PartnershipView, 'status'> & {
  status: PartnershipView['status'] | EndedStatus;
  ended?: AbnormalEnding;
};

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

/**
 * When an Update lands in the same workflow task as a completion (or
 * continue-as-new) that the server refuses because new events arrived
 * meanwhile, the server drops the Update with this error. Nothing was applied,
 * and validators make a repeat safe, so we send it again.
 */
function isDroppedUpdate(err: unknown): boolean {
  return /unexpected workflow task failure/i.test(String((err as { cause?: unknown })?.cause ?? '')) ||
    /unexpected workflow task failure/i.test(String(err));
}

async function withUpdateRetry<T>(send: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (attempt >= attempts || !isDroppedUpdate(err)) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

/** A readable, unique slug for a partnership whose request named none: its title transliterated (a Chinese title reads in pinyin) and a random suffix. */
function newSlug(title: string): string {
  return `${slugify(title, 40) || 'partnership'}-${randomBytes(3).toString('hex')}`;
}

export interface PartnershipServiceOptions {
  /** Seals list page tokens; give every API replica the same one (create-app derives it from the task link secret). */
  pageKey?: Buffer;
  /** The registry, which answers which partnerships a partner is in (`?partner=`) and lists' partner names. */
  registry?: Pick<Store, 'partnershipsWithActivePartner' | 'activePartnersOf'> & Partial<Pick<Store, 'listDocuments' | 'listTransitions'>>;
  logger?: Pick<Logger, 'warn'>;
  /** Where a stored document is served (`<public base>/api/documents/<id>`), for the documents the read model lists from the registry. */
  documentUrl?: (id: string) => string;
}

/** At most this many partnerships per partner go into one visibility query (`WorkflowId IN (…)`). */
const MAX_PARTNERSHIPS_PER_PARTNER_FILTER = 1000;

function endedMessage(id: string, ended: AbnormalEnding): string {
  const how = `${id} was ${ENDED_STATUS[ended.executionStatus]}${ended.at ? ` on ${ended.at}` : ''}${ended.reason ? `: ${ended.reason}` : ''}`;
  return `${how}; it can no longer be changed (see the README, "When a partnership ends abnormally")`;
}

/** The visibility clause for a `status` filter: the workflow's own status while it runs, or how it ended. */
function statusClause(status: NonNullable<ListPartnershipsQuery['status']>): string {
  const ending = ENDINGS.find((e) => e.status === status);
  if (ending) return `ExecutionStatus = ${visibilityString(ending.visibility)}`;
  // A terminated run keeps the MspStatus it last wrote; only running or completed runs are what their status says.
  return `${SEARCH_ATTRIBUTES.status.name} = ${visibilityString(status)} AND ExecutionStatus IN ('Running', 'Completed')`;
}

/** How many partnerships' languages the service remembers before it starts again (a few hundred KB at most). */
const LANGUAGES_REMEMBERED = 10_000;

/** The API's use of Temporal: every partnership and task operation goes through here. */
export class PartnershipService {
  private readonly pageKey: Buffer;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly options: PartnershipServiceOptions = {},
  ) {
    this.pageKey = options.pageKey ?? pageTokenKey(randomBytes(32).toString('hex'));
  }

  /**
   * Every human or tool action is an Update; see withUpdateRetry for why it
   * may be sent twice. A partnership that ended abnormally answers 409 naming
   * how and why, rather than a bare "closed".
   */
  private async update<Ret, Arg>(id: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
    try {
      return await withUpdateRetry(() => this.client.workflow.getHandle(id).executeUpdate(def, { args: [arg] }));
    } catch (err) {
      if (!isClosedWorkflow(err)) throw err;
      const ended = await this.abnormalEnding(id).catch(() => undefined);
      if (!ended) throw err;
      throw new HttpError(409, endedMessage(id, ended), { ended });
    }
  }

  /**
   * How the run of workflow `id` (a partnership, task, onboarding or review)
   * ended, when it ended other than by completing or continuing as new;
   * undefined while it runs or after it completed.
   */
  async abnormalEnding(id: string): Promise<AbnormalEnding | undefined> {
    const description = await this.client.workflow.getHandle(id).describe();
    const executionStatus = description.status.name;
    if (!ENDED_STATUS[executionStatus]) return undefined;
    const history = await this.client.workflowService.getWorkflowExecutionHistory({
      namespace: this.client.options.namespace,
      execution: { workflowId: id, runId: description.runId },
      // The close event alone: a long history is not read to learn why it ended.
      historyEventFilterType: 2,
    });
    const close = history.history?.events?.[0];
    const reason =
      close?.workflowExecutionTerminatedEventAttributes?.reason ||
      close?.workflowExecutionFailedEventAttributes?.failure?.message ||
      (close?.workflowExecutionTimedOutEventAttributes ? 'the workflow execution timed out' : '') ||
      (close?.workflowExecutionCanceledEventAttributes ? 'the workflow execution was cancelled' : '') ||
      null;
    const ended = { executionStatus, reason, at: description.closeTime?.toISOString() ?? null };
    this.options.logger?.warn({ workflowId: id, ...ended }, 'workflow ended abnormally; its last state is read-only');
    return ended;
  }

  /**
   * Whether the partnership `id` has ended, and how: `closed` by its own
   * decision (an approved exit; its workflow completed or is finishing), or
   * ended abnormally (terminated, failed, timed out, cancelled). Undefined
   * while it lives. Every emailed link of work that belongs to a partnership
   * asks this before showing a form or passing on an answer. One describe call;
   * a query only in the moments between the exit and the workflow's completion.
   */
  async partnershipEnding(id: string): Promise<PartnershipEnding | undefined> {
    const description = await this.client.workflow
      .getHandle(id)
      .describe()
      // Work started on its own (tests, tools) names a partnership that does not exist: nothing has ended.
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
    if (!description) return undefined;
    const status = description.status.name;
    if (status === 'COMPLETED') return { how: 'closed', at: description.closeTime?.toISOString() ?? null, reason: null };
    if (status === 'RUNNING') {
      if (description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.status) !== 'closed') return undefined;
      const view = await this.client.workflow.getHandle(id).query(partnershipStateQuery);
      return view.status === 'closed' ? { how: 'closed', at: view.closedAt ?? null, reason: null } : undefined;
    }
    const ended = ENDED_STATUS[status] ? await this.abnormalEnding(id) : undefined;
    return ended ? { how: ENDED_STATUS[status], at: ended.at, reason: ended.reason } : undefined;
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
    await this.startOnce(() => this.client.workflow.start(partnershipWorkflow, {
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
        throw new HttpError(409, `${id} was used by a partnership before (${previous.status.name.toLowerCase()} on ${previous.closeTime?.toISOString() ?? 'an earlier date'}); ids name one partnership for good, so choose another slug`);
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
      if (filter.managedByAny.length === 0) return { partnerships: [], total: 0 };
      const emails = filter.managedByAny.map((e) => visibilityString(e.toLowerCase())).join(', ');
      clauses.push(`(${SEARCH_ATTRIBUTES.manager.name} IN (${emails}) OR ${START_SEARCH_ATTRIBUTES.managers.name} IN (${emails}))`);
    }
    if (filter.title) clauses.push(`${START_SEARCH_ATTRIBUTES.title.name} = ${visibilityString(filter.title)}`);
    if (filter.partner) {
      const ids = await this.registry().partnershipsWithActivePartner(filter.partner);
      if (ids.length === 0) return { partnerships: [], total: 0 };
      if (ids.length > MAX_PARTNERSHIPS_PER_PARTNER_FILTER) {
        throw new HttpError(400, `partner: ${filter.partner} is an active partner in ${ids.length} partnerships; combine it with phase or status, or read them from GET /api/partners`);
      }
      clauses.push(`WorkflowId IN (${ids.map(visibilityString).join(', ')})`);
    }
    if (filter.reviewOverdue) {
      clauses.push(`${SEARCH_ATTRIBUTES.phase.name} = 'collaborative-action'`, `${SEARCH_ATTRIBUTES.nextReviewAt.name} < '${new Date().toISOString()}'`);
    }
    const query = clauses.join(' AND ');
    const cursor = filter.pageToken ? openPageToken(this.pageKey, query, filter.pageToken) : undefined;
    if (filter.pageToken && !cursor) throw new HttpError(400, 'pageToken: must be the nextPageToken of a previous page of the same list');
    const namespace = this.client.options.namespace;
    const [page, count] = await Promise.all([
      this.client.workflowService.listWorkflowExecutions({ namespace, query, pageSize: filter.limit, nextPageToken: cursor }),
      this.client.workflow.count(query),
    ]);
    const infos = await Promise.all(page.executions.map((raw) => executionInfoFromRaw(raw, this.client.options.loadedDataConverter, raw, namespace)));
    const partnersOf = this.options.registry ? await this.options.registry.activePartnersOf(infos.map((wf) => wf.workflowId)) : new Map<string, string[]>();
    const partnerships = infos.map((wf): PartnershipListItem => {
      const sa = wf.typedSearchAttributes;
      return {
        id: wf.workflowId,
        title: String(wf.memo?.title ?? wf.workflowId),
        phase: (sa.get(SEARCH_ATTRIBUTES.phase) as PhaseId | undefined) ?? null,
        cycle: sa.get(SEARCH_ATTRIBUTES.cycle) ?? null,
        status: ENDED_STATUS[wf.status.name] ?? sa.get(SEARCH_ATTRIBUTES.status) ?? null,
        manager: sa.get(SEARCH_ATTRIBUTES.manager) ?? null,
        partners: partnersOf.get(wf.workflowId) ?? [],
        nextReviewAt: sa.get(SEARCH_ATTRIBUTES.nextReviewAt)?.toISOString() ?? null,
        lastDecision: sa.get(SEARCH_ATTRIBUTES.lastDecision) ?? null,
        startedAt: wf.startTime.toISOString(),
        executionStatus: wf.status.name,
      };
    });
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
      this.options.logger?.warn({ err, partnershipId: view.id }, 'could not list the partnership\'s documents from the registry; showing those the workflow recorded');
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
      this.options.logger?.warn({ err, partnershipId: view.id }, 'could not read earlier decisions from the registry; showing the recent ones');
      return [];
    });
    const byNumber = new Map(rows.map((r) => [r.id, r]));
    const older: DecisionRecord[] = [];
    for (let n = 1; n <= earlier; n++) {
      const r = byNumber.get(`${view.id}.decision-${n}`);
      if (r) older.push(decisionFromTransition(r));
    }
    if (older.length < earlier) this.options.logger?.warn({ partnershipId: view.id, missing: earlier - older.length }, 'earlier decisions missing from the registry');
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

  /**
   * Maps a stakeholder or updates the one the input names; `created` says
   * which. Updating one needs `expectedVersion` (from If-Match): 428 without
   * it, 409 when someone changed the stakeholder since.
   */
  upsertStakeholder(id: string, input: StakeholderInput, expectedVersion?: number): Promise<StakeholderUpsert> {
    return this.update(id, upsertStakeholderUpdate, { ...input, ...(expectedVersion !== undefined ? { expectedVersion } : {}) });
  }

  invitePartner(id: string, stakeholderId: string, req: InvitePartnerRequest): Promise<Stakeholder> {
    return this.update(id, invitePartnerUpdate, { stakeholderId, ...req });
  }

  withdrawPartner(id: string, stakeholderId: string, req: WithdrawPartnerRequest): Promise<Stakeholder> {
    return this.update(id, withdrawPartnerUpdate, { stakeholderId, ...req });
  }

  changeRole(id: string, req: ChangeRoleRequest): Promise<RoleChange> {
    return this.update(id, changeRoleUpdate, req);
  }

  /** Writes a section whole from `expectedVersion` (from If-Match or the form's hidden field): 428 without it, 409 from a stale copy. */
  writeSection(id: string, sectionId: SectionId, input: SectionWriteRequest, expectedVersion?: number): Promise<SectionView> {
    return this.update(id, writeSectionUpdate, { sectionId, ...input, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
  }

  /** Adds or replaces a roadmap activity; replacing one needs `expectedVersion` (from If-Match): 428 without it, 409 from a stale copy. */
  upsertActivity(id: string, input: RoadmapActivityInput, expectedVersion?: number): Promise<RoadmapActivity & { version: number }> {
    return this.update(id, upsertActivityUpdate, { ...input, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
  }

  /** Adds or changes a SMART objective; changing one needs `expectedVersion` (from If-Match): 428 without it, 409 from a stale copy, 400 when it is not SMART. */
  upsertObjective(id: string, input: SmartObjectiveInput, expectedVersion?: number): Promise<SmartObjective & { version: number }> {
    return this.update(id, upsertObjectiveUpdate, { ...input, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
  }

  /** Replaces the resource strategy from `expectedVersion` (from If-Match): 428 without it, 409 from a stale copy. */
  setResourceStrategy(id: string, input: ResourceStrategy, expectedVersion?: number): Promise<ResourceStrategy & { version: number }> {
    return this.update(id, setResourceStrategyUpdate, { ...input, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
  }

  /** Sets the fiduciary rule from `expectedVersion` (from If-Match): 428 without it, 409 from a stale copy. */
  setFiduciaryRule(id: string, rule: FiduciaryRule, expectedVersion?: number): Promise<{ rule: FiduciaryRule; version: number }> {
    return this.update(id, setFiduciaryRuleUpdate, { rule, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
  }

  proposeChannel(id: string, activityId: string, req: ChannelProposalRequest): Promise<ChannelVersion> {
    const { by, ...proposal } = req;
    return this.update(id, proposeChannelUpdate, { activityId, proposal, ...(by ? { by } : {}) });
  }

  startReview(id: string, by?: string): Promise<ReviewRef> {
    return this.update(id, startReviewUpdate, by ? { by } : {});
  }

  /**
   * The partnership's working language, for a page whose reader names none:
   * undefined when none was given or the partnership cannot be read in time
   * (two seconds: a page waits for nothing it can do without).
   */
  async partnershipLanguage(id: string): Promise<string | undefined> {
    // A partnership's working language is fixed when it starts, so one answer serves every later page.
    if (this.languages.has(id)) return this.languages.get(id);
    const view = await this.client.connection
      .withDeadline(Date.now() + 2000, () => this.client.workflow.getHandle(id).query(partnershipStateQuery))
      .catch(() => undefined);
    if (!view) return undefined;
    if (this.languages.size >= LANGUAGES_REMEMBERED) this.languages.clear();
    this.languages.set(id, view.language);
    return view.language;
  }

  /** Partnerships' working languages, asked once (see `partnershipLanguage`). */
  private readonly languages = new Map<string, string | undefined>();

  review(reviewId: string): Promise<ReviewState> {
    return this.client.workflow.getHandle(reviewId).query(reviewStateQuery);
  }

  answerReview(reviewId: string, input: ReviewAnswerInput): Promise<PartnerReviewAnswer> {
    return this.update(reviewId, reviewAnswerUpdate, input);
  }

  /** Reminds the review's partners who have not answered; the same `key` again is the same reminder (nothing sent twice). */
  remindReview(reviewId: string, input: ReviewReminderInput): Promise<ReviewReminder> {
    return this.update(reviewId, remindReviewUpdate, input);
  }

  onboarding(onboardingId: string): Promise<OnboardingState> {
    return this.client.workflow.getHandle(onboardingId).query(onboardingStateQuery);
  }

  answerOnboarding(onboardingId: string, email: string, answer: PartnerAnswer): Promise<string> {
    return this.update(onboardingId, partnerAnswerUpdate, { email, answer });
  }

  /** Emails the onboarding's open step to its contact again; the same `key` again is the same request (nothing sent twice). */
  resendInvitation(onboardingId: string, input: OnboardingResendInput): Promise<OnboardingResend> {
    return this.update(onboardingId, resendInvitationUpdate, input);
  }

  /** Adds a progress record to a roadmap activity from `expectedVersion` (from If-Match or the form's hidden field): 428 without it, 409 from a stale copy. */
  recordActivityProgress(id: string, activityId: string, input: ActivityProgressRequest, expectedVersion?: number): Promise<ProgressRecord> {
    return this.update(id, recordActivityProgressUpdate, { activityId, ...input, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
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
    if (!task) throw new HttpError(404, `no task "${taskId}" on ${ownerId} (it may be long decided)`);
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
   * other tasks (their facts are on the task page itself) and for a gate no
   * longer open (its document is then among the partnership's documents).
   */
  async taskDocument(task: ApprovalState): Promise<{ kind: 'draft'; source: DocumentSource } | { kind: 'stored'; documentId: string } | undefined> {
    const { partnershipId, kind } = task.request;
    if (task.decision || (kind !== 'advance' && kind !== 'review')) return undefined;
    const view = await this.get(partnershipId);
    if (kind === 'review') {
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
  async openTasksFor(email: string, kind: ApprovalTaskKind, limit = 500): Promise<ApprovalState[]> {
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
