import { composeEmail } from '../../activities/email-content';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { renderInboxPage, renderInboxResults } from '../../api/human-tasks/approvals-page';
import { renderInvitationPage } from '../../api/partners/invitation-page';
import { refusalText } from '../../api/pages/refusal';
import { renderReviewPage } from '../../api/reviews/review-page';
import { renderDecisionRecorded, renderTaskPage } from '../../api/human-tasks/task-page';
import { renderPage } from '../../api/pages/views';
import type { ApprovalState } from '../../domain/human-tasks/approval-state';
import { LANGUAGES, type Language } from '../../domain/language';
import type { OnboardingState, OnboardingStep } from '../../domain/partners/onboarding-state';
import type { ReviewState } from '../../domain/reviews/review';
import { translator } from '../../infra/i18n';
import { localiseSubject, localiseText } from '../../infra/i18n/workflow-text';
import { guideCitation, itemTitle } from '../../infra/i18n/checklist';
import { englishLeftIn, visibleText } from '../support/english-left';

/**
 * Every page behind an emailed link, in every state it can show, and every
 * sentence the workflows write into emails, rendered in each language other
 * than English: no English catalogue phrase may be left in what a person
 * reads. Names in four scripts pass through intact.
 */
const NAMES = {
  title: 'Emplois verts 绿色就业 Зелёные рабочие места الوظائف الخضراء',
  ministryAr: 'وزارة العمل',
  ministryZh: '劳动部',
  ministryRu: 'Министерство труда',
  ngo: 'Œuvre Sociale',
  person: 'Amélie Lefèvre',
};
const SHOWN_AS_WRITTEN = [...Object.values(NAMES), 'msp-emplois-verts', 'mona@example.org', 'amelie@example.org', 'https://example.org/documents/mel.pdf'];

const NOW = Date.parse('2026-11-29T12:00:00Z');
const LATER = '2026-12-06T17:30:00.000Z';
const EARLIER = '2026-11-20T09:00:00.000Z';
const person = { name: NAMES.person, email: 'amelie@example.org' };

function task(overrides: Partial<ApprovalState['request']> = {}, state: Partial<ApprovalState> = {}): ApprovalState {
  return {
    request: {
      taskId: 'msp-emplois-verts.gate-1',
      partnershipId: 'msp-emplois-verts',
      partnershipTitle: NAMES.title,
      kind: 'advance',
      summary: 'Move from Initiating to Adaptive planning',
      details: [
        `Goal: work with ${NAMES.ministryAr}, ${NAMES.ministryZh}, ${NAMES.ministryRu} and ${NAMES.ngo}`,
        'Cycle 1; Initiating checklist: 12 of 12 items done.',
        `Notes from ${NAMES.person}: ${NAMES.ministryRu}`,
      ],
      requestedBy: NAMES.person,
      approvers: [person],
      timings: { reminderAfter: '1 day', escalateAfter: '2 days', deadline: '7 days' },
      ...overrides,
    },
    startedAt: EARLIER,
    deadlineAt: LATER,
    assignees: [person],
    level: 0,
    levelStartedAt: EARLIER,
    remindedAtLevel: false,
    events: [],
    ...state,
  } as unknown as ApprovalState;
}

const partnerTask = task({
  taskKind: 'partner-approval',
  summary: `Approve ${NAMES.ngo} (civil-society) as a partner`,
  details: [`Contact: ${NAMES.person} <amelie@example.org>`, 'Principles attested: 18 of 18', `Conflicts of interest declared: ${NAMES.ministryZh}`],
  partner: { organisation: NAMES.ngo, group: 'civil-society', contact: person, principlesAttested: 18, principlesTotal: 18, conflictsOfInterest: 'none' },
});
const channelTask = task({
  taskKind: 'funding-channel',
  summary: `Approve the financial channel of "${NAMES.ministryRu}" (v2)`,
  details: [
    `Activity: ${NAMES.ministryRu} (lead partner ${NAMES.ministryZh}, 2027-01-01 → 2027-06-30)`,
    `Source: external financial partner ${NAMES.ngo}; amount 1000 JPY`,
    `Fiduciary agent: ${NAMES.ministryAr} (rotating among core partners, cycle 2)`,
    'Disbursements: 2027-01-15: 500; 2027-03-15: 500',
    `Replaces the approved channel of 1.125 TND via ${NAMES.ngo}`,
  ],
});
const reviewTask = task({
  kind: 'review',
  summary: 'Review 2: continue, adapt or exit — advice only (the partnership is in Collaborative action; the decision is recorded, not applied)',
  details: [
    'Answers from 3 of 4 partners.',
    'MEL report: https://example.org/documents/mel.pdf (HTML view: add ?format=html)',
    'Choose "continue" (next cycle), "adapt" (back to planning with your notes) or "exit" (close the partnership).',
  ],
  choices: ['continue', 'adapt', 'exit'],
  choicesNeedingComment: ['adapt'],
});

