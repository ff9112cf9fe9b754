import { RuleError } from '../rule-error';
import type { Text } from '../said';
import { nested, said, type Said, type SaidParam } from '../said';
import type { ChangeRoleRequest, StakeholderInput } from './schemas';
import type { Person } from '../schemas';
import { canInvite, hashedStakeholderId, legacyStakeholderId, organisationKey, type PartnerApproval, type PartnerStatus, type Stakeholder, stakeholderId } from './stakeholders';
import { assertOpen, type PartnershipState, type RoleChange } from '../partnership/state';
import { bumpVersion, checkVersion, type ExpectedVersion, requireVersion } from '../versions';

/**
 * The partnership's stakeholder map and partners: mapping, inviting, withdrawing and changing roles (guide II.2.A "working with partners"). Pure functions on `PartnershipState`, which the partnership workflow calls from its Updates.
 */

/** A partner's status inside a refusal ("is already invited"), as `refusals:partnerStatus.<status>`. */
const partnerStatus = (status: PartnerStatus): SaidParam => nested(said(`refusals:partnerStatus.${status}`));

/** "The organisation's role is already “Convener”", the role as `labels:role.<role>`. */
const sameRole = (role: string): Said => said('refusals:partnership.sameRole', { role: nested(said(`labels:role.${role}`)) });

/** @throws RuleError NotFound `refusals:stakeholder.notFound` {id} */
function findStakeholder(state: PartnershipState, id: string): Stakeholder {
  const s = state.stakeholders.find((x) => x.id === id);
  if (!s) throw new RuleError('NotFound', said('refusals:stakeholder.notFound', { id }));
  return s;
}

/** What an upsert answers: the stakeholder as it now is, whether this call mapped it, and its new version (the ETag). */
export type StakeholderUpsert = Stakeholder & { created: boolean; version?: number };

/** A stakeholder's entry in the state's `versions`: each stakeholder is a replace-style record of its own. */
export const stakeholderRecord = (id: string) => `stakeholder:${id}` as const;

/**
 * How an upsert derives ids and finds what it updates. `unicode`: any script,
 * matched by organisation name or explicit id, never merging two organisations.
 * `legacy`: ASCII ids cut at 60 and matched by id, as partnerships recorded
 * before the `unicode-stakeholder-ids` patch did; kept only so they replay.
 */
export type StakeholderIdScheme = 'unicode' | 'legacy';

/**
 * Which stakeholder an upsert updates, or the id a new one gets. An explicit
 * `id` names the stakeholder (RuleError `NotFound` if none); else the same
 * organisation name (see `organisationKey`) does. A new organisation whose
 * derived id belongs to a different one gets the hashed id instead.
 * RuleError `Invalid` for a name without letters or digits, `Conflict` for a
 * rename onto another stakeholder's name.
 */
function upsertTarget(state: PartnershipState, input: StakeholderInput): { existing: Stakeholder } | { id: string } {
  const plainId = stakeholderId(input.organisation);
  const key = organisationKey(input.organisation);
  const sameName = state.stakeholders.find((s) => organisationKey(s.organisation) === key);
  if (input.id !== undefined) {
    const existing = findStakeholder(state, input.id);
    if (sameName && sameName !== existing) {
      throw new RuleError('Conflict', said('refusals:stakeholder.sameName', { organisation: sameName.organisation, id: sameName.id }));
    }
    return { existing };
  }
  if (sameName) return { existing: sameName };
  const taken = (id: string) => state.stakeholders.some((s) => s.id === id);
  if (!taken(plainId)) return { id: plainId };
  const hashed = hashedStakeholderId(input.organisation);
  // Only a hash collision or a name that spells another's hashed id gets here.
  let id = hashed;
  for (let n = 2; taken(id); n++) id = `${hashed}-${n}`;
  return { id };
}

/**
 * The Update's validator: refuses what `upsertStakeholder` would (closed
 * partnership, and the RuleErrors of an upsert). Validators do not run on
 * replay, so it knows only the `unicode` scheme.
 */
export function checkUpsertStakeholder(state: PartnershipState, input: StakeholderInput & ExpectedVersion): void {
  assertOpen(state);
  const target = upsertTarget(state, input);
  if ('existing' in target) {
    // Changing a mapped stakeholder replaces its fields: only from the version the caller saw (mapping a new one needs none).
    requireVersion(stakeholderRecord(target.existing.id), input.expectedVersion);
    checkVersion(state, stakeholderRecord(target.existing.id), input.expectedVersion);
  }
}

/**
 * Maps a new stakeholder or updates the one the input names (explicit `id`,
 * else the same organisation name); a different organisation never overwrites
 * another. Throws as `checkUpsertStakeholder` does.
 */
export function upsertStakeholder(state: PartnershipState, input: StakeholderInput & ExpectedVersion, now: string, scheme: StakeholderIdScheme = 'unicode'): StakeholderUpsert {
  assertOpen(state);
  const { expectedVersion, ...mapped } = input;
  if (scheme === 'legacy') return legacyUpsertStakeholder(state, mapped, now);
  const target = upsertTarget(state, mapped);
  const { id: _named, ...fields } = mapped;
  if ('existing' in target) {
    // Histories from before versions were required carry none: their writes replay as they ran.
    checkVersion(state, stakeholderRecord(target.existing.id), expectedVersion);
    Object.assign(target.existing, { ...fields, contact: fields.contact ?? target.existing.contact });
    return { ...target.existing, created: false, version: bumpVersion(state, stakeholderRecord(target.existing.id)) };
  }
  const created: Stakeholder = { id: target.id, ...fields, status: 'mapped', history: [{ status: 'mapped', at: now }] };
  state.stakeholders.push(created);
  return { ...created, created: true, version: bumpVersion(state, stakeholderRecord(created.id)) };
}

