import { initialState, type PartnershipState } from '../../domain/partnership/state';
import { checkUpsertStakeholder, invitePartner, upsertStakeholder } from '../../domain/partners/partner-map';
import { upsertActivity, validateFiduciaryRule, validateResourceStrategy, validateUpsertActivity } from '../../domain/resources/partnership-resources';
import { RuleError } from '../../domain/rule-error';
import { partnershipInput } from '../support/fixtures';
import { activityInput } from '../support/funding';
import { stakeholderInput } from '../support/partners';

/**
 * Replace-style writes of shared data carry the version they were based on
 * (domain/versions.ts): the Update validators refuse one without it (HTTP 428)
 * or from a stale copy (409); the handlers, which also replay old histories,
 * refuse only the stale one.
 */
const NOW = '2026-11-20T09:00:00.000Z';
const kindOf = (fn: () => void) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return (err as RuleError).kind;
  }
};

function withActivePartner(): PartnershipState {
  const state = initialState('msp-versions', partnershipInput(), NOW);
  upsertStakeholder(state, stakeholderInput('Ministry of Labour', 'government'), NOW);
  state.stakeholders[0].status = 'active';
  return state;
}

test('a stakeholder: mapping a new one needs no version; changing a mapped one needs its current version', () => {
  const state = withActivePartner();
  expect(state.versions?.['stakeholder:ministry-of-labour']).toBe(1);
  expect(kindOf(() => checkUpsertStakeholder(state, stakeholderInput('Youth Network', 'civil-society')))).toBe('accepted');
  const change = { ...stakeholderInput('Ministry of Labour', 'government'), whyEngage: 'Runs labour inspection' };
  expect(kindOf(() => checkUpsertStakeholder(state, change))).toBe('PreconditionRequired');
  expect(kindOf(() => checkUpsertStakeholder(state, { ...change, id: 'ministry-of-labour' }))).toBe('PreconditionRequired');
  expect(kindOf(() => checkUpsertStakeholder(state, { ...change, expectedVersion: 0 }))).toBe('Conflict');
  expect(kindOf(() => checkUpsertStakeholder(state, { ...change, expectedVersion: 1 }))).toBe('accepted');
  expect(upsertStakeholder(state, { ...change, expectedVersion: 1 }, NOW)).toMatchObject({ created: false, version: 2, whyEngage: 'Runs labour inspection' });
  // A history recorded before versions were required replays: the handler accepts a write without one.
  expect(upsertStakeholder(state, change, NOW)).toMatchObject({ version: 3 });
  expect(() => upsertStakeholder(state, { ...change, expectedVersion: 2 }, NOW)).toThrow(expect.objectContaining({ said: { code: 'refusals:version.stale', params: expect.objectContaining({ expected: 2, current: 3 }) } }));
});

test('a roadmap activity, the resource strategy and the fiduciary rule', () => {
  const state = withActivePartner();
  const pilot = activityInput('green-jobs-pilot', 'ministry-of-labour');
  expect(kindOf(() => validateUpsertActivity(state, pilot))).toBe('accepted');
  upsertActivity(state, pilot);
  expect(kindOf(() => validateUpsertActivity(state, pilot))).toBe('PreconditionRequired');
  expect(kindOf(() => validateUpsertActivity(state, { ...pilot, expectedVersion: 1 }))).toBe('accepted');

  const strategy = { pledges: [], ownSources: [], externalPartners: [] };
  expect(kindOf(() => validateResourceStrategy(state, strategy))).toBe('PreconditionRequired');
  expect(kindOf(() => validateResourceStrategy(state, { ...strategy, expectedVersion: 0 }))).toBe('accepted');
  expect(kindOf(() => validateFiduciaryRule(state, undefined))).toBe('PreconditionRequired');
  expect(kindOf(() => validateFiduciaryRule(state, 3))).toBe('Conflict');
  expect(() => validateFiduciaryRule(state, undefined)).toThrow(expect.objectContaining({ said: { code: 'refusals:version.required', params: { record: 'fiduciary-rule', where: 'GET /api/partnerships/<id>/fiduciary-rule' } } }));
});

test('inviting with a new contact is a new version of the stakeholder: a form saved from before it is stale', () => {
  const state = initialState('msp-versions', partnershipInput(), NOW);
  upsertStakeholder(state, stakeholderInput('Youth Network', 'civil-society'), NOW);
  invitePartner(state, 'youth-network', NOW, { name: 'Ana', email: 'ana@example.org' });
  expect(kindOf(() => checkUpsertStakeholder(state, { ...stakeholderInput('Youth Network', 'civil-society'), expectedVersion: 1 }))).toBe('Conflict');
});
