import { composeEmail } from '../../activities/email-content';
import { renderInboxPage, renderInboxResults } from '../../api/human-tasks/approvals-page';
import { renderInvitationPage } from '../../api/partners/link-pages';
import { refusalText, type Refusal } from '../../api/pages/refusal';
import { partnershipEnded } from '../../api/pages/closed-requests';
import { renderReviewPage } from '../../api/reviews/link-pages';
import { renderDecisionRecorded, renderTaskPage } from '../../api/human-tasks/task-page';
import { renderPage } from '../../api/pages/views';
import { alreadyDecided, type ApprovalState } from '../../domain/human-tasks/approval-state';
import { LANGUAGES, type Language } from '../../domain/language';
import type { OnboardingState, OnboardingStep } from '../../domain/partners/onboarding-state';
import type { ReviewState } from '../../domain/reviews/review';
import { translator } from '../../infra/i18n';
import { say } from '../../infra/i18n/said';
import { at, day, group, money, nested, phase, said, type Said, type Text } from '../../domain/said';
import { englishLeftIn, visibleText } from '../support/english-left';
import { FOUR_SCRIPT_NAMES, SHOWN_AS_WRITTEN } from '../support/four-scripts';

/**
 * Every page behind an emailed link, in every state it can show, rendered in
 * each language other than English: no English catalogue phrase may be left
 * in what a person reads. Names in four scripts pass through intact. (The
 * English sentences of runs from before codes: legacy-workflow-text.unit.test.ts.)
 */
const NAMES = FOUR_SCRIPT_NAMES;

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
      taskKind: 'gate',
      summary: said('pages:request.move', { from: phase('initiating'), to: phase('adaptive-planning') }),
      details: [
        said('pages:request.goal', { goal: `work with ${NAMES.ministryAr}, ${NAMES.ministryZh}, ${NAMES.ministryRu} and ${NAMES.ngo}` }),
        said('pages:request.progress', { cycle: 1, phase: phase('initiating'), done: 12, total: 12 }),
        said('pages:request.notesFrom', { who: NAMES.person, notes: NAMES.ministryRu }),
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
  summary: said('pages:request.approvePartner', { organisation: NAMES.ngo, group: group('civil-society') }),
  details: [
    said('pages:request.contact', { contact: `${NAMES.person} <amelie@example.org>` }),
    said('pages:request.principles', { attested: 18, total: 18 }),
    said('pages:request.conflicts', { text: NAMES.ministryZh }),
  ],
  partner: { organisation: NAMES.ngo, group: 'civil-society', contact: person, principlesAttested: 18, principlesTotal: 18, conflictsOfInterest: 'none' },
});
const channelTask = task({
  taskKind: 'funding-channel',
  summary: said('pages:request.approveChannel', { activity: NAMES.ministryRu, version: 2 }),
  details: [
    said('pages:request.activity', { activity: NAMES.ministryRu, lead: NAMES.ministryZh, start: day('2027-01-01'), end: day('2027-06-30') }),
    said('pages:request.source', { source: nested(said('pages:request.sourceExternal', { name: NAMES.ngo })), amount: money('1000', 'JPY') }),
    said('pages:request.agentRotating', { agent: NAMES.ministryAr, cycle: 2 }),
    said('pages:request.disbursements', { list: '2027-01-15: 500; 2027-03-15: 500' }),
    said('pages:request.replaces', { amount: money('1.125', 'TND'), agent: NAMES.ngo }),
  ],
});
const reviewTask = task({
  taskKind: 'review-decision',
  summary: said('pages:request.reviewAdvice', { number: 2, phase: phase('collaborative-action') }),
  details: [
    said('pages:request.answersFrom', { answered: 3, asked: 4 }),
    said('pages:request.melReport', { url: 'https://example.org/documents/mel.pdf' }),
    said('pages:request.chooseHow'),
  ],
  choices: ['continue', 'adapt', 'exit'],
  choicesNeedingComment: ['adapt'],
});