function legacyUpsertStakeholder(state: PartnershipState, input: StakeholderInput, now: string): StakeholderUpsert {
  const id = legacyStakeholderId(input.organisation);
  const existing = state.stakeholders.find((s) => s.id === id);
  if (existing) {
    Object.assign(existing, { ...input, contact: input.contact ?? existing.contact });
    return { ...existing, created: false };
  }
  const created: Stakeholder = { id, ...input, status: 'mapped', history: [{ status: 'mapped', at: now }] };
  state.stakeholders.push(created);
  return { ...created, created: true };
}

/**
 * The onboarding workflow id of a stakeholder's next invitation. The first
 * keeps the plain `<msp id>.partner.<stakeholder>`; with `perInvitation`, a
 * later one (after a decline, expiry or withdrawal) gets `.invitation-<n>`, so
 * no id names two lives: without it a re-invitation reused the closed
 * onboarding's id, and links from the old invitation acted on the new one.
 */
export function onboardingIdFor(state: PartnershipState, stakeholder: string, perInvitation = false): string {
  const plain = `${state.id}.partner.${stakeholder}`;
  if (!perInvitation) return plain;
  const earlier = state.stakeholders.find((s) => s.id === stakeholder)?.history.filter((h) => h.status === 'invited').length ?? 0;
  return earlier === 0 ? plain : `${plain}.invitation-${earlier + 1}`;
}

/** @throws RuleError Conflict `refusals:stakeholder.cannotInvite` {organisation, status} | Invalid `refusals:stakeholder.noContact` {organisation} */
export function checkInvite(state: PartnershipState, id: string, contact?: Person): void {
  assertOpen(state);
  const s = findStakeholder(state, id);
  if (!canInvite(s)) throw new RuleError('Conflict', said('refusals:stakeholder.cannotInvite', { organisation: s.organisation, status: partnerStatus(s.status) }));
  if (!contact && !s.contact) {
    throw new RuleError('Invalid', said('refusals:stakeholder.noContact', { organisation: s.organisation }));
  }
}

export function invitePartner(state: PartnershipState, id: string, now: string, contact?: Person, idPerInvitation = false): Stakeholder {
  checkInvite(state, id, contact);
  const s = findStakeholder(state, id);
  if (contact) {
    s.contact = contact;
    // A stale copy saved afterwards would put the old contact back: the new contact is a new version.
    bumpVersion(state, stakeholderRecord(id));
  }
  s.status = 'invited';
  s.onboardingId = onboardingIdFor(state, id, idPerInvitation);
  s.history.push({ status: 'invited', at: now });
  return s;
}

/** Applies a status reported by the partner's onboarding workflow. */
export function applyPartnerStatus(state: PartnershipState, id: string, status: PartnerStatus, at: string, reason?: Text): void {
  const s = state.stakeholders.find((x) => x.id === id);
  if (!s || s.status === status) return;
  s.status = status;
  s.history.push({ status, at, ...(reason ? { reason } : {}) });
}

/** How many approvals each stakeholder keeps (one per invitation that reached internal approval). */
const APPROVALS_KEPT = 10;

/**
 * Records the internal approval an onboarding reported (signal
 * `partnerApproval`): the partnership's history shows it with the approver.
 * The same onboarding reporting again (a retried signal) changes nothing.
 */
export function recordPartnerApproval(state: PartnershipState, id: string, approval: PartnerApproval): void {
  const s = state.stakeholders.find((x) => x.id === id);
  if (!s || (s.approvals ?? []).some((a) => a.onboardingId === approval.onboardingId)) return;
  s.approvals = [...(s.approvals ?? []), approval].slice(-APPROVALS_KEPT);
}

/** @throws RuleError Conflict `refusals:stakeholder.cannotWithdraw` {organisation, status} */
export function checkWithdraw(state: PartnershipState, id: string): Stakeholder {
  const s = findStakeholder(state, id);
  if (s.status !== 'active' && s.status !== 'invited') {
    throw new RuleError('Conflict', said('refusals:stakeholder.cannotWithdraw', { organisation: s.organisation, status: partnerStatus(s.status) }));
  }
  return s;
}

/** @throws RuleError Conflict `refusals:partnership.sameRole` {role} */
export function checkChangeRole(state: PartnershipState, req: ChangeRoleRequest): void {
  assertOpen(state);
  if (req.role === state.input.organisationRole) {
    throw new RuleError('Conflict', sameRole(req.role));
  }
}

export function changeRole(state: PartnershipState, req: ChangeRoleRequest, now: string): RoleChange {
  assertOpen(state);
  if (req.role === state.input.organisationRole) {
    throw new RuleError('Conflict', sameRole(req.role));
  }
  state.input = { ...state.input, organisationRole: req.role };
  const change: RoleChange = { role: req.role, by: req.by, at: now, ...(req.reason ? { reason: req.reason } : {}) };
  state.roleHistory.push(change);
  return change;
}

export function activePartnerNames(state: PartnershipState): string[] {
  return state.stakeholders.filter((s) => s.status === 'active').map((s) => s.organisation);
}
