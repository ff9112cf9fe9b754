import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
// The SDK's own decoder for raw visibility rows; list() calls the raw API to expose the page token.
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { openPageToken, pageTokenKey, sealPageToken } from '../infra/page-token';
import { HttpError } from './errors';
import { partnershipWorkflowId, SEARCH_ATTRIBUTES, WORKFLOW_TYPES } from '../domain/names';
import { initialState, partnershipSearchAttributes, toView, type PartnershipView, type PendingTask, type Completion } from '../domain/partnership-state';
import type { PhaseId } from '../domain/phases';
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
} from '../domain/schemas';
import { approvalStateQuery, decideUpdate } from '../workflows/approval';
import type { ApprovalDecision, ApprovalState, DecideInput } from '../domain/approval-state';
import { onboardingStateQuery, partnerAnswerUpdate } from '../workflows/partner-onboarding';
import type { OnboardingState } from '../domain/onboarding-state';
import type { RoleChange, StakeholderUpsert } from '../domain/partnership-state';
import { slugify, type Stakeholder } from '../domain/stakeholders';
import type { UpdateDefinition } from '@temporalio/common';
import type { ChannelVersion, FiduciaryRule, RoadmapActivity } from '../domain/funding';
import { reviewAnswerUpdate, reviewStateQuery } from '../workflows/reflective-review';
import type { PartnerReviewAnswer, ReviewAnswerInput, ReviewState } from '../domain/review';
import type { ReviewRef } from '../domain/partnership-state';
import {
  startReviewUpdate,
  proposeChannelUpdate,
  setFiduciaryRuleUpdate,
  setResourceStrategyUpdate,
  upsertActivityUpdate,
  changeRoleUpdate,
  invitePartnerUpdate,
  upsertStakeholderUpdate,
  withdrawPartnerUpdate,
  completeItemUpdate,
  partnershipStateQuery,
  partnershipWorkflow,
  requestAdvanceUpdate,
  requestReviewDecisionUpdate,
} from '../workflows/partnership';

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
  status: string | null;
  manager: string | null;
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

/** The API's use of Temporal: every partnership and task operation goes through here. */
export class PartnershipService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** Seals list page tokens; give every API replica the same one (create-app derives it from the task link secret). */
    private readonly pageKey: Buffer = pageTokenKey(randomBytes(32).toString('hex')),
  ) {}

  /** Every human or tool action is an Update; see withUpdateRetry for why it may be sent twice. */
  private update<Ret, Arg>(id: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
    return withUpdateRetry(() => this.client.workflow.getHandle(id).executeUpdate(def, { args: [arg] }));
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
    await this.client.workflow.start(partnershipWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: id,
      args: [{ id, input, startedAt }],
      memo: { title: input.title },
      typedSearchAttributes: partnershipSearchAttributes(initial),
      staticSummary: `MSP: ${input.title}`,
      staticDetails: [
        `**Goal:** ${input.goal}`,
        `**Drivers:** ${input.drivers.join(', ')}`,
        `**Organisation's role:** ${input.organisationRole}`,
        `**Manager:** ${input.manager.name} <${input.manager.email}>`,
        `**Approvers:** ${input.approvers.map((a) => a.name).join(', ')}`,
      ].join('\n\n'),
    });
    return toView(initial);
  }

  /**
   * One page of partnerships from Temporal visibility, newest first, with the
   * total that match. The page token carries the server's own cursor (sealed
   * to this query), so paging stays cheap at any size.
   */
  async list(filter: ListPartnershipsQuery): Promise<PartnershipPage> {
    const clauses = [`WorkflowType = '${WORKFLOW_TYPES.partnership}'`, `ExecutionStatus != 'ContinuedAsNew'`];
    // Values come from zod enums, so interpolation cannot inject into the visibility query.
    if (filter.phase) clauses.push(`${SEARCH_ATTRIBUTES.phase.name} = '${filter.phase}'`);
    if (filter.status) clauses.push(`${SEARCH_ATTRIBUTES.status.name} = '${filter.status}'`);
    // The schema refuses quotes and backslashes in partner names, so this cannot break out of the string.
    if (filter.partner) clauses.push(`${SEARCH_ATTRIBUTES.partners.name} = '${filter.partner}'`);
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
    const partnerships = infos.map((wf): PartnershipListItem => {
      const sa = wf.typedSearchAttributes;
      return {
        id: wf.workflowId,
        title: String(wf.memo?.title ?? wf.workflowId),
        phase: (sa.get(SEARCH_ATTRIBUTES.phase) as PhaseId | undefined) ?? null,
        cycle: sa.get(SEARCH_ATTRIBUTES.cycle) ?? null,
        status: sa.get(SEARCH_ATTRIBUTES.status) ?? null,
        manager: sa.get(SEARCH_ATTRIBUTES.manager) ?? null,
        partners: sa.get(SEARCH_ATTRIBUTES.partners) ?? [],
        nextReviewAt: sa.get(SEARCH_ATTRIBUTES.nextReviewAt)?.toISOString() ?? null,
        lastDecision: sa.get(SEARCH_ATTRIBUTES.lastDecision) ?? null,
        startedAt: wf.startTime.toISOString(),
        executionStatus: wf.status.name,
      };
    });
    const token = page.nextPageToken?.length ? sealPageToken(this.pageKey, query, page.nextPageToken) : undefined;
    return { partnerships, total: count.count, ...(token ? { nextPageToken: token } : {}) };
  }

  get(id: string): Promise<PartnershipView> {
    return this.client.workflow.getHandle(id).query(partnershipStateQuery);
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

  /** Maps a stakeholder or updates the one the input names; `created` says which. */
  upsertStakeholder(id: string, input: StakeholderInput): Promise<StakeholderUpsert> {
    return this.update(id, upsertStakeholderUpdate, input);
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

  upsertActivity(id: string, input: RoadmapActivityInput): Promise<RoadmapActivity> {
    return this.update(id, upsertActivityUpdate, input);
  }

  setResourceStrategy(id: string, input: ResourceStrategy): Promise<ResourceStrategy> {
    return this.update(id, setResourceStrategyUpdate, input);
  }

  setFiduciaryRule(id: string, rule: FiduciaryRule): Promise<FiduciaryRule> {
    return this.update(id, setFiduciaryRuleUpdate, { rule });
  }

  proposeChannel(id: string, activityId: string, req: ChannelProposalRequest): Promise<ChannelVersion> {
    const { by, ...proposal } = req;
    return this.update(id, proposeChannelUpdate, { activityId, proposal, ...(by ? { by } : {}) });
  }

  startReview(id: string, by?: string): Promise<ReviewRef> {
    return this.update(id, startReviewUpdate, by ? { by } : {});
  }

  review(reviewId: string): Promise<ReviewState> {
    return this.client.workflow.getHandle(reviewId).query(reviewStateQuery);
  }

  answerReview(reviewId: string, input: ReviewAnswerInput): Promise<PartnerReviewAnswer> {
    return this.update(reviewId, reviewAnswerUpdate, input);
  }

  onboarding(onboardingId: string): Promise<OnboardingState> {
    return this.client.workflow.getHandle(onboardingId).query(onboardingStateQuery);
  }

  answerOnboarding(onboardingId: string, email: string, answer: PartnerAnswer): Promise<string> {
    return this.update(onboardingId, partnerAnswerUpdate, { email, answer });
  }

  task(taskId: string): Promise<ApprovalState> {
    return this.client.workflow.getHandle(taskId).query(approvalStateQuery);
  }

  decide(taskId: string, input: DecideInput): Promise<ApprovalDecision> {
    return this.update(taskId, decideUpdate, input);
  }
}
