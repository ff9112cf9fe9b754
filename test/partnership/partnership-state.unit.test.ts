import { FIRST_EDITION, itemsOfPhase } from '../../domain/partnership/catalogue';
import { activityInput } from '../support/funding';
import { applyApproval, checkAdvance, requestAdvance } from '../../domain/partnership/gates';
import { checkCompleteItem, checklistView, completeItem, missingItems } from '../../domain/partnership/checklist';
import { checkReviewDecision, requestReviewDecision, startScheduledReview } from '../../domain/reviews/review-gates';
import { initialState, type PartnershipState } from '../../domain/partnership/state';
import { toView } from '../../domain/partnership/read-model';
import { startReview } from '../../domain/reviews/partnership-reviews';
import { upsertActivity } from '../../domain/resources/partnership-resources';
import {
  upsertStakeholder,
  invitePartner,
  applyPartnerStatus,
} from '../../domain/partners/partner-map';
import type { StakeholderGroup } from '../../domain/partners/stakeholders';
import { contactFor, stakeholderInput } from '../support/partners';
import { RuleError } from '../../domain/rule-error';
import { APPROVER_1, partnershipInput } from '../support/fixtures';

const T0 = '2026-01-01T00:00:00.000Z';

function fresh(): PartnershipState {
  return initialState('msp-unit', partnershipInput(), T0);
}

function completeAll(state: PartnershipState): void {
  for (const item of itemsOfPhase(state.phase)) completeItem(state, item.id, { by: 'unit' }, T0);
}

function addActive(state: PartnershipState, organisation: string, group: StakeholderGroup): void {
  const st = upsertStakeholder(state, stakeholderInput(organisation, group), T0);
  invitePartner(state, st.id, T0);
  applyPartnerStatus(state, st.id, 'active', T0);
}

const approved = { outcome: 'approved' as const, decidedBy: APPROVER_1, at: '2026-01-02T00:00:00.000Z' };

