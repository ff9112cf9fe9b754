import { documentTitle } from '../../activities/documents/phase-document';
import { isolate, textTranslator, translator } from '../../infra/i18n';
import { saySubject, say } from '../../infra/i18n/said';
import { partnershipInput } from '../support/fixtures';

/**
 * A right-to-left override (U+202E) in text people typed reverses everything
 * after it on its line, up to the end of the paragraph or a closing isolate
 * (U+2069). In email subjects, text parts and documents, people's text is a
 * first-strong isolate (U+2068 … U+2069), so what follows it reads as written.
 */
const RLO = '\u202e';
const TITLE = `Green jobs ${RLO}for youth`;
const FSI = '\u2068';
const PDI = '\u2069';

/** What follows the isolate that holds the override: the text the override would have reversed. */
function afterOverride(text: string): string {
  const at = text.indexOf(RLO);
  expect(at).toBeGreaterThan(-1);
  expect(text.lastIndexOf(FSI, at)).toBeGreaterThan(-1);
  return text.slice(text.indexOf(PDI, at) + 1);
}

test('a task email subject: the text after an overriding title is outside its isolate, in every language', () => {
  for (const language of ['en', 'fr', 'ar', 'zh', 'ru', 'es'] as const) {
    const subject = textTranslator(language)('emails:task.subject.assigned', { title: TITLE, summary: 'Move from Initiating to Adaptive planning' });
    expect(subject).toContain(isolate(TITLE));
    expect(afterOverride(subject)).not.toContain(RLO);
    expect(afterOverride(subject)).toContain(isolate('Move from Initiating to Adaptive planning'));
  }
  // The catalogue's own words are untouched, and so are values without letters.
  expect(textTranslator('en')('emails:digest.subject', { count: 4 })).toBe('4 decisions waiting for you');
  // Pages keep the plain translator: they isolate with <bdi>.
  expect(translator('en')('emails:task.subject.assigned', { title: TITLE, summary: 'x' })).toBe(`Decision needed — ${TITLE}: x`);
});

test('a subject a workflow wrote ("<title>: <what>") isolates the title, English included', () => {
  const english = saySubject('en', `${TITLE}: approved — move from Initiating to Adaptive planning`);
  expect(english).toBe(`${isolate(TITLE)}: approved — move from Initiating to Adaptive planning`);
  const french = saySubject('fr', `${TITLE}: Ministry of Labour signed its agreement and is now an active partner`);
  expect(french.startsWith(`${FSI}${TITLE}${PDI}`)).toBe(true);
  expect(afterOverride(french)).toContain(isolate('Ministry of Labour'));
  // A title that itself holds ": " is found by the sentence a rule knows after it.
  expect(saySubject('en', `Jobs: ${TITLE}: review 2, your indicators and feedback`)).toBe(`${isolate(`Jobs: ${TITLE}`)}: review 2, your indicators and feedback`);
});

test('a plain-text line a workflow wrote isolates the names it carries; the page form does not', () => {
  const line = `Maria ${RLO}Ivanova invites Youth Network to join the multi-stakeholder partnership "Green jobs".`;
  expect(afterOverride(say('fr', line, { plainText: true }))).not.toContain(RLO);
  expect(say('fr', line)).not.toContain(FSI);
});

test('a document title isolates a title that carries an override, even in a left-to-right document', () => {
  const title = documentTitle({ input: partnershipInput({ title: TITLE }), cycle: 2 }, 'initiating', 'en');
  expect(title).toContain(isolate(TITLE));
  expect(afterOverride(title)).toMatch(/cycle 2/);
});
