import { indicatorStatus, type ReviewState } from '../../domain/review';
import type { DocumentModel } from './content';

const average = (xs: number[]) => (xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1) : '—');

/**
 * The MEL report of one review (guide II.2.D): indicators against targets and
 * dates, trends across reviews, meeting evaluation, resource use, lessons,
 * and the organisation's own engagement as partners see it. Missing answers
 * are reported as missing, never filled in.
 */
export function buildMelReportModel(state: ReviewState, at: string): DocumentModel {
  const r = state.request;
  const answered = r.partners.filter((p) => state.answers[p.id]);
  const missing = r.partners.filter((p) => !state.answers[p.id]);
  const indicators = r.partners.flatMap((p) => p.indicators.map((i) => ({ partner: p, i, value: state.answers[p.id]?.values[i.key] })));
  return {
    title: `MEL report — ${r.partnershipTitle}, review ${r.number} (cycle ${r.cycle})`,
    subtitle: `Reflective monitoring (guide II.2.D); monitoring and evaluation by ${r.monitoredBy === 'internal' ? 'an internal team' : 'an external evaluator'}`,
    facts: [
      ['Partnership', `${r.partnershipTitle} (${r.partnershipId})`],
      ['Review', `number ${r.number}, cycle ${r.cycle}, opened ${state.startedAt}, answers due ${state.deadlineAt}`],
      ['Answers', `${answered.length} of ${r.partners.length} partners`],
      ['Missing answers', missing.length ? missing.map((p) => p.organisation).join(', ') : 'none'],
      ['Monitored by', r.monitoredBy],
    ],
    sections: [
      {
        heading: 'Indicators against targets',
        items: indicators.length
          ? indicators.map(({ partner, i, value }) => ({
              title: `${i.indicator} — ${i.activityTitle} (${partner.organisation})`,
              detail: `${value === undefined ? 'no value reported' : `${value} ${i.unit}`} of ${i.target} ${i.unit} by ${i.date}: ${indicatorStatus(i, value, at)}`,
            }))
          : [{ title: 'No indicators', detail: 'The roadmap has no activities with targets for the active partners.' }],
      },
      {
        heading: 'Meeting evaluation (1 = not at all, 5 = fully)',
        items: [
          { title: 'Participants were treated fairly', detail: `average ${average(answered.map((p) => state.answers[p.id].treatedFairly))}` },
          { title: 'The important issues were discussed', detail: `average ${average(answered.map((p) => state.answers[p.id].importantIssuesDiscussed))}` },
        ],
      },
      {
        heading: 'Resource use against the financial channels',
        items: r.resourceUse.length
          ? r.resourceUse.map((u) => ({ title: u.activityTitle, detail: u.approved ? `approved channel: ${u.approved}` : 'no approved channel' }))
          : [{ title: 'No roadmap activities', detail: '—' }],
      },
      {
        heading: 'Lessons',
        items: answered.filter((p) => state.answers[p.id].learning).map((p) => ({ title: p.organisation, detail: state.answers[p.id].learning })),
      },
      {
        heading: "Partners' feedback on the organisation's performance",
        items: answered
          .filter((p) => state.answers[p.id].feedbackOnOrganisation)
          .map((p) => ({ title: p.organisation, detail: state.answers[p.id].feedbackOnOrganisation })),
      },
      ...(missing.length
        ? [{ heading: 'No answer received', items: missing.map((p) => ({ title: p.organisation, detail: `${p.contact.name} did not answer by ${state.deadlineAt}` })) }]
        : []),
    ].filter((s) => s.items.length > 0),
    charts: r.partners.flatMap((p) =>
      p.indicators.map((i) => {
        const past = r.history.filter((h) => h.key === i.key).map((h) => ({ label: `R${h.reviewNumber}`, value: Number(h.value) }));
        const now = state.answers[p.id]?.values[i.key];
        return { title: `Trend: ${i.indicator} (${i.activityTitle})`, target: Number(i.target), points: [...past, ...(now === undefined ? [] : [{ label: `R${r.number}`, value: Number(now) }])] };
      }),
    ),
  };
}
