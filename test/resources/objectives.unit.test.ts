import { initialState } from '../../domain/partnership/state';
import { capabilityStatus, checkCompleteItem } from '../../domain/partnership/checklist';
import { smartProblem, upsertObjective, validateUpsertObjective } from '../../domain/resources/objectives';
import { checkUpsertActivity } from '../../domain/resources/partnership-resources';
import { SmartObjectiveInputSchema } from '../../domain/resources/schemas';
import { applyPartnerStatus, invitePartner, upsertStakeholder } from '../../domain/partners/partner-map';
import { activityInput } from '../support/funding';
import { stakeholderInput } from '../support/partners';
import { partnershipInput } from '../support/fixtures';

const TODAY = '2027-03-01';
const objective = SmartObjectiveInputSchema.parse({
  id: 'placed',
  statement: '1,000 young people in the pilot regions hold a decent green job',
  indicator: 'Young people placed in green jobs',
  target: '1000',
  unit: 'people',
  date: '2028-12-31',
  achievable: true,
  relevance: 'Decent green jobs for youth are the heart of the common vision',
});

describe('SMART objectives (guide II.2.B)', () => {
  it('refuses, at the edge, an objective without the partners agreeing it is achievable or without a numeric target', () => {
    expect(SmartObjectiveInputSchema.safeParse({ ...objective, achievable: false }).success).toBe(false);
    expect(SmartObjectiveInputSchema.safeParse({ ...objective, target: 'many' }).success).toBe(false);
    expect(SmartObjectiveInputSchema.safeParse({ ...objective, date: '31/12/2028' }).success).toBe(false);
  });

  it('names the SMART criterion an objective fails', () => {
    expect(smartProblem(objective, TODAY)).toBeUndefined();
    expect(smartProblem({ ...objective, statement: 'young people placed in green jobs ' }, TODAY)?.criterion).toBe('specific');
    expect(smartProblem({ ...objective, target: '0' }, TODAY)?.criterion).toBe('measurable');
    expect(smartProblem({ ...objective, relevance: objective.statement }, TODAY)?.criterion).toBe('reasonable');
    expect(smartProblem({ ...objective, date: '2027-02-28' }, TODAY)?.criterion).toBe('time-bound');
    expect(smartProblem({ ...objective, date: '2042-03-02' }, TODAY)?.criterion).toBe('time-bound');
    // A date kept from when the objective was set is not refused for having passed since.
    expect(smartProblem({ ...objective, date: '2027-02-28' }, TODAY, false)).toBeUndefined();
  });

  it('adds and changes objectives with versions, and "Set SMART objectives" can be ticked once there is one', () => {
    const state = initialState('msp-objectives', partnershipInput(), '2027-01-01T00:00:00.000Z');
    state.phase = 'adaptive-planning';
    expect(() => checkCompleteItem(state, 'adaptive-planning.issues-context.smart-objectives')).toThrow(/console:checklist.needs.smart-targets/);
    expect(() => validateUpsertObjective(state, { ...objective, date: '2026-12-31' }, TODAY)).toThrow(expect.objectContaining({ code: 'refusals:objective.datePassed', details: { smart: 'time-bound' } }));
    expect(upsertObjective(state, objective, TODAY).version).toBe(1);
    expect(capabilityStatus(state, 'smart-targets')).toMatchObject({ done: true, summary: '1 SMART objective; 0 SMART targets across 0 activities' });
    expect(() => checkCompleteItem(state, 'adaptive-planning.issues-context.smart-objectives')).not.toThrow();
    // Changing it needs the version it was based on, and a stale one is refused.
    expect(() => validateUpsertObjective(state, { ...objective, unit: 'young people' }, TODAY)).toThrow(/refusals:version.required/);
    expect(() => validateUpsertObjective(state, { ...objective, unit: 'young people', expectedVersion: 0 }, TODAY)).toThrow(/refusals:version.stale/);
    expect(upsertObjective(state, { ...objective, unit: 'young people', expectedVersion: 1 }, TODAY)).toMatchObject({ unit: 'young people', version: 2 });
    expect(state.objectives).toHaveLength(1);

    // An activity may name the objectives it serves, and only existing ones.
    const s = upsertStakeholder(state, stakeholderInput('Ministry of Labour', 'government'), '2027-01-01T00:00:00.000Z');
    invitePartner(state, s.id, '2027-01-01T00:00:00.000Z');
    applyPartnerStatus(state, s.id, 'active', '2027-01-01T00:00:00.000Z');
    expect(() => checkUpsertActivity(state, { ...activityInput('training', s.id), objectives: ['placed'], pilot: true })).not.toThrow();
    expect(() => checkUpsertActivity(state, { ...activityInput('training', s.id), objectives: ['unknown'] })).toThrow(/refusals:objective.unknown/);
  });
});
