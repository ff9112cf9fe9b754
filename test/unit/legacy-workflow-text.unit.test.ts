import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { LANGUAGES, type Language } from '../../domain/language';
import { at, day, group, item, money, nested, phase, said, status, type Said } from '../../domain/said';
import { CATALOGUES, isolate } from '../../infra/i18n';
import { guideCitation, itemTitle } from '../../infra/i18n/checklist';
import { say, saySubject } from '../../infra/i18n/said';
import { englishLeftIn } from '../support/english-left';
import { FOUR_SCRIPT_NAMES, SHOWN_AS_WRITTEN } from '../support/four-scripts';

/**
 * The frozen reader of the English that workflows wrote before sentences became
 * codes (infra/i18n/legacy-workflow-text.ts): the texts the checked-in
 * histories really carry — approval tasks' summaries and details, notices'
 * and partner emails' subjects and lines, in activity and child-workflow
 * inputs and carried state — still read right in all six languages; and a
 * sentence written as a code is said from the catalogue alone, so rewording
 * its English changes no other language.
 */

const HISTORIES = join(__dirname, '..', 'histories');
const OTHERS = LANGUAGES.filter((l) => l !== 'en');

/** The values of a history's JSON payloads (inputs, results, signals, carried state), wherever they are. */
function payloadValues(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => payloadValues(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'payloads' && Array.isArray(value)) {
        for (const p of value as Array<{ metadata?: { encoding?: string }; data?: string }>) {
          const encoding = p.metadata?.encoding ? Buffer.from(p.metadata.encoding, 'base64').toString() : '';
          if (encoding === 'json/plain' && p.data) out.push(JSON.parse(Buffer.from(p.data, 'base64').toString()));
        }
      } else payloadValues(value, out);
    }
  }
  return out;
}

/** Sentences a workflow wrote (by field), and the words people wrote that those sentences place (shown as written). */
interface Carried {
  subjects: Set<string>;
  lines: Set<string>;
  names: Set<string>;
}

const SENTENCE_FIELDS = new Set(['summary', 'details', 'subject', 'lines']);
/** Fields whose values people wrote (or ids and addresses): they appear in sentences as written, in any language. */
const NAME_FIELDS = new Set(['title', 'partnershipTitle', 'organisation', 'name', 'email', 'goal', 'notes', 'comment', 'url', 'conflictsOfInterest', 'leadPartner', 'fiduciaryAgent', 'by', 'requestedBy']);

function collect(value: unknown, carried: Carried): void {
  if (Array.isArray(value)) return value.forEach((v) => collect(v, carried));
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (SENTENCE_FIELDS.has(key) && (typeof v === 'string' || Array.isArray(v))) {
      for (const s of [v].flat()) if (typeof s === 'string') (key === 'subject' ? carried.subjects : carried.lines).add(s);
    } else if (NAME_FIELDS.has(key) && typeof v === 'string' && v.length > 1) carried.names.add(v);
    else collect(v, carried);
  }
}

