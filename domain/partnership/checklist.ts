import { CAPABILITIES, CATALOGUE, catalogueItem, itemsOfPhase, type CapabilityId, type CatalogueEdition, type CatalogueItem } from './catalogue';
import { RuleError } from '../rule-error';
import { item as itemParam, nested, phase, said } from '../said';
import type { CompleteItemRequest } from './schemas';
import { assertOpen, EMPTY_STRATEGY, type Completion, type PartnershipState } from './state';
import { sectionSummary } from './sections';
import { unfundedActivities } from '../resources/funding-summary';

/**
 * The phase checklist (the catalogue's items, guide II.2): completing an item,
 * what each capability's data shows beside its items, what is still missing
 * before a gate, and the checklist as the read model shows it.
 */

export interface ChecklistEntry extends CatalogueItem {
  done: boolean;
  /** For an item that belongs to a capability: what the partnership's data shows for it. */
  shows?: CapabilityStatus;
  doneBy?: string;
  doneAt?: string;
  note?: string;
}

export function completionOf(state: PartnershipState, itemId: string): Completion | undefined {
  return state.completions.find((c) => c.itemId === itemId);
}

/**
 * What completing an item needs, now and in every past version: open, a known item of the current phase.
 * @throws RuleError NotFound `refusals:checklist.unknownItem` {id} | Conflict `refusals:checklist.otherPhase` {item, itemPhase, phase}
 */
function checkCompleteItemBasics(state: PartnershipState, itemId: string): CatalogueItem {
  assertOpen(state);
  const item = catalogueItem(itemId);
  if (!item) throw new RuleError('NotFound', said('refusals:checklist.unknownItem', { id: itemId }));
  if (item.phase !== state.phase) {
    throw new RuleError('Conflict', said('refusals:checklist.otherPhase', { item: itemParam(itemId), itemPhase: phase(item.phase), phase: phase(state.phase) }));
  }
  return item;
}

/**
 * The full check, run by the Update validator: also refuses an item whose
 * capability is a precondition and not done yet (no stakeholder mapped, no
 * roadmap activity, no SMART target). Handlers re-check only the basics, so
 * histories recorded before this rule still replay.
 * @throws RuleError Conflict `refusals:checklist.notYet` {item, needed}, and what the basics refuse
 */
export function checkCompleteItem(state: PartnershipState, itemId: string): void {
  const item = checkCompleteItemBasics(state, itemId);
  if (item.requiresCapability && item.capability && !completionOf(state, itemId)) {
    const status = capabilityStatus(state, item.capability);
    if (!status.done) {
      throw new RuleError('Conflict', said('refusals:checklist.notYet', { item: itemParam(itemId), needed: nested(said(`console:checklist.needs.${status.id}`)) }), { capability: status });
    }
  }
}

/** Completing an item twice keeps the first completion, so a retried request is harmless. */
export function completeItem(
  state: PartnershipState,
  itemId: string,
  req: CompleteItemRequest,
  now: string,
): Completion {
  checkCompleteItemBasics(state, itemId);
  const existing = completionOf(state, itemId);
  if (existing) return existing;
  const completion: Completion = { itemId, by: req.by, at: now, ...(req.note ? { note: req.note } : {}) };
  state.completions.push(completion);
  return completion;
}

export interface CapabilityStatus {
  id: CapabilityId;
  label: string;
  done: boolean;
  /** What the partnership's own data shows. */
  summary: string;
  /** What is missing while not done. */
  needed?: string;
}