function onboarding(step: OnboardingStep, reason?: string): OnboardingState {
  return {
    request: {
      onboardingId: 'msp-emplois-verts.partner.oeuvre',
      partnershipId: 'msp-emplois-verts',
      partnershipTitle: NAMES.title,
      partnershipGoal: NAMES.ministryAr,
      stakeholder: { id: 'oeuvre', organisation: NAMES.ngo, group: 'civil-society', coreGroup: false },
      contact: person,
      manager: person,
      approvers: [person],
      timings: { reminderAfter: '1 day', escalateAfter: '2 days', deadline: '7 days' },
      invitedBy: NAMES.person,
      invitedInPhase: 'initiating',
      invitedInCycle: 1,
    },
    step,
    stepStartedAt: EARLIER,
    stepDeadlineAt: LATER,
    remindedAtStep: false,
    events: [],
    ...(step === 'signature' ? { document: { id: 'doc', kind: 'mou', title: NAMES.ministryZh, url: 'https://example.org/documents/mel.pdf', phase: 'initiating', cycle: 1 } } : {}),
    ...(reason ? { reason } : {}),
  } as unknown as OnboardingState;
}

function review(answered: boolean): ReviewState {
  const partner = {
    id: 'oeuvre',
    organisation: NAMES.ngo,
    contact: person,
    indicators: [{ key: 'k1', indicator: NAMES.ministryRu, activityTitle: NAMES.ministryZh, target: '250', unit: NAMES.ministryAr, date: '2027-06-30' }],
  };
  return {
    request: { reviewId: 'msp-emplois-verts.review-1', partnershipId: 'msp-emplois-verts', partnershipTitle: NAMES.title, number: 1, partners: [partner] },
    step: 'collecting',
    startedAt: EARLIER,
    deadlineAt: LATER,
    reminded: false,
    answers: answered ? { oeuvre: { at: EARLIER } } : {},
  } as unknown as ReviewState;
}

/** A task link's token, as the page's own forms post under it. */
const TOKEN = 'tok.en';

