import { initialState, type PartnershipState } from '../../domain/partnership/state';
import { upsertStakeholder, checkUpsertStakeholder } from '../../domain/partners/partner-map';
import { fnv1a32, organisationKey, slugify, stakeholderId, STAKEHOLDER_ID_MAX, type StakeholderGroup } from '../../domain/partners/stakeholders';
import { SLUG_PATTERN } from '../../domain/schemas';
import { partnershipInput } from '../support/fixtures';
import { stakeholderInput } from '../support/partners';

const T0 = '2026-01-01T00:00:00.000Z';

function fresh(): PartnershipState {
  return initialState('msp-unit', partnershipInput(), T0);
}

/** A stakeholder input without a contact: contactFor derives its email from the id, which some names here are meant to break. */
function input(organisation: string, group: StakeholderGroup = 'government', extra: { id?: string; whyEngage?: string } = {}) {
  const { contact: _c, ...rest } = stakeholderInput('Placeholder', group);
  return { ...rest, organisation, ...extra };
}

// Two bodies of one ministry whose names share their first 60 characters and more.
const LONG_A = 'Ministère du Travail, de l’Emploi et de la Formation professionnelle — Direction générale du travail';
const LONG_B = 'Ministère du Travail, de l’Emploi et de la Formation professionnelle — Direction de la sécurité sociale';

describe('ids from names in any script', () => {
  test('the three ministries of labour get three readable ids', () => {
    const ids = ['Министерство труда', '劳动部', 'وزارة العمل'].map(stakeholderId);
    expect(ids).toEqual(['ministerstvo-truda', 'lao-dong-bu', 'wzrh-l-ml']);
    expect(new Set(ids).size).toBe(3);
  });

  test('letters outside ASCII are transliterated, not dropped', () => {
    expect(stakeholderId('Œuvre')).toBe('oeuvre');
    expect(stakeholderId('Bộ Lao động')).toBe('bo-lao-dong');
    expect(stakeholderId('Ministère du Travail & de l’Emploi')).toBe('ministere-du-travail-de-l-emploi');
    expect(() => stakeholderId('¿¿')).toThrow(/refusals:stakeholder.nameNeedsLetter/);
  });

  test('an Arabic name with a country in parentheses keeps its own words', () => {
    const social = stakeholderId('وزارة الشؤون الاجتماعية (Tunisie)');
    const training = stakeholderId('وزارة التكوين المهني والتشغيل (Tunisie)');
    expect(social).not.toBe(training);
    expect(social).toMatch(/-tunisie$/);
    expect(social).not.toBe('tunisie');
  });

  test('long names sharing their first 60 characters get two ids: readable words cut at a boundary, then a hash', () => {
    const a = stakeholderId(LONG_A);
    const b = stakeholderId(LONG_B);
    expect(a).not.toBe(b);
    for (const id of [a, b]) {
      expect(id.length).toBeLessThanOrEqual(STAKEHOLDER_ID_MAX);
      expect(id).toMatch(SLUG_PATTERN);
      expect(id).toMatch(/^ministere-du-travail-de-l-emploi-et-de-la-formation-[0-9a-f]{8}$/);
    }
    expect(a.endsWith(fnv1a32(organisationKey(LONG_A)))).toBe(true);
  });

  test('a title in Chinese gives pinyin words', () => {
    expect(slugify('绿色就业伙伴关系', 40)).toBe('lu-se-jiu-ye-huo-ban-guan-xi');
  });

  test('names are the same organisation when only width, case or spacing differ', () => {
    expect(organisationKey('  ＵＮＤＰ   Country\tOffice ')).toBe(organisationKey('undp country office'));
    expect(organisationKey('Straße')).toBe(organisationKey('STRASSE'));
    expect(organisationKey('Workers Union')).not.toBe(organisationKey("Workers' Union"));
  });

  test('the hash is FNV-1a 32-bit (published test vectors)', () => {
    expect(fnv1a32('')).toBe('811c9dc5');
    expect(fnv1a32('a')).toBe('e40c292c');
    expect(fnv1a32('foobar')).toBe('bf9cf968');
  });
});

