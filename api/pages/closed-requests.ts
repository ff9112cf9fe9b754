import { HttpError } from '../errors';
import type { PartnershipService } from '../partnership-service';

/**
 * The one answer every link kind gives about a request whose workflow ended
 * without its outcome (terminated, failed, timed out, cancelled — e.g. its
 * partnership was terminated with a gate open): 410 naming how, when and why,
 * so the page shows no form and a submission is not met with "not found".
 *
 * @throws HttpError 410 when `workflowId` ended abnormally; returns otherwise
 */
export async function refuseIfEndedAbnormally(service: PartnershipService, workflowId: string, what: string): Promise<void> {
  const ended = await service.abnormalEnding(workflowId);
  if (!ended) return;
  const how = ended.executionStatus.toLowerCase().replace('_', ' ');
  throw new HttpError(410, `this ${what} is closed: it was ${how}${ended.at ? ` on ${ended.at}` : ''}${ended.reason ? ` (${ended.reason})` : ''}, so there is nothing left to answer`, {
    ended,
  });
}
