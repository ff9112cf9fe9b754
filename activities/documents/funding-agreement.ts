import type { FundingChannelRequest } from '../../domain/funding';
import type { DocumentModel } from './content';

/** The funding agreement of an approved channel (guide II.2.B "Resources": fiduciary agent, channel per activity). */
export function buildFundingAgreementModel(req: FundingChannelRequest, decidedBy: string, at: string): DocumentModel {
  const p = req.proposal;
  const source =
    p.source.kind === 'organisation' ? `${p.source.name} (the organisation's own source)` : p.source.kind === 'partner' ? `Partner ${p.source.partnerId}` : `${p.source.name} (external financial partner)`;
  return {
    title: `Funding agreement — ${req.activity.title} (v${req.version})`,
    subtitle: `Partnership ${req.partnershipTitle}`,
    facts: [
      ['Partnership', `${req.partnershipTitle} (${req.partnershipId})`],
      ['Activity', `${req.activity.title} (${req.activity.id})`],
      ['Period', `${req.activity.start} to ${req.activity.end}`],
      ['Lead partner', req.activity.leadPartner],
      ['Source of funds', source],
      ['Amount', `${p.amount} ${p.currency}`],
      ['Fiduciary agent', `${req.fiduciaryAgent} (${req.fiduciaryRule === 'lead-partner' ? 'lead partner' : `rotating among core partners, cycle ${req.cycle}`})`],
      ['Approved by', `${decidedBy} on ${at}`],
      ...(req.previous ? ([['Replaces', `${req.previous.amount} ${req.previous.currency} via ${req.previous.fiduciaryAgent}`]] as Array<[string, string]>) : []),
    ],
    sections: [
      { heading: 'Disbursement schedule', items: p.disbursements.map((d) => ({ title: d.date, detail: `${d.amount} ${p.currency}` })) },
      {
        heading: 'Targets the funds serve (SMART)',
        items: req.activity.targets.map((t) => ({ title: t.indicator, detail: `${t.target} ${t.unit} by ${t.date}` })),
      },
    ],
  };
}
