import { indicatorStatus, type ReviewState } from '../../domain/reviews/review';
import type { Language } from '../../infra/i18n';
import { documentWords, type DocumentModel } from './document-model';
import { phaseSection } from './phase-document';

/** The slug of an indicator status, as catalogue keys name it ("on track" → "on-track"). */
const statusKey = (s: string) => s.replace(/ /g, '-');

/**
 * The MEL report of one review (guide II.2.D), in `language`: indicators
 * against targets and dates, trends across reviews, meeting evaluation,
 * resource use, lessons, and the organisation's own engagement as partners
 * see it. Missing answers are reported as missing, never filled in. `at` is
 * when the report is compiled (ISO 8601): an indicator's status depends on it.
 */
export function buildMelReportModel(state: ReviewState, at: string, language: Language = 'en'): DocumentModel {
  const w = documentWords(language);
  const { t, f } = w;
  const r = state.request;
  const answered = r.partners.filter((p) => state.answers[p.id]);
  const missing = r.partners.filter((p) => !state.answers[p.id]);
  const indicators = r.partners.flatMap((p) => p.indicators.map((i) => ({ partner: p, i, value: state.answers[p.id]?.values[i.key] })));
  const average = (xs: number[]) => (xs.length ? f.number(Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1))) : '—');
  const quantity = (value: string, unit: string) => `${f.number(Number(value))} ${unit}`;
  return {
    language,
    partnership: r.partnershipTitle,
    title: t('documents:mel.title', { partnership: w.iso(r.partnershipTitle), number: r.number, cycle: r.cycle }),
    subtitle: t(r.monitoredBy === 'internal' ? 'documents:mel.subtitleInternal' : 'documents:mel.subtitleExternal'),
    guide: w.serves(phaseSection(language, 'reflective-monitoring')),
    facts: [
      [t('documents:fact.partnership'), `${w.iso(r.partnershipTitle)} ${w.iso(`(${r.partnershipId})`)}`],
      [t('documents:fact.review'), t('documents:mel.reviewText', { number: r.number, cycle: r.cycle, opened: f.date(state.startedAt), due: f.date(state.deadlineAt) })],
      [t('documents:fact.answers'), t('documents:mel.answersText', { answered: answered.length, total: r.partners.length })],
      [t('documents:fact.missingAnswers'), missing.length ? w.list(missing.map((p) => w.iso(p.organisation))) : t('documents:none')],
      [t('documents:fact.monitoredBy'), t(`documents:mel.monitoredBy.${r.monitoredBy}`)],
    ],
    sections: [
      {
        heading: t('documents:mel.indicators'),
        items: indicators.length
          ? indicators.map(({ partner, i, value }) => ({
              title: t('documents:mel.indicatorTitle', { indicator: i.indicator, activity: i.activityTitle, organisation: partner.organisation }),
              detail: t('documents:mel.indicatorDetail', {
                value: value === undefined ? t('documents:mel.noValue') : quantity(value, i.unit),
                target: quantity(i.target, i.unit),
                date: f.date(i.date),
                status: t(`documents:mel.status.${statusKey(indicatorStatus(i, value, at))}`),
              }),
            }))
          : [{ title: t('documents:mel.noIndicators'), detail: t('documents:mel.noIndicatorsText') }],
      },
      {
        heading: t('documents:mel.meeting'),
        items: [
          { title: t('documents:mel.treatedFairly'), detail: t('documents:mel.average', { value: average(answered.map((p) => state.answers[p.id].treatedFairly)) }) },
          { title: t('documents:mel.issuesDiscussed'), detail: t('documents:mel.average', { value: average(answered.map((p) => state.answers[p.id].importantIssuesDiscussed)) }) },
        ],
      },
      {
        heading: t('documents:mel.resourceUse'),
        items: r.resourceUse.length
          ? r.resourceUse.map((u) => ({ title: u.activityTitle, detail: u.approved ? t('documents:mel.approvedChannel', { channel: u.approved }) : t('documents:mel.noApprovedChannel') }))
          : [{ title: t('documents:mel.noActivities'), detail: '—' }],
      },
      {
        heading: t('documents:mel.lessons'),
        items: answered.filter((p) => state.answers[p.id].learning).map((p) => ({ title: p.organisation, detail: state.answers[p.id].learning })),
      },
      {
        heading: t('documents:mel.feedback'),
        items: answered
          .filter((p) => state.answers[p.id].feedbackOnOrganisation)
          .map((p) => ({ title: p.organisation, detail: state.answers[p.id].feedbackOnOrganisation })),
      },
      ...(missing.length
        ? [{ heading: t('documents:mel.noAnswer'), items: missing.map((p) => ({ title: p.organisation, detail: t('documents:mel.noAnswerText', { name: p.contact.name, date: f.date(state.deadlineAt) }) })) }]
        : []),
    ].filter((s) => s.items.length > 0),
    charts: r.partners.flatMap((p) =>
      p.indicators.map((i) => {
        const past = r.history.filter((h) => h.key === i.key).map((h) => ({ label: t('documents:mel.reviewShort', { number: h.reviewNumber }), value: Number(h.value) }));
        const now = state.answers[p.id]?.values[i.key];
        return {
          title: t('documents:mel.trend', { indicator: i.indicator, activity: i.activityTitle }),
          target: Number(i.target),
          targetLabel: t('documents:mel.targetLine', { target: quantity(i.target, i.unit) }),
          points: [...past, ...(now === undefined ? [] : [{ label: t('documents:mel.reviewShort', { number: r.number }), value: Number(now) }])],
        };
      }),
    ),
  };
}