const carried: Carried = { subjects: new Set(), lines: new Set(), names: new Set() };
for (const file of readdirSync(HISTORIES).filter((f) => f.endsWith('.json'))) {
  for (const value of payloadValues(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')))) collect(value, carried);
}
/**
 * Sentences older runs wrote that the frozen reader never knew (so they were
 * English in every language then too) and that no rule may now be added for:
 * the resent invitation's line (patch `resend-invitation`, which shipped
 * hours before codes). Such runs keep showing it in English.
 */

/** Longest first, so a title is taken out before a name inside it. */
const NAMES = [...carried.names].sort((a, b) => b.length - a.length);

test('the checked-in histories carry the English sentences of runs from before codes', () => {
  // The extraction itself: if the histories are re-recorded after codes, the older ones (kept as *-before-*.json) still carry these.
  expect(carried.subjects.size).toBeGreaterThanOrEqual(10);
  expect(carried.lines.size).toBeGreaterThanOrEqual(30);
  expect([...carried.lines]).toContain('Move from Initiating to Adaptive planning');
});

describe.each(OTHERS)('a recorded run read in %s', (language) => {
  it('says every summary, detail and line without English but the names people wrote', () => {
    const left = [...carried.lines].map((s) => [s, englishLeftIn(say(language, s, { plainText: true }), NAMES, language)] as const).filter(([, l]) => l.length);
    expect(left).toEqual([]);
  });

  it('says every subject, its partnership title kept as written', () => {
    const left = [...carried.subjects].map((s) => [s, englishLeftIn(saySubject(language, s), NAMES, language)] as const).filter(([, l]) => l.length);
    expect(left).toEqual([]);
  });
});

test('an older run reads the same in English as it wrote', () => {
  for (const s of carried.lines) expect(say('en', s)).toBe(s);
});

/**
 * Every sentence shape the workflows wrote before codes, beyond what the
 * recorded runs happen to carry (moved from test/unit/link-pages-language.test.ts),
 * in names of four scripts.
 */
const N = FOUR_SCRIPT_NAMES;
const WORKFLOW_SENTENCES = [
  `${N.title}: approved — move from Initiating to Adaptive planning`,
  `${N.title}: rejected — review decision "exit"`,
  `${N.title}: approved — periodic review started`,
  'The partnership moved from Adaptive planning to Collaborative action.',
  'The partnership starts review cycle 2 in Adaptive planning.',
  'The partnership is now closed.',
  'The request was rejected; the partnership stays in Initiating.',
  `Comment from ${N.person}: ${N.ministryAr}`,
  `Comment: ${N.ministryZh}`,
  `Reason: ${N.ministryRu}`,
  'Reason: due diligence not completed before the deadline',
  `${N.title}: the review's decision "adapt" waits for the checklist`,
  'The approvers decided "adapt". It takes effect once 2 checklist item(s) of Reflective monitoring are done:',
  `${N.title}: review 2 decided: continue`,
  `${N.title}: review 2 closed without a decision`,
  '3 of 4 partners answered.',
  `The MEL report is ready: ${N.ministryZh}.`,
  'The MEL report could not be stored; see the review in the console.',
  `Governance decision: adapt (by ${N.person}; notes: ${N.ministryAr}).`,
  `Governance decision: continue (by ${N.person}).`,
  'The approvers made no governance decision before the deadline.',
  `${N.title}: financial channel for "${N.ministryRu}" (v2) approved`,
  `${N.person} rejected the financial channel for "${N.ministryRu}" (version 2).`,
  ...['is mapped', 'is invited', 'signed its agreement and is now an active partner', 'declined the invitation', 'was not approved as a partner', 'did not answer before the deadline; the invitation expired', 'has withdrawn from the partnership'].flatMap((o) => [
    `${N.title}: ${N.ngo} ${o}`,
    `${N.ngo} (civil-society) ${o}.`,
  ]),
  `${N.title}: invitation to join as a partner`,
  `${N.title}: reminder — invitation to join as a partner`,
  `${N.title}: due diligence`,
  `${N.title}: please confirm the signature of your MoU`,
  `${N.title}: reminder — please confirm the signature of your letter of intent`,
  `${N.title}: your onboarding ended (declined)`,
  'Outcome: expired.',
  'This is a reminder: we are still waiting for your answer.',
  `${N.person} invites ${N.ngo} to join the multi-stakeholder partnership "${N.title}".`,
  `Its goal: ${N.ministryAr}`,
  'Please accept or decline on the page below. If you accept, a short due-diligence form follows.',
  'Thank you for accepting. Please attest to the partnership principles and declare any conflict of interest on the page below.',
  `Your participation was approved. The ${N.ministryZh} is ready.`,
  'Please read it on the page below and confirm that it has been signed.',
  `${N.title}: review 1, your indicators and feedback`,
  `${N.title}: reminder — review 1, your indicators and feedback`,
  `The partnership "${N.title}" is holding its review 1 (reflective monitoring).`,
  `The partnership "${N.title}" is holding its review 3 (an extra review during Collaborative action).`,
  'Please report the values of the 2 indicator(s) you are part of, evaluate our meetings, and share what you learned.',
  'There are no indicators for you to report this time; please evaluate our meetings and share what you learned.',
  'Answers are due by 2026-12-06 17:30 UTC.',
];

describe.each(OTHERS)('every older sentence shape in %s', (language) => {
  it('renders as subject or line without English', () => {
    const left = WORKFLOW_SENTENCES.map((s) => [s, englishLeftIn(s.includes(`${N.title}: `) ? saySubject(language, s) : say(language, s), SHOWN_AS_WRITTEN, language)] as const).filter(([, l]) => l.length);
    expect(left).toEqual([]);
  });

  it('writes a checklist item a notice lists in the checklist catalogue of the language', () => {
    for (const i of itemsOfPhase('reflective-monitoring')) {
      expect(say(language, `- ${i.title} [${i.guideRef}]`)).toBe(`- ${itemTitle(language, i)} [${guideCitation(language, i.guideRef)}]`);
    }
  });
});

test('an older English sentence reads in English as it was written', () => {
  expect(say('en', 'Move from Initiating to Adaptive planning')).toBe('Move from Initiating to Adaptive planning');
});

/** Sentences as the workflows now write them: one of each typed parameter, and sentences inside sentences. */
const CODES: Said[] = [
  said('pages:request.move', { from: phase('initiating'), to: phase('adaptive-planning') }),
  said('emails:said.decided', { outcome: status('approved'), what: nested(said('emails:said.moveFrom', { from: phase('initiating'), to: phase('adaptive-planning') })) }),
  said('emails:notice.moved', { from: phase('adaptive-planning'), to: phase('collaborative-action') }),
  said('pages:request.approvePartner', { organisation: N.ngo, group: group('civil-society') }),
  said('pages:request.activity', { activity: N.ministryRu, lead: N.ministryZh, start: day('2027-01-01'), end: day('2027-06-30') }),
  said('pages:request.source', { source: nested(said('pages:request.sourcePartner', { name: N.ngo })), amount: money('1000', 'JPY') }),
  said('emails:notice.answersDue', { at: at('2026-12-06T17:30:00.000Z') }),
  said('emails:said.checklistItem', { item: item(itemsOfPhase('reflective-monitoring')[0].id) }),
  said('emails:notice.reason', { reason: nested(said('emails:notice.partnershipClosed', { why: nested(said('emails:notice.exitDecidedBy', { who: N.person })) })) }),
];

test('a code says in English the words older runs wrote', () => {
  const first = itemsOfPhase('reflective-monitoring')[0];
  const pairs: Array<[Said, string]> = [
    [CODES[1], 'approved — move from Initiating to Adaptive planning'],
    [said('emails:said.decided', { outcome: status('rejected'), what: nested(said('emails:said.reviewDecision', { decision: status('exit') })) }), 'rejected — review decision "exit"'],
    // A group is said by its label in English too, where older runs wrote its id ("civil-society").
    [said('emails:notice.partnerLine.active', { organisation: 'Youth Network', group: group('civil-society') }), 'Youth Network (Civil society) signed its agreement and is now an active partner.'],
    [said('emails:notice.reminderPrefix', { subject: nested(said('emails:notice.reviewSubject', { number: 1 })) }), 'reminder — review 1, your indicators and feedback'],
    [said('emails:said.checklistItem', { item: item(first.id) }), `- ${first.title} [${first.guideRef}]`],
    [said('pages:request.progress', { cycle: 1, phase: phase('initiating'), done: 16, total: 16 }), 'Cycle 1; Initiating checklist: 16 of 16 items done.'],
  ];
  for (const [code, english] of pairs) expect(say('en', code, { plainText: true })).toBe(english);
  expect(saySubject('en', said('emails:notice.partner.active', { organisation: 'Youth Network' }), 'Jobs')).toBe(`${isolate('Jobs')}: Youth Network signed its agreement and is now an active partner`);
});

test('rewording an English sentence changes no other language', () => {
  const before = (language: Language) => CODES.map((c) => [say(language, c), say(language, c, { plainText: true })]);
  const others = new Map(OTHERS.map((l) => [l, before(l)]));
  const english = before('en');
  // What i18next's addResource does: the instance reads the catalogue objects themselves.
  const catalogue = CATALOGUES.en as Record<string, Record<string, Record<string, unknown>>>;
  const saved = { move: catalogue.pages.request.move, moveFrom: catalogue.emails.said.moveFrom, reason: catalogue.emails.notice.reason, exit: catalogue.emails.notice.exitDecidedBy };
  try {
    catalogue.pages.request.move = 'Go from {{from}} on to {{to}}';
    catalogue.emails.said.moveFrom = 'go from {{from}} on to {{to}}';
    catalogue.emails.notice.reason = 'Because: {{reason}}';
    catalogue.emails.notice.exitDecidedBy = '{{who}} decided to exit';
    for (const [language, rendered] of others) expect(before(language)).toEqual(rendered);
    expect(before('en')).not.toEqual(english);
    expect(say('en', CODES[0])).toBe('Go from Initiating on to Adaptive planning');
  } finally {
    catalogue.pages.request.move = saved.move;
    catalogue.emails.said.moveFrom = saved.moveFrom;
    catalogue.emails.notice.reason = saved.reason;
    catalogue.emails.notice.exitDecidedBy = saved.exit;
  }
  expect(before('en')).toEqual(english);
});

describe.each(OTHERS)('a sentence written as a code in %s', (language) => {
  it('leaves no English but the names', () => {
    const left = CODES.map((c) => [c.code, englishLeftIn(say(language, c), SHOWN_AS_WRITTEN, language)] as const).filter(([, l]) => l.length);
    expect(left).toEqual([]);
  });
});
