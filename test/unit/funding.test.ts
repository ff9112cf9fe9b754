import { checkDisbursements, fiduciaryAgentFor, fromMinor, toMinor, totalsByCurrency, type RoadmapActivity } from '../../domain/funding';
import type { Stakeholder } from '../../domain/stakeholders';

test('amounts are exact decimals: summed in minor units, never floats', () => {
  expect(toMinor('0.10') + toMinor('0.20')).toBe(toMinor('0.30'));
  expect(fromMinor(toMinor('999999999999999.99') + toMinor('0.01'))).toBe('1000000000000000.00');
  expect(totalsByCurrency([{ amount: '10.5', currency: 'USD' }, { amount: '0.25', currency: 'USD' }, { amount: '3', currency: 'EUR' }])).toEqual({ EUR: '3.00', USD: '10.75' });
  for (const bad of ['-1', '1.234', '1e5', '', '01', '1,5']) expect(() => toMinor(bad)).toThrow(/not an amount/);
  expect(() => checkDisbursements({ source: { kind: 'organisation', name: 'RB' }, amount: '10', currency: 'USD', disbursements: [{ date: '2027-01-01', amount: '9.99' }] })).toThrow(/add up to 9.99/);
});

test('the fiduciary agent is the lead partner, or the core partners in turn by cycle', () => {
  const partner = (id: string, coreGroup: boolean, status: Stakeholder['status'] = 'active'): Stakeholder => ({
    id, organisation: id, group: 'government', whyEngage: '', potentialRoles: [], engagementStrategy: '', coreGroup, status, history: [],
  });
  const partners = [partner('zeta', true), partner('alpha', true), partner('mid', false), partner('gone', true, 'withdrawn')];
  const activity = { leadPartner: 'mid' } as RoadmapActivity;
  expect(fiduciaryAgentFor('lead-partner', activity, partners, 7)).toBe('mid');
  expect([1, 2, 3, 4].map((cycle) => fiduciaryAgentFor('rotating-core', activity, partners, cycle))).toEqual(['alpha', 'zeta', 'alpha', 'zeta']);
  expect(() => fiduciaryAgentFor('rotating-core', activity, [partner('mid', false)], 1)).toThrow(/core-group partner/);
});
