import { PHASES, type PhaseId } from '../../domain/partnership/phases';
import { DEFAULT_LANGUAGE, type Language } from '../../domain/language';
import { formatters, isolate, textTranslator, translator } from './index';
import { CATALOGUE } from '../../domain/partnership/catalogue';
import { guideCitation, itemTitle } from './checklist';

/**
 * FROZEN — the English sentences workflows wrote before sentences became codes
 * (domain/said.ts), read back into the reader's language.
 *
 * Runs that started before then carry these texts in their histories and
 * carried state (an approval task's summary and details, a notice in the
 * outbox, a contact's email still to be retried), and an older run replays
 * with them; infra/i18n/said.ts hands any text that is a plain string here.
 * New code never writes such a sentence and never adds a rule: a new sentence
 * is a catalogue key and a `said(...)` call. This is the only module that reads
 * meaning out of English text (test/unit/no-english-parsing.unit.test.ts), and
 * test/unit/legacy-workflow-text.unit.test.ts keeps the texts of recorded runs
 * reading right in all six languages. It goes once no run from before the
 * deployment that brought codes (2026-12-07) can still be open: docs/languages.md,
 * "Sentences as codes", says how to tell.
 */

type Rule = [RegExp, (g: Record<string, string>, ctx: Ctx) => string];
interface Ctx {
  language: Language;
  t: ReturnType<typeof translator>;
  tr: (text: string) => string;
}

const PHASE_BY_LABEL = new Map<string, PhaseId>(PHASES.map((p) => [p.label, p.id]));
const phase = (label: string, { t }: Ctx) => {
  const id = PHASE_BY_LABEL.get(label);
  return id ? t(`labels:phase.${id}`) : label;
};
const group = (id: string, { t }: Ctx) => t(`labels:group.${id}`, { defaultValue: id });
const status = (word: string, { t }: Ctx) => t(`emails:status.${word}`, { defaultValue: word });
/** "2026-11-29 14:05 UTC" as the workflows write it → the reader's date and time. */
const when = (text: string, { language }: Ctx) => {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d)(?::[\d.]+)?(?: UTC|Z)?$/.exec(text);
  return m ? formatters(language).dateTime(`${m[1]}T${m[2]}:00Z`) : text;
};
const money = (amount: string, currency: string, { language }: Ctx) => {
  try {
    return formatters(language).money(amount, currency);
  } catch {
    return `${amount} ${currency}`;
  }
};
const PARTNER_OUTCOMES: Record<string, string> = {
  'is mapped': 'mapped',
  'is invited': 'invited',
  'signed its agreement and is now an active partner': 'active',
  'declined the invitation': 'declined',
  'was not approved as a partner': 'rejected',
  'did not answer before the deadline; the invitation expired': 'expired',
  'has withdrawn from the partnership': 'withdrawn',
};
const OUTCOME_ALTERNATIVES = Object.keys(PARTNER_OUTCOMES)
  .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');

