/**
 * The resources capability's use of Temporal (guide II.2.B–C): SMART
 * objectives, roadmap activities and their progress, the resource strategy,
 * the fiduciary rule and funding channels — each an Update on the
 * partnership. Replace-style records take the version the caller read
 * (If-Match, or a form's hidden field): 428 without it, 409 from a stale copy.
 * The routes (./routes.ts) and the console pages (./console.ts and beside it) call it.
 */
import type { ProgressRecord } from '../../domain/resources/activity-progress';
import type { ChannelVersion, FiduciaryRule, RoadmapActivity } from '../../domain/resources/funding';
import type { SmartObjective } from '../../domain/resources/objectives';
import type {
  ActivityProgressRequest,
  ChannelProposalRequest,
  ResourceStrategy,
  RoadmapActivityInput,
  SmartObjectiveInput,
} from '../../domain/resources/schemas';
import { proposeChannelUpdate, recordActivityProgressUpdate, setFiduciaryRuleUpdate, setResourceStrategyUpdate, upsertActivityUpdate, upsertObjectiveUpdate } from '../../workflows/partnership/messages';
import { WorkflowCalls, withVersion } from '../workflow-calls';

/** Objectives, roadmap, progress, resource strategy, fiduciary rule and funding channels. */
export class ResourcesService extends WorkflowCalls {
  /** Adds or replaces a roadmap activity; replacing one needs `expectedVersion` (from If-Match): 428 without it, 409 from a stale copy. */
  upsertActivity(id: string, input: RoadmapActivityInput, expectedVersion?: number): Promise<RoadmapActivity & { version: number }> {
    return this.update(id, upsertActivityUpdate, { ...input, ...withVersion(expectedVersion) });
  }

  /** Adds or changes a SMART objective; changing one needs `expectedVersion` (from If-Match): 428 without it, 409 from a stale copy, 400 when it is not SMART. */
  upsertObjective(id: string, input: SmartObjectiveInput, expectedVersion?: number): Promise<SmartObjective & { version: number }> {
    return this.update(id, upsertObjectiveUpdate, { ...input, ...withVersion(expectedVersion) });
  }

  /** Replaces the resource strategy from `expectedVersion` (from If-Match): 428 without it, 409 from a stale copy. */
  setResourceStrategy(id: string, input: ResourceStrategy, expectedVersion?: number): Promise<ResourceStrategy & { version: number }> {
    return this.update(id, setResourceStrategyUpdate, { ...input, ...withVersion(expectedVersion) });
  }

  /** Sets the fiduciary rule from `expectedVersion` (from If-Match): 428 without it, 409 from a stale copy. */
  setFiduciaryRule(id: string, rule: FiduciaryRule, expectedVersion?: number): Promise<{ rule: FiduciaryRule; version: number }> {
    return this.update(id, setFiduciaryRuleUpdate, { rule, ...withVersion(expectedVersion) });
  }

  proposeChannel(id: string, activityId: string, req: ChannelProposalRequest): Promise<ChannelVersion> {
    const { by, ...proposal } = req;
    return this.update(id, proposeChannelUpdate, { activityId, proposal, ...(by ? { by } : {}) });
  }

  /** Adds a progress record to a roadmap activity from `expectedVersion` (from If-Match or the form's hidden field): 428 without it, 409 from a stale copy. */
  recordActivityProgress(id: string, activityId: string, input: ActivityProgressRequest, expectedVersion?: number): Promise<ProgressRecord> {
    return this.update(id, recordActivityProgressUpdate, { activityId, ...input, ...withVersion(expectedVersion) });
  }
}