/** Whether a capability's data shows the work done, and what it shows (beside its items in the read model). */
export function capabilityStatus(state: PartnershipState, id: CapabilityId): CapabilityStatus {
  const label = CAPABILITIES.find((c) => c.id === id)!.label;
  const stakeholders = state.stakeholders ?? [];
  const roadmap = state.roadmap ?? [];
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const status = (done: boolean, summary: string, needed: string): CapabilityStatus => ({
    id,
    label,
    done,
    summary,
    ...(done ? {} : { needed }),
  });
  switch (id) {
    case 'stakeholder-map': {
      const core = stakeholders.filter((s) => s.coreGroup).length;
      return status(
        stakeholders.length > 0,
        `${plural(stakeholders.length, 'stakeholder')} mapped, ${core} in the core group`,
        'map at least one stakeholder first (POST …/stakeholders)',
      );
    }
    case 'roadmap':
      return status(roadmap.length > 0, `${plural(roadmap.length, 'activity', 'activities')} on the roadmap`, 'add at least one roadmap activity first (POST …/roadmap)');
    case 'smart-targets': {
      // The partnership's SMART objectives; an activity's SMART target also counts (partnerships planned before objectives had their own list).
      const objectives = (state.objectives ?? []).length;
      const targets = roadmap.reduce((n, a) => n + a.targets.length, 0);
      return status(
        objectives + targets > 0,
        `${objectives ? `${plural(objectives, 'SMART objective')}; ` : ''}${plural(targets, 'SMART target')} across ${plural(roadmap.length, 'activity', 'activities')}`,
        'set at least one SMART objective (POST …/objectives), or give a roadmap activity a SMART target (indicator, target, unit, date), first',
      );
    }
    case 'resource-strategy': {
      const { pledges, ownSources, externalPartners } = state.resourceStrategy ?? EMPTY_STRATEGY;
      return status(
        pledges.length + ownSources.length + externalPartners.length > 0,
        `${plural(pledges.length, 'pledge')}, ${plural(ownSources.length, 'own source')}, ${plural(externalPartners.length, 'external financial partner')}`,
        'record the resource strategy first (PUT …/resource-strategy)',
      );
    }
    case 'fiduciary-rule':
      return status(true, state.fiduciaryRule === 'rotating-core' ? 'fiduciary agent rotates among core partners' : 'the lead partner is the fiduciary agent', '');
    case 'funding-channels': {
      const funded = roadmap.length - unfundedActivities(state).length;
      return status(
        roadmap.length > 0 && funded === roadmap.length,
        `${funded} of ${plural(roadmap.length, 'activity', 'activities')} with an approved channel`,
        'every roadmap activity needs an approved financial channel',
      );
    }
    case 'mel': {
      const reviews = (state.reviews ?? []).filter((r) => r.cycle === state.cycle && r.opened !== false);
      return status(
        true,
        `monitored ${state.input.monitoredBy === 'external' ? 'externally' : 'internally'}; ${plural(reviews.length, 'review')} this cycle`,
        '',
      );
    }
    case 'issue-context':
    case 'core-group':
    case 'governance-outline':
    case 'resource-outline':
    case 'communication-plan':
    case 'reporting-lines':
    case 'own-resources':
    case 'governance-structure':
    case 'staffing-plan': {
      const written = sectionSummary(state, id);
      const core = id === 'core-group' ? `; ${plural(stakeholders.filter((s) => s.coreGroup).length, 'stakeholder')} marked core group on the map` : '';
      return status(written.done, `${written.summary}${core}`, written.needed ?? '');
    }
    case 'role': {
      const history = state.roleHistory ?? [];
      const role = history.at(-1)?.role ?? state.input.organisationRole;
      // The first entry is the role at the start; those earlier runs left behind count too.
      const changes = (state.earlier?.roleChanges ?? 0) + history.length - 1;
      return status(true, `${role}${changes > 0 ? ` (${plural(changes, 'change')})` : ''}`, '');
    }
  }
}

/** The current phase's items not yet done; with `edition`, only among the items that edition had. */
export function missingItems(state: PartnershipState, edition?: CatalogueEdition): CatalogueItem[] {
  return itemsOfPhase(state.phase, edition).filter((item) => !completionOf(state, item.id));
}

export function phaseProgress(state: PartnershipState): { done: number; total: number } {
  const items = itemsOfPhase(state.phase);
  return { done: items.filter((i) => completionOf(state, i.id)).length, total: items.length };
}

export function checklistView(state: PartnershipState): ChecklistEntry[] {
  return CATALOGUE.map((item) => {
    const c = completionOf(state, item.id);
    return {
      ...item,
      done: Boolean(c),
      ...(item.capability ? { shows: capabilityStatus(state, item.capability) } : {}),
      ...(c ? { doneBy: c.by, doneAt: c.at, ...(c.note ? { note: c.note } : {}) } : {}),
    };
  });
}
