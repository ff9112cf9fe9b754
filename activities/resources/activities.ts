import type { DocumentRef } from '../../domain/documents/documents';
import { pickLanguage } from '../../domain/language';
import type { FundingChannelRequest } from '../../domain/resources/funding';
import type { FundingChannelRecord } from '../../domain/resources/schemas';
import type { DocumentSource } from '../documents/sources';
import type { ActivityContext } from '../activity-context';

/* A funding channel decided: its funding agreement written and stored, and the channel recorded in the registry. */

/** Funding agreement and channel record (activity names are stable: running workflows schedule them by name). */
export function resourceActivities(ctx: ActivityContext) {
  const { deps, partnershipLanguage, storeDocument } = ctx;
  return {
    async createFundingAgreement(input: { request: FundingChannelRequest; decidedBy: string; at: string }): Promise<DocumentRef> {
      const r = input.request;
      const source: DocumentSource = { kind: 'funding-agreement', request: r, decidedBy: input.decidedBy, at: input.at };
      const language = pickLanguage(await partnershipLanguage(r.partnershipId));
      return storeDocument(`${r.channelId}.funding-agreement`, source, language, { partnershipId: r.partnershipId, kind: 'funding-agreement', cycle: r.cycle, phase: r.phase });
    },

    async recordFundingChannel(input: { id: string; record: FundingChannelRecord }): Promise<{ created: boolean }> {
      return deps.registry.putFundingChannel(input.id, input.record);
    },
  };
}
