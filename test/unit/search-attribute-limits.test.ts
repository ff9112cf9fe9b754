import { SEARCH_ATTRIBUTES, legacyPartnersSearchAttribute, partnershipSearchAttributes } from '../../workflows/partnership/search-attributes';
import { initialState, type PartnershipState } from '../../domain/partnership/state';
import { encodedBytes, searchAttributeProblems, withinSearchAttributeLimits } from '../../domain/search-attribute-limits';
import { partnershipInput } from '../support/fixtures';

function withActivePartners(n: number): PartnershipState {
  const state = initialState('msp-alliance', partnershipInput(), '2026-11-29T00:00:00Z');
  for (let i = 0; i < n; i++) {
    state.stakeholders.push({
      id: `member-${i}`,
      organisation: `Ministère du Travail, de l'Emploi et de la Protection sociale ${i}`.slice(0, 60),
      group: 'government',
      whyEngage: 'x',
      potentialRoles: [],
      engagementStrategy: 'x',
      coreGroup: false,
      status: 'active',
      history: [],
    });
  }
  return state;
}

test('bytes are counted as the payload converter encodes them: JSON in UTF-8', () => {
  expect(encodedBytes('abc')).toBe(5);
  expect(encodedBytes('劳动部')).toBe(11);
  expect(encodedBytes(['a', 'b'])).toBe(9);
});

test('the old partner list passes the 2 KB limit at about 35 partners; what we write now stays small at 300', () => {
  const at35 = searchAttributeProblems([legacyPartnersSearchAttribute(withActivePartners(35))]);
  expect(at35).toEqual([expect.objectContaining({ name: 'MspPartners', limit: 2048, message: expect.stringMatching(/MspPartners would be \d+ bytes; Temporal refuses values over 2048 bytes/) })]);
  const now = partnershipSearchAttributes(withActivePartners(300));
  expect(now.map((a) => a.key.name)).not.toContain(SEARCH_ATTRIBUTES.partners.name);
  expect(searchAttributeProblems(now)).toEqual([]);
});

test('an attribute over the limit is left out and named; the rest are written', () => {
  const { fit, problems } = withinSearchAttributeLimits([
    { key: SEARCH_ATTRIBUTES.manager, value: 'mona@example.org' },
    { key: SEARCH_ATTRIBUTES.lastDecision, value: 'x'.repeat(3000) },
  ]);
  expect(fit.map((a) => a.key.name)).toEqual(['MspManager']);
  expect(problems.map((p) => p.name)).toEqual(['MspLastDecision']);
});

test('over the total limit, nothing is written', () => {
  const many = Array.from({ length: 30 }, (_, i) => ({ key: { name: `A${i}` }, value: 'y'.repeat(2000) }));
  const { fit, problems } = withinSearchAttributeLimits(many);
  expect(fit).toEqual([]);
  expect(problems.at(-1)).toMatchObject({ name: '(all)', limit: 40960 });
});