const RULES: Rule[] = [
  // An approval request's summary and details (partnership, onboarding, funding-channel and review workflows).
  [/^Move from (?<from>.+) to (?<to>.+)$/, (g, c) => c.t('pages:request.move', { from: phase(g.from, c), to: phase(g.to, c) })],
  [/^[Rr]eview decision "(?<d>.+)"$/, (g, c) => c.t('pages:request.reviewDecision', { decision: status(g.d, c) })],
  [/^Goal: (?<goal>[\s\S]*)$/, (g, c) => c.t('pages:request.goal', { goal: g.goal })],
  [
    /^Cycle (?<cycle>\d+); (?<phase>.+) checklist: (?<done>\d+) of (?<total>\d+) items done\.$/,
    (g, c) => c.t('pages:request.progress', { cycle: g.cycle, phase: phase(g.phase, c), done: g.done, total: g.total }),
  ],
  [/^Notes from (?<who>.+?): (?<notes>[\s\S]*)$/, (g, c) => c.t('pages:request.notesFrom', { who: g.who, notes: g.notes })],
  [/^Approve (?<org>.+) \((?<group>[a-z-]+)\) as a partner$/, (g, c) => c.t('pages:request.approvePartner', { organisation: g.org, group: group(g.group, c) })],
  [/^Contact: (?<contact>.+)$/, (g, c) => c.t('pages:request.contact', { contact: g.contact })],
  [/^Principles attested: (?<a>\d+) of (?<n>\d+)$/, (g, c) => c.t('pages:request.principles', { attested: g.a, total: g.n })],
  [/^Conflicts of interest declared: (?<text>[\s\S]*)$/, (g, c) => c.t('pages:request.conflicts', { text: g.text })],
  [/^(?<verb>Approve|Change) the financial channel of "(?<a>.+)" \(v(?<v>\d+)\)$/, (g, c) => c.t(`pages:request.${g.verb === 'Approve' ? 'approveChannel' : 'changeChannel'}`, { activity: g.a, version: g.v })],
  [
    /^Activity: (?<a>.+) \(lead partner (?<lead>.+), (?<start>\S+) → (?<end>\S+)\)$/,
    (g, c) => c.t('pages:request.activity', { activity: g.a, lead: g.lead, start: c.language === DEFAULT_LANGUAGE ? g.start : formatters(c.language).date(g.start), end: c.language === DEFAULT_LANGUAGE ? g.end : formatters(c.language).date(g.end) }),
  ],
  [
    /^Source: (?<src>.+); amount (?<amount>[\d.]+) (?<cur>[A-Z]{3})$/,
    (g, c) => {
      const s = /^the organisation's (.+)$/.exec(g.src) ?? undefined;
      const p = /^partner (.+)$/.exec(g.src) ?? undefined;
      const e = /^external financial partner (.+)$/.exec(g.src) ?? undefined;
      const source = s ? c.t('pages:request.sourceOrganisation', { name: s[1] }) : e ? c.t('pages:request.sourceExternal', { name: e[1] }) : p ? c.t('pages:request.sourcePartner', { name: p[1] }) : g.src;
      return c.t('pages:request.source', { source, amount: money(g.amount, g.cur, c) });
    },
  ],
  [/^Fiduciary agent: (?<agent>.+) \(the lead partner\)$/, (g, c) => c.t('pages:request.agentLead', { agent: g.agent })],
  [/^Fiduciary agent: (?<agent>.+) \(rotating among core partners, cycle (?<cycle>\d+)\)$/, (g, c) => c.t('pages:request.agentRotating', { agent: g.agent, cycle: g.cycle })],
  [/^Disbursements: (?<list>.*)$/, (g, c) => c.t('pages:request.disbursements', { list: g.list })],
  [/^Replaces the approved channel of (?<amount>[\d.]+) (?<cur>[A-Z]{3}) via (?<agent>.+)$/, (g, c) => c.t('pages:request.replaces', { amount: money(g.amount, g.cur, c), agent: g.agent })],
  [/^Review (?<n>\d+): continue, adapt or exit$/, (g, c) => c.t('pages:request.reviewChoice', { number: g.n })],
  [
    /^Review (?<n>\d+): continue, adapt or exit — advice only \(the partnership is in (?<phase>.+); the decision is recorded, not applied\)$/,
    (g, c) => c.t('pages:request.reviewAdvice', { number: g.n, phase: phase(g.phase, c) }),
  ],
  [/^Answers from (?<a>\d+) of (?<n>\d+) partners\.$/, (g, c) => c.t('pages:request.answersFrom', { answered: g.a, asked: g.n })],
  [/^MEL report: (?<url>\S+) \(HTML view: add \?format=html\)$/, (g, c) => c.t('pages:request.melReport', { url: g.url })],
  [/^The MEL report could not be produced\.$/, (_g, c) => c.t('pages:request.melMissing')],
  [/^Choose "continue" \(next cycle\), "adapt" .*$/, (_g, c) => c.t('pages:request.chooseHow')],
  // Form problems the link pages show (domain/schemas.ts).
  [/^a rejection needs a comment explaining why$/, (_g, c) => c.t('pages:problems.rejectNeedsComment')],

  // The manager's notices (partnership workflow).
  [/^(?<o>approved|rejected) — (?<what>.+)$/, (g, c) => `${status(g.o, c)} — ${c.tr(g.what)}`],
  [/^move from (?<from>.+) to (?<to>.+)$/, (g, c) => c.t('pages:request.move', { from: phase(g.from, c), to: phase(g.to, c) })],
  [/^periodic review started$/, (_g, c) => c.t('emails:notice.periodicReview')],
  [/^The partnership moved from (?<from>.+) to (?<to>.+)\.$/, (g, c) => c.t('emails:notice.moved', { from: phase(g.from, c), to: phase(g.to, c) })],
  [/^The partnership starts review cycle (?<n>\d+) in Adaptive planning\.$/, (g, c) => c.t('emails:notice.newCycle', { cycle: g.n })],
  [/^The partnership is now closed\.$/, (_g, c) => c.t('emails:notice.closed')],
  [/^The request was rejected; the partnership stays in (?<p>.+)\.$/, (g, c) => c.t('emails:notice.rejectedStays', { phase: phase(g.p, c) })],
  [/^Comment from (?<who>.+?): (?<comment>[\s\S]*)$/, (g, c) => c.t('emails:notice.commentFrom', { who: g.who, comment: g.comment })],
  [/^Comment: (?<comment>[\s\S]*)$/, (g, c) => c.t('emails:notice.comment', { comment: g.comment })],
  [/^Reason: (?<reason>[\s\S]*)$/, (g, c) => c.t('emails:notice.reason', { reason: c.tr(g.reason) })],
  [/^the review's decision "(?<d>.+)" waits for the checklist$/, (g, c) => c.t('emails:notice.decisionWaits', { decision: status(g.d, c) })],
  [
    /^The approvers decided "(?<d>.+)"\. It takes effect once (?<n>\d+) checklist item\(s\) of Reflective monitoring are done:$/,
    (g, c) => c.t('emails:notice.decisionWaitsLine', { decision: status(g.d, c), count: g.n }),
  ],
  [
    /^- (?<title>.+) \[(?<ref>[^\]]+)\]$/,
    (g, c) => {
      const item = CATALOGUE.find((i) => i.title === g.title && i.guideRef === g.ref);
      return item ? `- ${itemTitle(c.language, item)} [${guideCitation(c.language, item.guideRef)}]` : `- ${g.title} [${g.ref}]`;
    },
  ],
  [/^review (?<n>\d*) decided: (?<d>.+)$/, (g, c) => c.t('emails:notice.reviewDecided', { number: g.n, decision: status(g.d, c) })],
  [/^review (?<n>\d*) closed without a decision$/, (g, c) => c.t('emails:notice.reviewUndecided', { number: g.n })],
  [/^(?<a>\d+) of (?<n>\d+) partners answered\.$/, (g, c) => c.t('emails:notice.answered', { answered: g.a, asked: g.n })],
  [/^The MEL report is ready: (?<title>.+)\.$/, (g, c) => c.t('emails:notice.reportReady', { title: g.title })],
  [/^The MEL report could not be stored; see the review in the console\.$/, (_g, c) => c.t('emails:notice.reportMissing')],
  [/^Governance decision: (?<d>\w+) \(by (?<by>.+?); notes: (?<notes>[\s\S]*)\)\.$/, (g, c) => c.t('emails:notice.governanceNotes', { decision: status(g.d, c), by: g.by, notes: g.notes })],
  [/^Governance decision: (?<d>\w+) \(by (?<by>.+)\)\.$/, (g, c) => c.t('emails:notice.governance', { decision: status(g.d, c), by: g.by })],
  [/^The approvers made no governance decision before the deadline\.$/, (_g, c) => c.t('emails:notice.noGovernance')],
  [/^financial channel for "(?<a>.+)" \(v(?<v>\d+)\) (?<s>approved|rejected)$/, (g, c) => c.t('emails:notice.channelSubject', { activity: g.a, version: g.v, status: status(g.s, c) })],
  [
    /^(?<by>.+) (?<s>approved|rejected) the financial channel for "(?<a>.+)" \(version (?<v>\d+)\)\.$/,
    (g, c) => c.t('emails:notice.channelLine', { by: g.by, status: status(g.s, c), activity: g.a, version: g.v }),
  ],
  [
    new RegExp(`^(?<org>.+) \\((?<group>[a-z-]+)\\) (?<o>${OUTCOME_ALTERNATIVES})\\.$`),
    (g, c) => c.t(`emails:notice.partnerLine.${PARTNER_OUTCOMES[g.o]}`, { organisation: g.org, group: group(g.group, c) }),
  ],
  [new RegExp(`^(?<org>.+) (?<o>${OUTCOME_ALTERNATIVES})$`), (g, c) => c.t(`emails:notice.partner.${PARTNER_OUTCOMES[g.o]}`, { organisation: g.org })],

  // The partner contact's emails (onboarding and review workflows).
  [/^reminder — (?<s>.+)$/, (g, c) => c.t('emails:notice.reminderPrefix', { subject: c.tr(g.s) })],
  [/^invitation to join as a partner$/, (_g, c) => c.t('emails:notice.invitationSubject')],
  [/^due diligence$/, (_g, c) => c.t('emails:notice.dueDiligenceSubject')],
  [/^please confirm the signature of your MoU$/, (_g, c) => c.t('emails:notice.signatureMou')],
  [/^please confirm the signature of your letter of intent$/, (_g, c) => c.t('emails:notice.signatureLoi')],
  [/^your onboarding ended \((?<s>\w+)\)$/, (g, c) => c.t('emails:notice.endedSubject', { status: status(g.s, c) })],
  [/^Outcome: (?<s>\w+)\.$/, (g, c) => c.t('emails:notice.outcome', { status: status(g.s, c) })],
  [/^This is a reminder: we are still waiting for your answer\.$/, (_g, c) => c.t('emails:notice.reminderLine')],
  // Written by runs that resent an invitation in the hours between `resend-invitation` and codes (2026-12-07).
  [/^We are sending this again at the request of the partnership\.$/, (_g, c) => c.t('emails:said.resent')],
  [
    /^(?<who>.+) invites (?<org>.+) to join the multi-stakeholder partnership "(?<title>.+)"\.$/,
    (g, c) => c.t('emails:notice.invites', { who: g.who, organisation: g.org, title: g.title }),
  ],
  [/^Its goal: (?<goal>[\s\S]*)$/, (g, c) => c.t('emails:notice.itsGoal', { goal: g.goal })],
  [/^Please accept or decline on the page below\. If you accept, a short due-diligence form follows\.$/, (_g, c) => c.t('emails:notice.acceptOrDecline')],
  [/^Thank you for accepting\. Please attest .*$/, (_g, c) => c.t('emails:notice.thanksAccepting')],
  [/^Your participation was approved\. The (?<doc>.+) is ready\.$/, (g, c) => c.t('emails:notice.approvedReady', { document: g.doc })],
  [/^Please read it on the page below and confirm that it has been signed\.$/, (_g, c) => c.t('emails:notice.readAndConfirm')],
  [/^no answer to the invitation before the deadline$/, (_g, c) => c.t('emails:notice.noAnswer')],
  [/^due diligence not completed before the deadline$/, (_g, c) => c.t('emails:notice.noDueDiligence')],
  [/^signature not confirmed before the deadline$/, (_g, c) => c.t('emails:notice.noSignature')],
  [/^rejected in internal approval$/, (_g, c) => c.t('emails:notice.rejectedInApproval')],
  [/^the partnership closed \((?<why>.+)\)$/, (g, c) => c.t('emails:notice.partnershipClosed', { why: c.tr(g.why) })],
  [/^exit decided by (?<who>.+)$/, (g, c) => c.t('emails:notice.exitDecidedBy', { who: g.who })],
  [/^review (?<n>\d+), your indicators and feedback$/, (g, c) => c.t('emails:notice.reviewSubject', { number: g.n })],
  [
    /^The partnership "(?<title>.+)" is holding its review (?<n>\d+) \(reflective monitoring\)\.$/,
    (g, c) => c.t('emails:notice.reviewHolding', { title: g.title, number: g.n }),
  ],
  [
    /^The partnership "(?<title>.+)" is holding its review (?<n>\d+) \(an extra review during (?<p>.+)\)\.$/,
    (g, c) => c.t('emails:notice.reviewHoldingExtra', { title: g.title, number: g.n, phase: phase(g.p, c) }),
  ],
  [/^Please report the values of the (?<n>\d+) indicator\(s\) .*$/, (g, c) => c.t('emails:notice.reviewIndicators', { count: g.n })],
  [/^There are no indicators for you to report this time; .*$/, (_g, c) => c.t('emails:notice.reviewNoIndicators')],
  [/^Answers are due by (?<at>.+)\.$/, (g, c) => c.t('emails:notice.answersDue', { at: when(g.at, c) })],
];

