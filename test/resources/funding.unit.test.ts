import { data as iso4217 } from 'currency-codes';
import {
  CURRENCIES,
  NOT_CURRENCIES,
  checkDisbursements,
  fiduciaryAgentFor,
  fromMinor,
  minorUnit,
  toMinor,
  totalsByCurrency,
  type ChannelProposal,
  type RoadmapActivity,
} from '../../domain/resources/funding';
import { ChannelProposalSchema, FundingChannelRecordSchema, ResourceStrategySchema } from '../../domain/resources/schemas';
import type { Stakeholder } from '../../domain/partners/stakeholders';

const proposal = (currency: string, amount: string, disbursements = [amount]): ChannelProposal => ({
  source: { kind: 'organisation', name: 'RB' },
  amount,
  currency,
  disbursements: disbursements.map((a, i) => ({ date: `2027-0${i + 1}-01`, amount: a })),
});

/** The zod issues of a failed parse, as { "path.to.field": message }. */
function issuesOf(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): Record<string, string> {
  expect(result.success).toBe(false);
  return Object.fromEntries(result.error!.issues.map((i) => [i.path.map(String).join('.'), i.message]));
}

test('amounts are exact decimals: summed in minor units, never floats', () => {
  expect(toMinor('0.10', 'USD') + toMinor('0.20', 'USD')).toBe(toMinor('0.30', 'USD'));
  expect(fromMinor(toMinor('999999999999999.99', 'USD') + toMinor('0.01', 'USD'), 'USD')).toBe('1000000000000000.00');
  expect(totalsByCurrency([{ amount: '10.5', currency: 'USD' }, { amount: '0.25', currency: 'USD' }, { amount: '3', currency: 'EUR' }])).toEqual({ EUR: '3.00', USD: '10.75' });
  for (const bad of ['-1', '1e5', '', '01', '1,5', '1.', '.5']) expect(() => toMinor(bad, 'USD')).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.amount.shape', params: { amount: bad, example: '12.50' } } }));
  expect(() => checkDisbursements(proposal('USD', '10', ['9.99']))).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.disbursementsSum', params: { total: { amount: '9.99', currency: 'USD' }, amount: { amount: '10.00', currency: 'USD' } } } }));
});

test('each currency has its own minor unit, from the ISO 4217 list', () => {
  expect(['JPY', 'USD', 'TND', 'NPR', 'MGA', 'XOF'].map(minorUnit)).toEqual([0, 2, 3, 2, 2, 0]);
  // JPY and XOF have no minor unit: whole amounts only.
  expect(toMinor('1000', 'JPY')).toBe(1000n);
  expect(() => toMinor('1000.5', 'JPY')).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.amount.noDecimals', params: { currency: 'JPY', example: '1000' } } }));
  expect(() => toMinor('1000.0', 'XOF')).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.amount.noDecimals', params: { currency: 'XOF', example: '1000' } } }));
  expect(fromMinor(toMinor('250000', 'XOF'), 'XOF')).toBe('250000');
  // TND has three decimals (millimes).
  expect(toMinor('1.125', 'TND')).toBe(1125n);
  expect(toMinor('1.1', 'TND')).toBe(1100n);
  expect(() => toMinor('1.1255', 'TND')).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.amount.tooManyDecimals', params: { currency: 'TND', count: 3, example: '1.125' } } }));
  expect(fromMinor(5n, 'TND')).toBe('0.005');
  // NPR and MGA: two decimals (MGA's ISO minor unit is 2, though the ariary divides by five).
  expect(toMinor('1500.75', 'NPR')).toBe(150075n);
  expect(toMinor('20000.5', 'MGA')).toBe(2000050n);
  expect(() => toMinor('1.125', 'MGA')).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.amount.tooManyDecimals', params: { currency: 'MGA', count: 2, example: '12.50' } } }));
  expect(() => toMinor('1.234', 'USD')).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.amount.tooManyDecimals', params: { currency: 'USD', count: 2, example: '12.50' } } }));

  expect(
    totalsByCurrency([
      { amount: '600', currency: 'JPY' },
      { amount: '400', currency: 'JPY' },
      { amount: '1', currency: 'TND' },
      { amount: '0.125', currency: 'TND' },
      { amount: '12.5', currency: 'USD' },
      { amount: '0.1', currency: 'NPR' },
    ]),
  ).toEqual({ JPY: '1000', NPR: '0.10', TND: '1.125', USD: '12.50' });
  expect(() => checkDisbursements(proposal('JPY', '1000', ['500', '499']))).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.disbursementsSum', params: { total: { amount: '999', currency: 'JPY' }, amount: { amount: '1000', currency: 'JPY' } } } }));
  expect(() => checkDisbursements(proposal('TND', '1.125', ['1', '0.12']))).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.disbursementsSum', params: { total: { amount: '1.120', currency: 'TND' }, amount: { amount: '1.125', currency: 'TND' } } } }));
  expect(() => checkDisbursements(proposal('JPY', '1000', ['999.5', '0.5']))).toThrow(/refusals:funding.amount.noDecimals/);
  expect(() => checkDisbursements(proposal('TND', '1.125', ['1', '0.125']))).not.toThrow();
});

