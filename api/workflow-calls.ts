/**
 * What every capability's service (api/<capability>/service.ts) does with
 * Temporal the same way: send an Update (again, when the server dropped it),
 * turn "this workflow has closed" into a 409 naming how a run ended
 * abnormally, tell a link page whether its partnership has ended, and find a
 * partnership's working language. Each service extends `WorkflowCalls`.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Logger } from '../infra/logger';
import { SEARCH_ATTRIBUTES } from '../workflows/partnership/search-attributes';
import { partnershipStateQuery } from '../workflows/partnership/messages';
import { HttpError, isClosedWorkflow } from './errors';

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
export const ENDINGS: ReadonlyArray<{ sdk: string; visibility: string; status: EndedStatus }> = [
  { sdk: 'TERMINATED', visibility: 'Terminated', status: 'terminated' },
  { sdk: 'FAILED', visibility: 'Failed', status: 'failed' },
  { sdk: 'TIMED_OUT', visibility: 'TimedOut', status: 'timed-out' },
  { sdk: 'CANCELLED', visibility: 'Canceled', status: 'cancelled' },
];
/** The SDK's name of an abnormal ending → how we show it. */
export const ENDED_STATUS: Record<string, EndedStatus> = Object.fromEntries(ENDINGS.map((e) => [e.sdk, e.status]));
/** Visibility's names of the abnormal endings, for queries such as the operators' metric. */
export const ABNORMAL_EXECUTION_STATUSES = ENDINGS.map((e) => e.visibility);

/** The 409's message for a change sent to a workflow that ended abnormally. */
export function endedMessage(id: string, ended: AbnormalEnding): string {
  const how = `${id} was ${ENDED_STATUS[ended.executionStatus]}${ended.at ? ` on ${ended.at}` : ''}${ended.reason ? `: ${ended.reason}` : ''}`;
  return `${how}; it can no longer be changed (see docs/operations.md, "When a partnership ends abnormally")`;
}

/** `{ expectedVersion }` when the caller sent one (If-Match, a form's hidden field), else nothing: the Update's validator answers 428 without it. */
export function withVersion(expectedVersion: number | undefined): { expectedVersion?: number } {
  return expectedVersion === undefined ? {} : { expectedVersion };
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

/** How many partnerships' languages a service remembers before it starts again (a few hundred KB at most). */
const LANGUAGES_REMEMBERED = 10_000;

/** The Temporal calls every capability's service shares; see the module's docstring. */
export class WorkflowCalls {
  constructor(
    protected readonly client: Client,
    protected readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /**
   * Every human or tool action is an Update; see withUpdateRetry for why it
   * may be sent twice. A workflow that ended abnormally answers 409 naming
   * how and why, rather than a bare "closed".
   */
  protected async update<Ret, Arg>(id: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
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
    this.logger?.warn({ workflowId: id, ...ended }, 'workflow ended abnormally; its last state is read-only');
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
}