function onboarding(step: OnboardingStep, reason?: Text): OnboardingState {
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
          { taskId: 'b', title: NAMES.ministryZh, status: 'refused', refusal: coded(409, alreadyDecided({ outcome: 'approved', by: { name: NAMES.person, email: 'amelie@example.org' }, at: EARLIER })) },
          { taskId: 'c', title: NAMES.ministryRu, status: 'refused', refusal: coded(403, said('refusals:task.notYours')) },
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
  const reasons: Array<[OnboardingStep, Text]> = [
    ['declined', NAMES.ministryRu],
    ['expired', said('emails:notice.noAnswer')],
    ['rejected', said('emails:notice.rejectedInApproval')],
    ['withdrawn', said('emails:notice.partnershipClosed', { why: nested(said('emails:notice.exitDecidedBy', { who: `${NAMES.person} <ari@example.org>` })) })],
    // An onboarding that ended before codes wrote its reason in English.
    ['expired', 'no answer to the invitation before the deadline'],
  ];
  for (const [step, reason] of reasons) {
    pages.push([`invitation ${step}${typeof reason === 'string' ? ', reason as written' : ''}`, renderInvitationPage(onboarding(step, reason), 'token', NOW, language)]);
  }
  const refusals: Refusal[] = [
    coded(400, said('refusals:link.malformed')),
    coded(403, said('refusals:link.forged')),
    coded(410, said('refusals:link.expired', { at: at(LATER) })),
    coded(410, said('refusals:link.keyRetired')),
    coded(403, said('refusals:link.wrongKind')),
    coded(403, said('refusals:task.notYours')),
    coded(403, said('refusals:task.handedOver', { to: NAMES.person, holder: NAMES.ministryAr })),
    coded(409, alreadyDecided({ outcome: 'rejected', by: { name: NAMES.person, email: 'amelie@example.org' }, at: EARLIER })),
    coded(409, alreadyDecided({ outcome: 'rejected', by: null, at: LATER })),
    coded(400, said('refusals:task.commentNeeded')),
    coded(410, said('refusals:request.endedAbnormallyUndated', { what: nested(said('refusals:what.request')), how: nested(said('refusals:ending.terminated')) })),
    coded(410, partnershipEnded('invitation', { how: 'closed', at: LATER, reason: null })),
    coded(410, partnershipEnded('review', { how: 'terminated', at: LATER, reason: 'duplicate' })),
    coded(410, partnershipEnded('request', { how: 'timed-out', at: null, reason: null })),
    coded(410, said('refusals:review.closedWithPartnership', { at: at(LATER) })),
    coded(409, said('refusals:review.alreadyAnswered', { at: at(EARLIER) })),
    coded(409, said('refusals:invitation.stepAnswered', { at: at(EARLIER) })),
    coded(403, said('refusals:invitation.notYours')),
    coded(429, said('refusals:link.rateLimited')),
    // Refusals without a code of their own: the status explains them.
    { status: 400, message: 'decision: choose approve or reject' },
    { status: 404, message: 'no such partnership or task' },
    { status: 503, message: 'the workflow service is not reachable right now' },
    { status: 500, message: 'something went wrong on our side' },
  ];
  for (const refusal of refusals) {
    pages.push([`refusal ${refusal.status} ${refusal.code ?? refusal.message}`, renderPage('message', language, { title: translator(language)('pages:refusal.title'), hasError: true, message: refusalText(language, refusal) })]);
  }
  return pages;
}

describe.each(LANGUAGES.filter((l) => l !== 'en'))('in %s', (language) => {
  it.each(everyPage(language))('%s: no English left, names intact, <html lang dir>', (_what, html) => {
    expect(englishLeftIn(visibleText(html), SHOWN_AS_WRITTEN, language)).toEqual([]);
    // A key the catalogue lacks, or one that names a group of keys, shows as i18next's own words.
    expect(visibleText(html)).not.toMatch(/returned an object|\b(pages|emails|labels|common|refusals):[\w.-]+/);
    expect(html).toContain(`<html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('shows names in Arabic, Chinese, Cyrillic and French intact', () => {
    const html = renderTaskPage(task(), NAMES.person, NOW, language, { token: TOKEN });
    for (const name of Object.values(NAMES)) expect(html).toContain(name);
  });

  it('lays an email out in the language, right to left for Arabic', () => {
    const { html } = composeEmail({ language, greeting: translator(language)('emails:greeting', { name: NAMES.ministryAr }), lines: [NAMES.ministryZh], link: { href: 'https://example.org/x', label: 'x' } });
    expect(html).toContain(`<html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(html).toContain(NAMES.ministryAr);
  });
});

/** A refusal as the API answers it, from its code (api/errors.ts `Problem`). */
function coded(status: number, saying: Said): Refusal {
  return { status, code: saying.code, ...(saying.params ? { params: saying.params } : {}), message: say('en', saying) };
}

test('the detector finds English left on a page', () => {
  expect(englishLeftIn('Décision requise — Decide before 3 mai')).toEqual(['Decide before']);
  expect(englishLeftIn(`Passer de ${NAMES.ngo} Move from Lancement`, SHOWN_AS_WRITTEN)).toContain('Move from');
});

test('no page shows a missing catalogue key, in any language', () => {
  for (const language of LANGUAGES) {
    for (const [what, html] of everyPage(language)) expect({ what, language, text: visibleText(html) }).not.toMatchObject({ text: expect.stringMatching(/returned an object|\b(pages|emails|labels|common|refusals):[\w.-]+/) });
  }
});

test('English pages keep the words the existing tests and people know', () => {
  expect(visibleText(renderTaskPage(task(), 'Ari', NOW, 'en', { token: TOKEN }))).toContain('Move from Initiating to Adaptive planning');
  expect(say('en', task().request.summary)).toBe('Move from Initiating to Adaptive planning');
});
