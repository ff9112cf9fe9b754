import type { FundingChannelRequest } from '../../domain/resources/funding';
import type { Language } from '../../infra/i18n';
import { guideCitation } from '../../infra/i18n/checklist';
import { documentWords, sourceText, type DocumentModel } from './document-model';

/**
 * The funding agreement of an approved channel (guide II.2.B "Resources":
 * fiduciary agent, channel per activity), in `language`. `at` is when it was
 * decided (ISO 8601).
 */
export function buildFundingAgreementModel(req: FundingChannelRequest, decidedBy: string, at: string, language: Language = 'en'): DocumentModel {
  const w = documentWords(language);
  const { t } = w;
  const p = req.proposal;
  const rule = req.fiduciaryRule === 'lead-partner' ? t('documents:fiduciaryRule.lead-partner') : t('documents:funding.rotatingInCycle', { cycle: req.cycle });
  return {
    language,
    partnership: req.partnershipTitle,
    title: t('documents:funding.title', { activity: w.iso(req.activity.title), version: req.version }),
    subtitle: t('documents:funding.subtitle', { partnership: w.iso(req.partnershipTitle) }),
    guide: w.serves(guideCitation(language, 'II.2.B Resources')),
    facts: [
      [t('documents:fact.partnership'), `${w.iso(req.partnershipTitle)} ${w.iso(`(${req.partnershipId})`)}`],
      [t('documents:fact.activity'), `${req.activity.title} (${req.activity.id})`],
      [t('documents:fact.period'), w.period(req.activity.start, req.activity.end)],
      [t('documents:fact.leadPartner'), req.activity.leadPartner],
      [t('documents:fact.source'), sourceText(w, p.source)],
      [t('documents:fact.amount'), w.money(p.amount, p.currency)],
      [t('documents:fact.fiduciaryAgent'), `${req.fiduciaryAgent} (${rule})`],
      [t('documents:fact.approvedBy'), w.byOn(decidedBy, at)],
      ...(req.previous
        ? ([[t('documents:fact.replaces'), t('documents:funding.replacesText', { amount: w.money(req.previous.amount, req.previous.currency), agent: req.previous.fiduciaryAgent })]] as Array<[string, string]>)
        : []),
    ],
    sections: [
      { heading: t('documents:funding.disbursements'), items: p.disbursements.map((d) => ({ title: w.f.date(d.date), detail: w.money(d.amount, p.currency) })) },
      { heading: t('documents:funding.targets'), items: req.activity.targets.map((x) => ({ title: x.indicator, detail: w.target(x) })) },
    ],
  };
}
