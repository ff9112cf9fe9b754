import type { Selectable } from 'kysely';
import type { DocumentUpsert } from '../../domain/documents/schemas';
import type { FundingChannelRecord } from '../../domain/resources/schemas';
import type { TransitionRecord } from '../../domain/partnership/schemas';
import { DEFAULT_LANGUAGE, supportedLanguage, type Language } from '../../domain/language';
import type { DocumentsTable, FundingChannelsTable, PartnerMembershipsTable, TransitionsTable } from './schema';

/**
 * What the store answers, in the API's terms (camelCase, parsed JSON, Buffers),
 * and how a table row (`schema.ts`) becomes it. The queries are in `store.ts`.
 */

export interface DocumentSummary {
  id: string;
  partnershipId: string;
  kind: string;
  title: string;
  cycle: number;
  phase: string;
  createdAt: string;
}

export interface StoredDocument extends DocumentSummary {
  html: string;
  /** The PDF as printed when it was stored; null for documents typeset on read (see `furniture`). */
  pdf: Buffer | null;
  /** The PDF's running header and footer, to typeset `html` as it was written; absent on documents stored with their PDF. */
  furniture?: NonNullable<DocumentUpsert['furniture']>;
  /** The language of `html` and `pdf` (English for documents stored before languages). */
  language: Language;
  /** What it was built from (see activities/documents/sources.ts); absent on documents stored before. */
  source?: { kind: string } & Record<string, unknown>;
}

export interface TransitionRow extends TransitionRecord {
  id: string;
}

/** The parts of a transition beyond its columns, as JSON; null when it has none (records from before they were kept). */
export function transitionDetails(t: TransitionRecord): string | null {
  const details = { ...(t.kind ? { kind: t.kind } : {}), ...(t.comment ? { comment: t.comment } : {}), ...(t.handovers?.length ? { handovers: t.handovers } : {}) };
  return Object.keys(details).length ? JSON.stringify(details) : null;
}

export interface MembershipRow {
  partnerId: string;
  partnershipId: string;
  organisation: string;
  group: string;
  status: string;
  contact: { name: string; email: string } | null;
  documentId: string | null;
  updatedAt: string;
}

export interface PartnerEventRow {
  partnershipId: string;
  status: string;
  reason: string | null;
  at: string;
}

export function toMembership(r: Selectable<PartnerMembershipsTable>): MembershipRow {
  return {
    partnerId: String(r.partner_id),
    partnershipId: String(r.partnership_id),
    organisation: String(r.organisation),
    group: String(r.partner_group),
    status: String(r.status),
    contact: r.contact_email ? { name: String(r.contact_name), email: String(r.contact_email) } : null,
    documentId: r.document_id ?? null,
    updatedAt: String(r.updated_at),
  };
}

export const SUMMARY_COLUMNS = ['id', 'partnership_id', 'kind', 'title', 'cycle', 'phase', 'created_at'] as const;

export function toSummary(r: Pick<Selectable<DocumentsTable>, (typeof SUMMARY_COLUMNS)[number]>): DocumentSummary {
  return {
    id: r.id,
    partnershipId: r.partnership_id,
    kind: r.kind,
    title: r.title,
    cycle: Number(r.cycle),
    phase: r.phase,
    createdAt: r.created_at,
  };
}

export function toStoredDocument(row: Selectable<DocumentsTable>): StoredDocument {
  return {
    ...toSummary(row),
    html: row.html,
    pdf: row.pdf_base64 ? Buffer.from(row.pdf_base64, 'base64') : null,
    ...(row.furniture_json ? { furniture: JSON.parse(row.furniture_json) as NonNullable<DocumentUpsert['furniture']> } : {}),
    language: supportedLanguage(row.language) ?? DEFAULT_LANGUAGE,
    ...(row.source_json ? { source: JSON.parse(row.source_json) as StoredDocument['source'] } : {}),
  };
}

export function toTransition(r: Selectable<TransitionsTable>): TransitionRow {
  return {
    id: String(r.id),
    partnershipId: String(r.partnership_id),
    cycle: Number(r.cycle),
    fromPhase: r.from_phase as TransitionRow['fromPhase'],
    toPhase: (r.to_phase ?? null) as TransitionRow['toPhase'],
    outcome: String(r.outcome),
    decidedBy: String(r.decided_by),
    decidedAt: String(r.decided_at),
    taskId: r.task_id ?? null,
    ...(r.details_json ? (JSON.parse(String(r.details_json)) as Pick<TransitionRow, 'kind' | 'comment' | 'handovers'>) : {}),
  };
}

export function toFundingChannel(r: Selectable<FundingChannelsTable>): FundingChannelRecord & { id: string } {
  return {
    id: String(r.id),
    partnershipId: String(r.partnership_id),
    activityId: String(r.activity_id),
    version: Number(r.version),
    status: r.status as FundingChannelRecord['status'],
    fiduciaryAgent: String(r.fiduciary_agent),
    source: String(r.source),
    amount: String(r.amount),
    currency: r.currency as FundingChannelRecord['currency'],
    documentId: r.document_id ?? null,
    decidedBy: String(r.decided_by),
    at: String(r.at),
  };
}