/**
 * One sentence a workflow wrote, in `language`. English comes back unchanged;
 * an unknown sentence comes back as written. `plainText` (emails' subjects
 * and text parts) isolates the names and titles placed in the sentence for
 * bidi (see `textTranslator`); pages isolate them with `<bdi>` instead.
 */
export function legacyText(language: Language, text: string, plainText = false): string {
  if (language === DEFAULT_LANGUAGE) return text;
  const t = plainText ? textTranslator(language) : translator(language);
  const ctx: Ctx = { language, t, tr: (s) => legacyText(language, s, plainText) };
  for (const [pattern, render] of RULES) {
    const m = pattern.exec(text);
    if (m) return render(m.groups ?? {}, ctx);
  }
  return text;
}

/**
 * A subject the workflows write as "<partnership title>: <what>": the title
 * kept as written but isolated for bidi (an override in it must not reverse
 * the rest of the subject), the rest in `language`, in every language
 * English included. `title` is the partnership's title when the caller knows
 * it (it may itself hold ": "); else the title ends at the first ": " after
 * which a sentence a rule knows follows, or at the first ": ".
 */
export function legacySubject(language: Language, subject: string, title?: string): string {
  const split = title && subject.startsWith(`${title}: `) ? [title, subject.slice(title.length + 2)] : splitAtKnown(subject);
  if (!split) return legacyText(language, subject, true);
  const separator = language === DEFAULT_LANGUAGE ? ': ' : translator(language)('emails:notice.titleSeparator');
  return `${isolate(split[0])}${separator}${legacyText(language, split[1], true)}`;
}

/** The first ": " after which the rest is a sentence a rule knows, else the first ": ". */
function splitAtKnown(subject: string): [string, string] | undefined {
  for (let i = subject.indexOf(': '); i >= 0; i = subject.indexOf(': ', i + 1)) {
    const rest = subject.slice(i + 2);
    if (RULES.some(([pattern]) => pattern.test(rest))) return [subject.slice(0, i), rest];
  }
  const first = subject.indexOf(': ');
  return first > 0 ? [subject.slice(0, first), subject.slice(first + 2)] : undefined;
}
