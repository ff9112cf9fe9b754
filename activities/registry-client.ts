import { ApplicationFailure } from '@temporalio/common';
import type { DocumentUpsert, FundingChannelRecord, PartnerMembership, TransitionRecord } from '../domain/schemas';

/**
 * The activities' client of our own Express API (the one surrounding tools
 * use). Writes are PUTs to deterministic ids, so a retry lands on the same row.
 * A 4xx is our bug or bad data and will not heal by retrying: non-retryable.
 */
export interface RegistryClient {
  putDocument(id: string, doc: DocumentUpsert): Promise<{ url: string; created: boolean }>;
  putTransition(id: string, record: TransitionRecord): Promise<{ created: boolean }>;
  putMembership(partnerId: string, partnershipId: string, membership: PartnerMembership): Promise<{ created: boolean }>;
  putFundingChannel(id: string, record: FundingChannelRecord): Promise<{ created: boolean }>;
}

export function createRegistryClient(baseUrl: string, token: string): RegistryClient {
  async function put<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (res.status >= 400 && res.status < 500 && res.status !== 429) {
      throw ApplicationFailure.create({
        type: 'RegistryRejected',
        message: `PUT ${path} → ${res.status}: ${text.slice(0, 500)}`,
        nonRetryable: true,
      });
    }
    if (!res.ok) throw new Error(`PUT ${path} → ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
  return {
    putDocument: (id, doc) => put(`/api/documents/${encodeURIComponent(id)}`, doc),
    putTransition: (id, record) => put(`/api/registry/transitions/${encodeURIComponent(id)}`, record),
    putFundingChannel: (id, record) => put(`/api/funding/channels/${encodeURIComponent(id)}`, record),
    putMembership: (partnerId, partnershipId, membership) =>
      put(`/api/partners/${encodeURIComponent(partnerId)}/memberships/${encodeURIComponent(partnershipId)}`, membership),
  };
}
