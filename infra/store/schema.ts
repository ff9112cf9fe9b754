import type { ColumnType } from 'kysely';

/**
 * The store's tables as Kysely sees them, so every query in `store.ts` and
 * `console-identity.ts` is checked against the columns the migrations create
 * (`migrations.ts`, which stay plain SQL). Columns are snake_case as in SQL;
 * timestamps are ISO-8601 strings, except `console_sessions.expires_at`
 * (epoch ms, a BIGINT PostgreSQL hands back as a string). A nullable column
 * may be left out of an insert.
 */
export interface StoreDatabase {
  documents: DocumentsTable;
  transitions: TransitionsTable;
  partner_memberships: PartnerMembershipsTable;
  partner_events: PartnerEventsTable;
  funding_channels: FundingChannelsTable;
  out_of_office: OutOfOfficeTable;
  mail_log: MailLogTable;
  identities: IdentitiesTable;
  identity_emails: IdentityEmailsTable;
  console_sessions: ConsoleSessionsTable;
}

export interface DocumentsTable {
  id: string;
  partnership_id: string;
  kind: string;
  title: string;
  cycle: number;
  phase: string;
  html: string;
  /** The PDF printed when stored (documents from before typesetting on read); null since. */
  pdf_base64: string | null;
  created_at: string;
  language: string | null;
  /** JSON: what the document was built from (activities/documents/sources.ts). */
  source_json: string | null;
  /** JSON: the PDF's running header and footer. */
  furniture_json: string | null;
}

export interface TransitionsTable {
  id: string;
  partnership_id: string;
  cycle: number;
  from_phase: string;
  to_phase: string | null;
  outcome: string;
  decided_by: string;
  decided_at: string;
  task_id: string | null;
  /** JSON: kind, comment and hand-overs, when the transition has any. */
  details_json: string | null;
}

export interface PartnerMembershipsTable {
  partner_id: string;
  partnership_id: string;
  organisation: string;
  partner_group: string;
  status: string;
  contact_name: string | null;
  contact_email: string | null;
  document_id: string | null;
  updated_at: string;
}

export interface PartnerEventsTable {
  /** `<partnership>/<partner>/<status>/<at>`: each event once. */
  id: string;
  partner_id: string;
  partnership_id: string;
  status: string;
  reason: string | null;
  at: string;
}

export interface FundingChannelsTable {
  id: string;
  partnership_id: string;
  activity_id: string;
  version: number;
  status: string;
  fiduciary_agent: string;
  source: string;
  amount: string;
  currency: string;
  document_id: string | null;
  decided_by: string;
  at: string;
}

export interface OutOfOfficeTable {
  /** The person away, lowercased. */
  email: string;
  delegate_name: string;
  delegate_email: string;
  delegate_language: string | null;
  first_day: string;
  last_day: string;
  reason: string | null;
  set_at: string;
}

export interface MailLogTable {
  message_id: string;
  recipient: string;
  subject: string;
  sent_at: string;
}

export interface IdentitiesTable {
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  first_seen: string;
  last_seen: string;
}

export interface IdentityEmailsTable {
  email: string;
  issuer: string;
  subject: string;
  bound_at: string;
}

export interface ConsoleSessionsTable {
  /** SHA-256 of the session id (base64url). */
  id_hash: string;
  /** express-session's record as JSON; null once the session is destroyed (a tombstone). */
  data_json: string | null;
  /** Epoch ms; PostgreSQL's BIGINT comes back as a string. */
  expires_at: ColumnType<number | string, number, number>;
}
