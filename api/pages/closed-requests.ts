import { RuleError } from '../../domain/rule-error';
import { at, nested, said, type Said } from '../../domain/said';
import { ENDED_STATUS, type EndedStatus, type PartnershipEnding, type WorkflowCalls } from '../workflow-calls';

/** What the refusals below ask of a service: how a workflow, or its partnership, ended. */
type Endings = Pick<WorkflowCalls, 'abnormalEnding' | 'partnershipEnding'>;

/** What a link is for, as its refusal names it (`refusals:what.<what>`). */
export type LinkWhat = 'request' | 'invitation' | 'review';

/**
 * The one answer every link kind gives about a request whose workflow ended
 * without its outcome (terminated, failed, timed out, cancelled — e.g. its
 * partnership was terminated with a gate open): 410 naming how and when, so
 * the page shows no form and a submission is not met with "not found". The
 * reason an operator typed when terminating is internal: neither the sentence
 * nor the details carry it.
 *
 * @throws RuleError Closed `refusals:request.endedAbnormally` {what, how, at} when `workflowId` ended abnormally; returns otherwise
 */
export async function refuseIfEndedAbnormally(service: Pick<Endings, 'abnormalEnding'>, workflowId: string, what: LinkWhat): Promise<void> {
  const ended = await service.abnormalEnding(workflowId);
  if (!ended) return;
  const how = ENDED_STATUS[ended.executionStatus] ?? 'terminated';
  throw new RuleError('Closed', closedSaying('refusals:request.endedAbnormally', what, how, ended.at), { ended: { how, at: ended.at } });
}

/**
 * The refusal of a link whose partnership ended: "This invitation is closed:
 * its partnership was ended by an operator on …" (`refusals:request.partnershipEnded`
 * {what, how, at}; without a known time, `…Undated`). No typed reason.
 */
export function partnershipEnded(what: LinkWhat, ending: PartnershipEnding): Said {
  return closedSaying('refusals:request.partnershipEnded', what, ending.how, ending.at);
}

function closedSaying(code: 'refusals:request.partnershipEnded' | 'refusals:request.endedAbnormally', what: LinkWhat, how: 'closed' | EndedStatus, when: string | null): Said {
  const params = { what: nested(said(`refusals:what.${what}`)), how: nested(said(`refusals:ending.${how}`)) };
  return when ? said(code, { ...params, at: at(when) }) : said(`${code}Undated`, params);
}

/**
 * The refusal of a link to work that belongs to a partnership (an invitation,
 * a review form, an approval task), once that partnership has ended, whatever
 * ended it: its own exit decision, an operator's termination, a failure. The
 * caller asks only when the person has not answered already: "already
 * answered" (409) comes before "closed" (410).
 *
 * @throws RuleError Closed `refusals:request.partnershipEnded` (410) when the partnership ended, or as `refuseIfEndedAbnormally`; returns otherwise
 */
export async function refuseIfClosed(service: Endings, link: { workflowId: string; partnershipId: string; what: LinkWhat }): Promise<void> {
  const ending = await service.partnershipEnding(link.partnershipId);
  if (ending) throw new RuleError('Closed', partnershipEnded(link.what, ending), { partnershipEnded: { how: ending.how, at: ending.at } });
  if (link.workflowId !== link.partnershipId) await refuseIfEndedAbnormally(service, link.workflowId, link.what);
}