describe('partnership state', () => {
  test('starts in initiating, cycle 1, with nothing done', () => {
    const s = fresh();
    expect(s).toMatchObject({ phase: 'initiating', cycle: 1, status: 'active' });
    expect(checklistView(s).every((c) => !c.done)).toBe(true);
  });

  test('refuses items of other phases and unknown items, with the kind the API maps to a status', () => {
    const s = fresh();
    expect(() => completeItem(s, 'adaptive-planning.issues-context.roadmap', { by: 'x' }, T0)).toThrow(
      expect.objectContaining({ kind: 'Conflict' }),
    );
    expect(() => completeItem(s, 'nope', { by: 'x' }, T0)).toThrow(expect.objectContaining({ kind: 'NotFound' }));
  });

  test('an advance needs the whole phase checklist and creates one pending task', () => {
    const s = fresh();
    expect(() => requestAdvance(s, 'm', T0)).toThrow(RuleError);
    completeAll(s);
    expect(missingItems(s)).toEqual([]);
    const task = requestAdvance(s, 'm', T0);
    expect(task).toMatchObject({ id: 'msp-unit.c1.initiating.task-1', toPhase: 'adaptive-planning' });
    expect(s.status).toBe('awaiting-approval');
    expect(() => requestAdvance(s, 'm', T0)).toThrow(/refusals:gate.pending/);
  });

  test('a rejection keeps the phase and records the comment; an approval moves it', () => {
    const s = fresh();
    completeAll(s);
    requestAdvance(s, 'm', T0);
    expect(applyApproval(s, { ...approved, outcome: 'rejected', comment: 'not yet' })).toEqual({ type: 'stayed' });
    expect(s.phase).toBe('initiating');
    expect(s.decisions[0]).toMatchObject({ outcome: 'rejected', comment: 'not yet' });
    requestAdvance(s, 'm', T0);
    expect(applyApproval(s, approved)).toEqual({ type: 'moved', from: 'initiating', to: 'adaptive-planning' });
    expect(s.phase).toBe('adaptive-planning');
  });

  test('planning is left only with three active partners from two counted groups', () => {
    const s = fresh();
    s.phase = 'adaptive-planning';
    completeAll(s);
    expect(() => checkAdvance(s)).toThrow(/refusals:gate.notMultiStakeholder/);
    addActive(s, 'Employers Federation', 'employers-organisation');
    addActive(s, 'Workers Union', 'workers-organisation');
    addActive(s, 'Ministry of Labour', 'government');
    expect(() => checkAdvance(s)).toThrow(expect.objectContaining({ said: { code: 'refusals:gate.notMultiStakeholder.groups', params: { count: 1 } } }));
    addActive(s, 'Youth Network', 'civil-society');
    expect(() => checkAdvance(s)).not.toThrow();
    expect(requestAdvance(s, 'm', T0).toPhase).toBe('collaborative-action');
  });

  test('stakeholders are mapped once per organisation, invited once, and need a contact', () => {
    const s = fresh();
    const { contact: _c, ...noContact } = stakeholderInput('Green Business Council', 'private-sector');
    upsertStakeholder(s, noContact, T0);
    upsertStakeholder(s, { ...noContact, coreGroup: true }, T0);
    expect(s.stakeholders).toHaveLength(1);
    expect(s.stakeholders[0]).toMatchObject({ id: 'green-business-council', coreGroup: true, status: 'mapped' });
    expect(() => invitePartner(s, 'green-business-council', T0)).toThrow(/refusals:stakeholder.noContact/);
    invitePartner(s, 'green-business-council', T0, contactFor('Green Business Council'));
    expect(() => invitePartner(s, 'green-business-council', T0)).toThrow(/refusals:stakeholder.cannotInvite.*refusals:partnerStatus.invited/);
    expect(() => invitePartner(s, 'nobody', T0)).toThrow(expect.objectContaining({ kind: 'NotFound' }));
  });

  test('reflective monitoring ends with a review decision; continue opens a new cycle keeping initiating', () => {
    const s = fresh();
    for (const [org, group] of [['Ministry of Labour', 'government'], ['Youth Network', 'civil-society'], ['Workers Union', 'workers-organisation']] as const) {
      addActive(s, org, group);
    }
    for (const _ of [1, 2]) {
      completeAll(s);
      requestAdvance(s, 'm', T0);
      applyApproval(s, approved);
    }
    expect(s.phase).toBe('collaborative-action');
    expect(startScheduledReview(s, T0)).toMatchObject({ type: 'moved', to: 'reflective-monitoring' });
    completeAll(s);
    expect(() => requestAdvance(s, 'm', T0)).toThrow(/refusals:gate.reviewInsteadOfAdvance/);
    requestReviewDecision(s, { decision: 'continue' }, 'm', T0);
    expect(applyApproval(s, approved)).toEqual({ type: 'new-cycle', cycle: 2 });
    expect(s).toMatchObject({ phase: 'adaptive-planning', cycle: 2, status: 'active' });
    expect(s.completions.length).toBe(itemsOfPhase('initiating').length);
  });

  test('an item whose capability is a precondition is refused by the validator until the data shows it', () => {
    const s = fresh();
    const map = 'initiating.issues-context.stakeholder-map';
    expect(() => checkCompleteItem(s, map)).toThrow(expect.objectContaining({ said: { code: 'refusals:checklist.notYet', params: expect.objectContaining({ needed: { said: { code: 'console:checklist.needs.stakeholder-map' } } }) } }));
    expect(checklistView(s).find((c) => c.id === map)?.shows).toMatchObject({ id: 'stakeholder-map', done: false });
    upsertStakeholder(s, stakeholderInput('Ministry of Labour', 'government', true), T0);
    expect(() => checkCompleteItem(s, map)).not.toThrow();
    expect(checklistView(s).find((c) => c.id === map)?.shows).toMatchObject({ done: true, summary: '1 stakeholder mapped, 1 in the core group' });
    // The handler does not re-check it: histories recorded before the rule replay.
    const bare = fresh();
    expect(() => completeItem(bare, map, { by: 'replayed' }, T0)).not.toThrow();

    completeAll(s);
    requestAdvance(s, 'm', T0);
    applyApproval(s, approved);
    addActive(s, 'Ministry of Labour', 'government');
    expect(() => checkCompleteItem(s, 'adaptive-planning.issues-context.smart-objectives')).toThrow(/console:checklist.needs.smart-targets/);
    expect(() => checkCompleteItem(s, 'adaptive-planning.issues-context.roadmap')).toThrow(/console:checklist.needs.roadmap/);
    upsertActivity(s, activityInput('pilot', 'ministry-of-labour'));
    expect(() => checkCompleteItem(s, 'adaptive-planning.issues-context.smart-objectives')).not.toThrow();
    expect(checklistView(s).find((c) => c.id === 'adaptive-planning.issues-context.smart-objectives')?.shows?.summary).toBe('1 SMART target across 1 activity');
  });

  test('handlers check the first-edition items at a gate, validators every item', () => {
    const s = fresh();
    for (const item of itemsOfPhase('initiating', FIRST_EDITION)) completeItem(s, item.id, { by: 'old run' }, T0);
    expect(missingItems(s, FIRST_EDITION)).toEqual([]);
    expect(missingItems(s).length).toBe(itemsOfPhase('initiating').length - itemsOfPhase('initiating', FIRST_EDITION).length);
    expect(() => checkAdvance(s)).toThrow(expect.objectContaining({ said: expect.objectContaining({ code: 'refusals:gate.checklistIncomplete', params: expect.objectContaining({ phase: { phase: 'initiating' } }) }) }));
    // An advance recorded by an older version, replayed: the handler accepts it.
    expect(requestAdvance(s, 'm', T0).toPhase).toBe('adaptive-planning');

    const r = fresh();
    r.phase = 'reflective-monitoring';
    for (const item of itemsOfPhase('reflective-monitoring', FIRST_EDITION)) completeItem(r, item.id, { by: 'old run' }, T0);
    expect(() => checkReviewDecision(r)).toThrow(/refusals:gate.checklistIncomplete/);
    expect(requestReviewDecision(r, { decision: 'continue' }, 'm', T0).toPhase).toBe('adaptive-planning');
  });

  test('exit closes the partnership and further changes are refused', () => {
    const s = fresh();
    s.phase = 'reflective-monitoring';
    completeAll(s);
    requestReviewDecision(s, { decision: 'exit' }, 'm', T0);
    expect(applyApproval(s, approved)).toEqual({ type: 'closed' });
    expect(s.status).toBe('closed');
    expect(() => completeItem(s, itemsOfPhase('reflective-monitoring')[0].id, { by: 'x' }, T0)).toThrow(/refusals:partnership.closed/);
  });
});

test('a review enters the read model only once its workflow has started (opened), so its id always answers', () => {
  const state = fresh();
  const request = startReview(state, 'Mona', T0);
  expect(toView(state).reviews).toEqual([]);
  state.reviews.find((r) => r.id === request.reviewId)!.opened = true;
  expect(toView(state).reviews).toEqual([expect.objectContaining({ id: request.reviewId, status: 'in-progress' })]);
  expect(toView(state).reviews[0]).not.toHaveProperty('opened');
  // Reviews carried over from before the flag existed count as opened.
  delete state.reviews[0].opened;
  expect(toView(state).reviews).toHaveLength(1);
});