/** Every page state, rendered in `language`. */
function everyPage(language: Language): Array<[string, string]> {
  const decided = task({}, { decision: { outcome: 'approved', by: person, at: EARLIER, comment: NAMES.ministryAr } });
  const pages: Array<[string, string]> = [
    ['task open', renderTaskPage(task(), NAMES.person, NOW, language, { token: TOKEN, document: 'phase' })],
    ['task with choices', renderTaskPage(reviewTask, NAMES.person, NOW, language, { token: TOKEN, document: 'report' })],
    ['funding channel task', renderTaskPage(channelTask, NAMES.person, NOW, language, { token: TOKEN })],
    ['task refused, shown again', renderTaskPage(task(), NAMES.person, NOW, language, { token: TOKEN, document: 'phase', problem: { message: translator(language)('pages:task.commentNeeded'), typed: { decision: 'reject', comment: '' } } })],
    ['task decided', renderTaskPage(decided, NAMES.person, NOW, language, { token: TOKEN })],
    ['task decided at the deadline', renderTaskPage(task({}, { decision: { outcome: 'rejected', by: null, at: EARLIER } }), NAMES.person, NOW, language, { token: TOKEN })],
    ['task expired', renderTaskPage(task(), NAMES.person, Date.parse(LATER) + 1, language, { token: TOKEN })],
    ['decision recorded, moved', renderDecisionRecorded(task(), 'approved', 'adaptive-planning', language)],
    ['decision recorded, closed', renderDecisionRecorded(reviewTask, 'exit', null, language)],
    ['inbox', renderInboxPage('partner-approval', NAMES.person, [partnerTask, partnerTask], language)],
    ['inbox, one', renderInboxPage('partner-approval', NAMES.person, [partnerTask], language)],
    ['inbox empty', renderInboxPage('gate', NAMES.person, [], language)],
    [
      'inbox with problems',
      renderInboxPage('partner-approval', NAMES.person, [partnerTask], language, {
        typed: new Map([[partnerTask.request.taskId, { decision: 'reject' }]]),
        errors: new Map([[partnerTask.request.taskId, 'a rejection needs a comment explaining why']]),
      }),
    ],
    [
      'inbox results',
      renderInboxResults(
        [
          { taskId: 'a', title: NAMES.ngo, status: 'decided', outcome: 'approved' },
          { taskId: 'b', title: NAMES.ministryZh, status: 'refused', message: `this task was already decided: approved by ${NAMES.person} at ${EARLIER}`, refusal: 409 },
          { taskId: 'c', title: NAMES.ministryRu, status: 'refused', message: 'this task is not assigned to you', refusal: 403 },
        ],
        language,
      ),
    ],
    ['review open', renderReviewPage(review(false), review(false).request.partners[0], NOW, language)],
    ['review answered', renderReviewPage(review(true), review(true).request.partners[0], NOW, language)],
    ['review closed', renderReviewPage(review(false), review(false).request.partners[0], Date.parse(LATER) + 1, language)],
  ];
  for (const step of ['respond', 'due-diligence', 'approval', 'signature', 'active'] as const) {
    pages.push([`invitation ${step}`, renderInvitationPage(onboarding(step), 'token', NOW, language)]);
  }
  pages.push(['invitation expired', renderInvitationPage(onboarding('respond'), 'token', Date.parse(LATER) + 1, language)]);
  for (const [step, reason] of [['declined', NAMES.ministryRu], ['expired', 'no answer to the invitation before the deadline'], ['rejected', 'rejected in internal approval'], ['withdrawn', `the partnership closed (exit decided by ${NAMES.person} <ari@example.org>)`]] as const) {
    pages.push([`invitation ${step}`, renderInvitationPage(onboarding(step, reason), 'token', NOW, language)]);
  }
  const refusals: Array<[number, string]> = [
    [400, 'this link is malformed'],
    [403, 'this link is not valid (its signature does not match)'],
    [410, 'this link expired on 2026-11-20T09:00:00.000Z'],
    [403, 'this link belongs to another kind of request'],
    [403, 'this task is not assigned to you'],
    [409, `this task was already decided: rejected by ${NAMES.person} at ${EARLIER}`],
    [409, 'this task was already decided: rejected by the deadline at 2026-11-20T09:00:00.000Z'],
    [410, 'this request is closed: it was terminated'],
    [410, 'this invitation is closed: its partnership closed on 2026-11-20T09:00:00.000Z, so there is nothing left to answer'],
    [410, 'this review is closed: its partnership was terminated on 2026-11-20T09:00:00.000Z (duplicate), so there is nothing left to answer'],
    [410, 'this review closed with its partnership at 2026-11-20T09:00:00.000Z (exit decided by Ari); it takes no more answers'],
    [409, 'the "respond" step was already answered'],
    [400, 'decision: choose approve or reject'],
    [404, 'no such partnership or task'],
    [429, 'too many requests from your address; please wait a minute and try again'],
    [503, 'the workflow service is not reachable right now'],
    [500, 'something went wrong on our side'],
  ];
  for (const [status, message] of refusals) {
    pages.push([`refusal ${status} ${message}`, renderPage('message', language, { title: translator(language)('pages:refusal.title'), hasError: true, message: refusalText(language, status, message) })]);
  }
  return pages;
}

/** Every sentence shape the workflows write into notices and partner emails (see infra/i18n/workflow-text.ts). */
const WORKFLOW_SENTENCES = [
  `${NAMES.title}: approved — move from Initiating to Adaptive planning`,
  `${NAMES.title}: rejected — review decision "exit"`,
  `${NAMES.title}: approved — periodic review started`,
  'The partnership moved from Adaptive planning to Collaborative action.',
  'The partnership starts review cycle 2 in Adaptive planning.',
  'The partnership is now closed.',
  'The request was rejected; the partnership stays in Initiating.',
  `Comment from ${NAMES.person}: ${NAMES.ministryAr}`,
  `Comment: ${NAMES.ministryZh}`,
  `Reason: ${NAMES.ministryRu}`,
  'Reason: due diligence not completed before the deadline',
  `${NAMES.title}: the review's decision "adapt" waits for the checklist`,
  'The approvers decided "adapt". It takes effect once 2 checklist item(s) of Reflective monitoring are done:',
  `${NAMES.title}: review 2 decided: continue`,
  `${NAMES.title}: review 2 closed without a decision`,
  '3 of 4 partners answered.',
  `The MEL report is ready: ${NAMES.ministryZh}.`,
  'The MEL report could not be stored; see the review in the console.',
  `Governance decision: adapt (by ${NAMES.person}; notes: ${NAMES.ministryAr}).`,
  `Governance decision: continue (by ${NAMES.person}).`,
  'The approvers made no governance decision before the deadline.',
  `${NAMES.title}: financial channel for "${NAMES.ministryRu}" (v2) approved`,
  `${NAMES.person} rejected the financial channel for "${NAMES.ministryRu}" (version 2).`,
  ...['is mapped', 'is invited', 'signed its agreement and is now an active partner', 'declined the invitation', 'was not approved as a partner', 'did not answer before the deadline; the invitation expired', 'has withdrawn from the partnership'].flatMap((o) => [
    `${NAMES.title}: ${NAMES.ngo} ${o}`,
    `${NAMES.ngo} (civil-society) ${o}.`,
  ]),
  `${NAMES.title}: invitation to join as a partner`,
  `${NAMES.title}: reminder — invitation to join as a partner`,
  `${NAMES.title}: due diligence`,
  `${NAMES.title}: please confirm the signature of your MoU`,
  `${NAMES.title}: reminder — please confirm the signature of your letter of intent`,
  `${NAMES.title}: your onboarding ended (declined)`,
  'Outcome: expired.',
  'This is a reminder: we are still waiting for your answer.',
  `${NAMES.person} invites ${NAMES.ngo} to join the multi-stakeholder partnership "${NAMES.title}".`,
  `Its goal: ${NAMES.ministryAr}`,
  'Please accept or decline on the page below. If you accept, a short due-diligence form follows.',
  'Thank you for accepting. Please attest to the partnership principles and declare any conflict of interest on the page below.',
  `Your participation was approved. The ${NAMES.ministryZh} is ready.`,
  'Please read it on the page below and confirm that it has been signed.',
  `${NAMES.title}: review 1, your indicators and feedback`,
  `${NAMES.title}: reminder — review 1, your indicators and feedback`,
  `The partnership "${NAMES.title}" is holding its review 1 (reflective monitoring).`,
  `The partnership "${NAMES.title}" is holding its review 3 (an extra review during Collaborative action).`,
  'Please report the values of the 2 indicator(s) you are part of, evaluate our meetings, and share what you learned.',
  'There are no indicators for you to report this time; please evaluate our meetings and share what you learned.',
  'Answers are due by 2026-12-06 17:30 UTC.',
];