test('every active currency is accepted; funds, metals, units of account and test codes are not', () => {
  expect(CURRENCIES.length).toBeGreaterThan(150);
  for (const code of ['NPR', 'MGA', 'TND', 'JPY', 'XOF', 'XAF', 'XCD', 'XPF', 'USD', 'EUR', 'CHF', 'LBP', 'VES', 'SLE', 'ZWG']) expect(CURRENCIES).toContain(code);
  for (const code of ['XAU', 'XAG', 'XPT', 'XPD', 'XTS', 'XXX', 'XDR', 'XSU', 'XUA', 'XBA', 'BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW']) {
    expect(CURRENCIES).not.toContain(code);
    expect(() => toMinor('1', code)).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.currency.notMoney', params: { currency: code } } }));
  }
  expect(() => toMinor('1', 'ABC')).toThrow(expect.objectContaining({ said: { code: 'refusals:funding.currency.notActive', params: { currency: 'ABC' } } }));
  // An X-code is a supranational currency or a non-money code: a new one in
  // the package must be classified by hand, here and in NOT_CURRENCIES.
  const xCodes = iso4217.map((c) => c.code).filter((c) => c.startsWith('X') && !NOT_CURRENCIES.has(c));
  expect(xCodes.every((c) => ['XAF', 'XCD', 'XCG', 'XOF', 'XPF'].includes(c))).toBe(true);
});

test('the schemas check decimals against the currency and say what would do', () => {
  const channel = (currency: string, amount: string, disbursements = [amount]) => ChannelProposalSchema.safeParse(proposal(currency, amount, disbursements));
  expect(channel('JPY', '1000').success).toBe(true);
  expect(channel('TND', '1.125', ['1', '0.125']).success).toBe(true);
  expect(channel('NPR', '1500.75').success).toBe(true);
  expect(channel('MGA', '20000').success).toBe(true);
  expect(channel('XOF', '250000').success).toBe(true);
  expect(channel('USD', '12.50').success).toBe(true);
  expect(ChannelProposalSchema.parse(proposal('npr', '10')).currency).toBe('NPR');

  expect(issuesOf(channel('JPY', '1000.5'))).toEqual({ amount: 'JPY takes no decimals, e.g. 1000', 'disbursements.0.amount': 'JPY takes no decimals, e.g. 1000' });
  expect(issuesOf(channel('TND', '1.125', ['1.1255', '-0.0005']))).toEqual({
    'disbursements.0.amount': 'TND takes at most 3 decimals, e.g. 1.125',
    'disbursements.1.amount': 'must be a decimal amount as a string, without sign or separators, e.g. "12500.00"',
  });
  expect(issuesOf(channel('TND', '1.125', ['1', '0.12']))).toEqual({ disbursements: 'the disbursements must add up to the amount' });
  expect(issuesOf(channel('XAU', '1'))).toEqual({ currency: expect.stringMatching(/^XAU is an ISO 4217 code for a fund, unit of account, precious metal or test, not a currency.*e\.g\. USD$/) });
  expect(issuesOf(channel('XTS', '1')).currency).toMatch(/^XTS is an ISO 4217 code for a fund/);
  expect(issuesOf(channel('ABC', '1')).currency).toBe('ABC is not an active ISO 4217 currency code; give one such as USD, EUR, NPR or XOF');
  expect(issuesOf(channel('US$', '1')).currency).toMatch(/^must be a three-letter ISO 4217 currency code/);

  const strategy = ResourceStrategySchema.safeParse({
    pledges: [
      { type: 'financial', partnerId: 'ministry-of-labour', amount: '5000.50', currency: 'XOF' },
      { type: 'financial', partnerId: 'unicef', amount: '5000.50', currency: 'USD' },
    ],
    ownSources: [{ source: 'RB', amount: '0.0001', currency: 'TND' }],
  });
  expect(issuesOf(strategy)).toEqual({ 'pledges.0.amount': 'XOF takes no decimals, e.g. 1000', 'ownSources.0.amount': 'TND takes at most 3 decimals, e.g. 1.125' });

  const record = { partnershipId: 'msp-x', activityId: 'a', version: 1, status: 'approved', fiduciaryAgent: 'b', source: 'RB', amount: '1.5', currency: 'JPY', documentId: null, decidedBy: 'Ari', at: '2027-01-01T00:00:00Z' };
  expect(issuesOf(FundingChannelRecordSchema.safeParse(record))).toEqual({ amount: 'JPY takes no decimals, e.g. 1000' });
});

test('the fiduciary agent is the lead partner, or the core partners in turn by cycle', () => {
  const partner = (id: string, coreGroup: boolean, status: Stakeholder['status'] = 'active'): Stakeholder => ({
    id, organisation: id, group: 'government', whyEngage: '', potentialRoles: [], engagementStrategy: '', coreGroup, status, history: [],
  });
  const partners = [partner('zeta', true), partner('alpha', true), partner('mid', false), partner('gone', true, 'withdrawn')];
  const activity = { leadPartner: 'mid' } as RoadmapActivity;
  expect(fiduciaryAgentFor('lead-partner', activity, partners, 7)).toBe('mid');
  expect([1, 2, 3, 4].map((cycle) => fiduciaryAgentFor('rotating-core', activity, partners, cycle))).toEqual(['alpha', 'zeta', 'alpha', 'zeta']);
  expect(() => fiduciaryAgentFor('rotating-core', activity, [partner('mid', false)], 1)).toThrow(/refusals:funding.noCorePartner/);
});