describe('an upsert names what it updates', () => {
  test('the same organisation again updates it; nothing is added', () => {
    const s = fresh();
    const first = upsertStakeholder(s, input('Министерство труда'), T0);
    expect(first).toMatchObject({ id: 'ministerstvo-truda', organisation: 'Министерство труда', created: true });
    const again = upsertStakeholder(s, input(' министерство  ТРУДА ', 'government', { whyEngage: 'Sets labour policy' }), T0);
    expect(again).toMatchObject({ id: 'ministerstvo-truda', created: false, whyEngage: 'Sets labour policy' });
    expect(s.stakeholders).toHaveLength(1);
    expect(s.stakeholders[0]).not.toHaveProperty('created');
  });

  test('two long-named bodies of one ministry stay two, each with its own name and group', () => {
    const s = fresh();
    upsertStakeholder(s, input(LONG_A, 'government'), T0);
    upsertStakeholder(s, input(LONG_B, 'other'), T0);
    expect(s.stakeholders.map((x) => [x.organisation, x.group])).toEqual([
      [LONG_A, 'government'],
      [LONG_B, 'other'],
    ]);
    expect(new Set(s.stakeholders.map((x) => x.id)).size).toBe(2);
  });

  test('a different organisation whose id is taken gets the hashed id instead of overwriting', () => {
    const s = fresh();
    const plain = upsertStakeholder(s, input('Workers Union', 'workers-organisation'), T0);
    const other = upsertStakeholder(s, input("Workers' Union", 'civil-society'), T0);
    expect(plain.id).toBe('workers-union');
    expect(other).toMatchObject({ id: `workers-union-${fnv1a32(organisationKey("Workers' Union"))}`, created: true });
    expect(s.stakeholders.find((x) => x.id === 'workers-union')).toMatchObject({ organisation: 'Workers Union', group: 'workers-organisation' });
  });

  test('an explicit id updates that stakeholder, renaming it; its id stays', () => {
    const s = fresh();
    upsertStakeholder(s, input('Ministry of Labor'), T0);
    const renamed = upsertStakeholder(s, input('Ministry of Labour and Employment', 'government', { id: 'ministry-of-labor' }), T0);
    expect(renamed).toMatchObject({ id: 'ministry-of-labor', organisation: 'Ministry of Labour and Employment', created: false });
    expect(s.stakeholders).toHaveLength(1);
    expect(s.stakeholders[0]).not.toHaveProperty('created');
  });

  test('an unknown id is NotFound; renaming onto another stakeholder\'s name is a Conflict; both change nothing', () => {
    const s = fresh();
    upsertStakeholder(s, input('Youth Network', 'civil-society'), T0);
    upsertStakeholder(s, input('劳动部'), T0);
    const before = structuredClone(s.stakeholders);
    expect(() => checkUpsertStakeholder(s, input('Youth Network', 'civil-society', { id: 'nobody' }))).toThrow(expect.objectContaining({ kind: 'NotFound' }));
    expect(() => upsertStakeholder(s, input('Youth Network', 'civil-society', { id: 'nobody' }), T0)).toThrow(expect.objectContaining({ kind: 'NotFound' }));
    expect(() => upsertStakeholder(s, input('youth network', 'government', { id: 'lao-dong-bu' }), T0)).toThrow(
      expect.objectContaining({ kind: 'Conflict', said: { code: 'refusals:stakeholder.sameName', params: expect.objectContaining({ id: 'youth-network' }) } }),
    );
    expect(s.stakeholders).toEqual(before);
  });

  test('the legacy scheme keeps recorded partnerships as they were: ASCII ids cut at 60, matched by id', () => {
    const s = fresh();
    upsertStakeholder(s, input(LONG_A, 'government'), T0, 'legacy');
    const merged = upsertStakeholder(s, input(LONG_B, 'other'), T0, 'legacy');
    expect(merged).toMatchObject({ id: 'ministere-du-travail-de-l-emploi-et-de-la-formation-professi', created: false, organisation: LONG_B });
    expect(s.stakeholders).toHaveLength(1);
    expect(() => upsertStakeholder(s, input('劳动部'), T0, 'legacy')).toThrow(/refusals:stakeholder.nameNeedsLetter/);
  });
});
