import { RuleError } from '../../domain/rule-error';
import type { PartnershipEnding, PartnershipService } from '../partnership-service';

/**
 * The one answer every link kind gives about a request whose workflow ended
 * without its outcome (terminated, failed, timed out, cancelled — e.g. its
 * partnership was terminated with a gate open): 410 naming how, when and why,
 * so the page shows no form and a submission is not met with "not found".
 *
 * @throws RuleError Closed (410) when `workflowId` ended abnormally; returns otherwise
 */
export async function refuseIfEndedAbnormally(service: PartnershipService, workflowId: string, what: string): Promise<void> {
  const ended = await service.abnormalEnding(workflowId);
  if (!ended) return;
  const how = ended.executionStatus.toLowerCase().replace('_', ' ');
  throw new RuleError('Closed', `this ${what} is closed: it was ${how}${ended.at ? ` on ${ended.at}` : ''}${ended.reason ? ` (${ended.reason})` : ''}, so there is nothing left to answer`, {
    ended,
  });
}

/** The sentence for a link whose partnership ended: "this invitation is closed: its partnership closed on …". */
export function partnershipEndedMessage(what: string, ending: PartnershipEnding): string {
  const how = ending.how === 'closed' ? 'closed' : `was ${ending.how.replace('-', ' ')}`;
  return `this ${what} is closed: its partnership ${how}${ending.at ? ` on ${ending.at}` : ''}${ending.reason ? ` (${ending.reason})` : ''}, so there is nothing left to answer`;
}

/**
 * The refusal of a link to work that belongs to a partnership (an invitation,
 * a review form, an approval task), once that partnership has ended, whatever
 * ended it: its own exit decision, an operator's termination, a failure. The
 * caller asks only when the person has not answered already: "already
 * answered" (409) comes before "closed" (410).
 *
 * @throws RuleError Closed (410) when the partnership ended, or `workflowId` itself ended abnormally; returns otherwise
 */
export async function refuseIfClosed(service: PartnershipService, link: { workflowId: string; partnershipId: string; what: string }): Promise<void> {
  const ending = await service.partnershipEnding(link.partnershipId);
  if (ending) throw new RuleError('Closed', partnershipEndedMessage(link.what, ending), { partnershipEnded: ending });
  if (link.workflowId !== link.partnershipId) await refuseIfEndedAbnormally(service, link.workflowId, link.what);
}