describe.each(LANGUAGES.filter((l) => l !== 'en'))('in %s', (language) => {
  it.each(everyPage(language))('%s: no English left, names intact, <html lang dir>', (_what, html) => {
    expect(englishLeftIn(visibleText(html), SHOWN_AS_WRITTEN, language)).toEqual([]);
    // A key the catalogue lacks, or one that names a group of keys, shows as i18next's own words.
    expect(visibleText(html)).not.toMatch(/returned an object|\b(pages|emails|labels|common):[\w.-]+/);
    expect(html).toContain(`<html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('shows names in Arabic, Chinese, Cyrillic and French intact', () => {
    const html = renderTaskPage(task(), NAMES.person, NOW, language, { token: TOKEN });
    for (const name of Object.values(NAMES)) expect(html).toContain(name);
  });

  it('renders every sentence the workflows write, as subject or line, without English', () => {
    const left = WORKFLOW_SENTENCES.map((s) => [s, englishLeftIn(s.includes(`${NAMES.title}: `) ? localiseSubject(language, s) : localiseText(language, s), SHOWN_AS_WRITTEN, language)] as const).filter(([, l]) => l.length);
    expect(left).toEqual([]);
  });

  it('writes a checklist item a notice lists in the checklist catalogue of the language (its translation is the checklist namespace)', () => {
    for (const item of itemsOfPhase('reflective-monitoring')) {
      expect(localiseText(language, `- ${item.title} [${item.guideRef}]`)).toBe(`- ${itemTitle(language, item)} [${guideCitation(language, item.guideRef)}]`);
    }
  });

  it('lays an email out in the language, right to left for Arabic', () => {
    const { html } = composeEmail({ language, greeting: translator(language)('emails:greeting', { name: NAMES.ministryAr }), lines: [NAMES.ministryZh], link: { href: 'https://example.org/x', label: 'x' } });
    expect(html).toContain(`<html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(html).toContain(NAMES.ministryAr);
  });
});

test('the detector finds English left on a page', () => {
  expect(englishLeftIn('Décision requise — Decide before 3 mai')).toEqual(['Decide before']);
  expect(englishLeftIn(`Passer de ${NAMES.ngo} Move from Lancement`, SHOWN_AS_WRITTEN)).toContain('Move from');
});

test('no page shows a missing catalogue key, in any language', () => {
  for (const language of LANGUAGES) {
    for (const [what, html] of everyPage(language)) expect({ what, language, text: visibleText(html) }).not.toMatchObject({ text: expect.stringMatching(/returned an object|\b(pages|emails|labels|common):[\w.-]+/) });
  }
});

test('English pages keep the words the existing tests and people know', () => {
  expect(visibleText(renderTaskPage(task(), 'Ari', NOW, 'en', { token: TOKEN }))).toContain('Move from Initiating to Adaptive planning');
  expect(localiseText('en', 'Move from Initiating to Adaptive planning')).toBe('Move from Initiating to Adaptive planning');
});
