import type { DocumentUpsert, FundingChannelRecord, OutOfOffice, PartnerMembership, TransitionRecord } from '../../domain/schemas';
import { coversDay } from '../../domain/human-tasks/approval-state';
import { DEFAULT_LANGUAGE, supportedLanguage, type Language } from '../../domain/language';
import { openPostgres } from './postgres-driver';
import { openSqlite } from './sqlite-driver';
import type { SqlDriver } from './sql-driver';
import { migrate } from './migrations';
import { IdentityTable, SessionTable } from './console-identity';

/**
 * Persistence for what the API serves to people and tools: generated
 * documents, the registry of phase transitions, out-of-office records, and
 * the mail sent-log that keeps email activities idempotent. Every write is
 * keyed by a deterministic id and inserts at most once, so retried
 * activities never duplicate. Only the API opens it: the worker reaches it
 * through the API's registry routes (activities/registry-client.ts).
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
function transitionDetails(t: TransitionRecord): string | null {
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

function toMembership(r: Record<string, unknown>): MembershipRow {
  return {
    partnerId: String(r.partner_id),
    partnershipId: String(r.partnership_id),
    organisation: String(r.organisation),
    group: String(r.partner_group),
    status: String(r.status),
    contact: r.contact_email ? { name: String(r.contact_name), email: String(r.contact_email) } : null,
    documentId: (r.document_id ?? null) as string | null,
    updatedAt: String(r.updated_at),
  };
}


interface DocumentRow {
  id: string;
  partnership_id: string;
  kind: string;
  title: string;
  cycle: number;
  phase: string;
  created_at: string;
  html?: string;
  pdf_base64?: string | null;
  furniture_json?: string | null;
  language?: string | null;
  source_json?: string | null;
}

function toSummary(r: DocumentRow): DocumentSummary {
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

export class Store {
  /** Who holds which email address in the console (see console-identity.ts). */
  readonly identities: IdentityTable;
  /** The console's server-side sessions. */
  readonly sessions: SessionTable;

  private constructor(private readonly db: SqlDriver) {
    this.identities = new IdentityTable(db);
    this.sessions = new SessionTable(db);
  }

  /** `sqlite:<file>` (or `sqlite::memory:`) or `postgres://…`. */
  static async open(databaseUrl: string): Promise<Store> {
    let driver: SqlDriver;
    if (databaseUrl.startsWith('sqlite:')) driver = openSqlite(databaseUrl.slice('sqlite:'.length));
    else if (/^postgres(ql)?:\/\//.test(databaseUrl)) driver = openPostgres(databaseUrl);
    else throw new Error(`DATABASE_URL must start with sqlite: or postgres://, got "${databaseUrl}"`);
    try {
      await migrate(driver);
    } catch (error) {
      await driver.close();
      throw error;
    }
    return new Store(driver);
  }

  get dialect(): SqlDriver['dialect'] {
    return this.db.dialect;
  }

  async putDocument(id: string, doc: DocumentUpsert, now = new Date()): Promise<{ created: boolean }> {
    const r = await this.db.run(
      `INSERT INTO documents (id, partnership_id, kind, title, cycle, phase, html, pdf_base64, created_at, language, source_json, furniture_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [
        id,
        doc.partnershipId,
        doc.kind,
        doc.title,
        doc.cycle,
        doc.phase,
        doc.html,
        doc.pdfBase64 ?? null,
        now.toISOString(),
        doc.language ?? null,
        doc.source ? JSON.stringify(doc.source) : null,
        doc.furniture ? JSON.stringify(doc.furniture) : null,
      ],
    );
    return { created: r.changes > 0 };
  }

  async getDocument(id: string): Promise<StoredDocument | undefined> {
    const [row] = await this.db.all<DocumentRow>('SELECT * FROM documents WHERE id = ?', [id]);
    if (!row) return undefined;
    return {
      ...toSummary(row),
      html: row.html!,
      pdf: row.pdf_base64 ? Buffer.from(row.pdf_base64, 'base64') : null,
      ...(row.furniture_json ? { furniture: JSON.parse(row.furniture_json) as NonNullable<DocumentUpsert['furniture']> } : {}),
      language: supportedLanguage(row.language) ?? DEFAULT_LANGUAGE,
      ...(row.source_json ? { source: JSON.parse(row.source_json) as StoredDocument['source'] } : {}),
    };
  }

  async listDocuments(partnershipId?: string): Promise<DocumentSummary[]> {
    const rows = await this.db.all<DocumentRow>(
      `SELECT id, partnership_id, kind, title, cycle, phase, created_at FROM documents
       ${partnershipId ? 'WHERE partnership_id = ?' : ''} ORDER BY created_at, id`,
      partnershipId ? [partnershipId] : [],
    );
    return rows.map(toSummary);
  }

  async putTransition(id: string, t: TransitionRecord): Promise<{ created: boolean }> {
    const r = await this.db.run(
      `INSERT INTO transitions (id, partnership_id, cycle, from_phase, to_phase, outcome, decided_by, decided_at, task_id, details_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [id, t.partnershipId, t.cycle, t.fromPhase, t.toPhase, t.outcome, t.decidedBy, t.decidedAt, t.taskId, transitionDetails(t)],
    );
    return { created: r.changes > 0 };
  }

  async listTransitions(partnershipId?: string): Promise<TransitionRow[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT * FROM transitions ${partnershipId ? 'WHERE partnership_id = ?' : ''} ORDER BY decided_at, id`,
      partnershipId ? [partnershipId] : [],
    );
    return rows.map((r) => ({
      id: String(r.id),
      partnershipId: String(r.partnership_id),
      cycle: Number(r.cycle),
      fromPhase: r.from_phase as TransitionRow['fromPhase'],
      toPhase: (r.to_phase ?? null) as TransitionRow['toPhase'],
      outcome: String(r.outcome),
      decidedBy: String(r.decided_by),
      decidedAt: String(r.decided_at),
      taskId: (r.task_id ?? null) as string | null,
      ...(r.details_json ? (JSON.parse(String(r.details_json)) as Pick<TransitionRow, 'kind' | 'comment' | 'handovers'>) : {}),
    }));
  }

  /**
   * Records a partner's status on a partnership. Each (partner, partnership,
   * status, time) event is stored once; the membership row keeps the latest.
   */
  async putMembership(partnerId: string, partnershipId: string, m: PartnerMembership): Promise<{ created: boolean }> {
    const eventId = `${partnershipId}/${partnerId}/${m.status}/${m.at}`;
    const r = await this.db.run(
      'INSERT INTO partner_events (id, partner_id, partnership_id, status, reason, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [eventId, partnerId, partnershipId, m.status, m.reason, m.at],
    );
    await this.db.run(
      `INSERT INTO partner_memberships (partner_id, partnership_id, organisation, partner_group, status, contact_name, contact_email, document_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (partner_id, partnership_id) DO UPDATE SET organisation = excluded.organisation, partner_group = excluded.partner_group,
         status = excluded.status, contact_name = excluded.contact_name, contact_email = excluded.contact_email,
         document_id = COALESCE(excluded.document_id, partner_memberships.document_id), updated_at = excluded.updated_at
       WHERE excluded.updated_at >= partner_memberships.updated_at`,
      // NFC, as the API's schemas give names: a workflow started before they did may still report a decomposed one.
      [partnerId, partnershipId, m.organisation.normalize('NFC'), m.group, m.status, m.contact?.name.normalize('NFC') ?? null, m.contact?.email ?? null, m.documentId, m.at],
    );
    return { created: r.changes > 0 };
  }

  async listMemberships(filter: { partnerId?: string; partnershipId?: string; group?: string; status?: string } = {}): Promise<MembershipRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['partner_id', filter.partnerId],
      ['partnership_id', filter.partnershipId],
      ['partner_group', filter.group],
      ['status', filter.status],
    ] as const) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT * FROM partner_memberships ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY partner_id, partnership_id`,
      params,
    );
    return rows.map(toMembership);
  }

  /**
   * Ids of the partnerships where `partner` (an organisation name exactly as
   * mapped, or a partner id) is an active partner. This, not a search
   * attribute, answers "which partnerships is this partner in": it has no
   * size limit however many partners a partnership has.
   */
  /**
   * Partnerships in which `partner` (an organisation name, in any Unicode
   * normal form, or a stakeholder id) is an active partner. Names are stored
   * composed (NFC); rows written before that may hold the decomposed form,
   * so both forms are asked for.
   */
  async partnershipsWithActivePartner(partner: string): Promise<string[]> {
    const rows = await this.db.all<{ partnership_id: string }>(
      "SELECT DISTINCT partnership_id FROM partner_memberships WHERE status = 'active' AND (organisation IN (?, ?) OR partner_id = ?) ORDER BY partnership_id",
      [partner.normalize('NFC'), partner.normalize('NFD'), partner],
    );
    return rows.map((r) => String(r.partnership_id));
  }

  /** Active partners' organisation names for each of the given partnerships (absent ids have none). */
  async activePartnersOf(partnershipIds: readonly string[]): Promise<Map<string, string[]>> {
    const byPartnership = new Map<string, string[]>();
    if (partnershipIds.length === 0) return byPartnership;
    const rows = await this.db.all<{ partnership_id: string; organisation: string }>(
      `SELECT partnership_id, organisation FROM partner_memberships WHERE status = 'active' AND partnership_id IN (${partnershipIds.map(() => '?').join(', ')}) ORDER BY organisation`,
      [...partnershipIds],
    );
    for (const r of rows) {
      const list = byPartnership.get(String(r.partnership_id)) ?? [];
      list.push(String(r.organisation));
      byPartnership.set(String(r.partnership_id), list);
    }
    return byPartnership;
  }

  async partnerHistory(partnerId: string): Promise<PartnerEventRow[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      'SELECT partnership_id, status, reason, at FROM partner_events WHERE partner_id = ? ORDER BY at, id',
      [partnerId],
    );
    return rows.map((r) => ({ partnershipId: String(r.partnership_id), status: String(r.status), reason: (r.reason ?? null) as string | null, at: String(r.at) }));
  }

  async putFundingChannel(id: string, c: FundingChannelRecord): Promise<{ created: boolean }> {
    const r = await this.db.run(
      `INSERT INTO funding_channels (id, partnership_id, activity_id, version, status, fiduciary_agent, source, amount, currency, document_id, decided_by, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [id, c.partnershipId, c.activityId, c.version, c.status, c.fiduciaryAgent, c.source, c.amount, c.currency, c.documentId, c.decidedBy, c.at],
    );
    return { created: r.changes > 0 };
  }

  async listFundingChannels(partnershipId?: string): Promise<Array<FundingChannelRecord & { id: string }>> {
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT * FROM funding_channels ${partnershipId ? 'WHERE partnership_id = ?' : ''} ORDER BY partnership_id, activity_id, version`,
      partnershipId ? [partnershipId] : [],
    );
    return rows.map((r) => ({
      id: String(r.id),
      partnershipId: String(r.partnership_id),
      activityId: String(r.activity_id),
      version: Number(r.version),
      status: r.status as FundingChannelRecord['status'],
      fiduciaryAgent: String(r.fiduciary_agent),
      source: String(r.source),
      amount: String(r.amount),
      currency: r.currency as FundingChannelRecord['currency'],
      documentId: (r.document_id ?? null) as string | null,
      decidedBy: String(r.decided_by),
      at: String(r.at),
    }));
  }

  /** Sets (replaces) a person's out-of-office delegate for a range of days (UTC, both included). */
  async putOutOfOffice(email: string, o: OutOfOffice, now = new Date()): Promise<void> {
    await this.db.run(
      `INSERT INTO out_of_office (email, delegate_name, delegate_email, delegate_language, first_day, last_day, reason, set_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (email) DO UPDATE SET delegate_name = excluded.delegate_name, delegate_email = excluded.delegate_email,
         delegate_language = excluded.delegate_language, first_day = excluded.first_day, last_day = excluded.last_day,
         reason = excluded.reason, set_at = excluded.set_at`,
      [email.toLowerCase(), o.delegate.name, o.delegate.email.toLowerCase(), o.delegate.language ?? null, o.firstDay, o.lastDay, o.reason ?? null, now.toISOString()],
    );
  }

  /** A person's out-of-office record, whether or not it covers today. */
  async getOutOfOffice(email: string): Promise<OutOfOffice | undefined> {
    const [r] = await this.db.all<Record<string, unknown>>('SELECT * FROM out_of_office WHERE email = ?', [email.toLowerCase()]);
    if (!r) return undefined;
    return {
      delegate: { name: String(r.delegate_name), email: String(r.delegate_email), ...(r.delegate_language ? { language: String(r.delegate_language) } : {}) },
      firstDay: String(r.first_day),
      lastDay: String(r.last_day),
      ...(r.reason ? { reason: String(r.reason) } : {}),
    };
  }

  /** The delegate of a person who is out of office on `now`'s day (UTC), if any. */
  async outOfOfficeOn(email: string, now: Date): Promise<OutOfOffice | undefined> {
    const o = await this.getOutOfOffice(email);
    return o && coversDay(o, now) ? o : undefined;
  }

  async clearOutOfOffice(email: string): Promise<{ cleared: boolean }> {
    const r = await this.db.run('DELETE FROM out_of_office WHERE email = ?', [email.toLowerCase()]);
    return { cleared: r.changes > 0 };
  }

  async wasMailSent(messageId: string): Promise<boolean> {
    const rows = await this.db.all('SELECT 1 AS one FROM mail_log WHERE message_id = ?', [messageId]);
    return rows.length > 0;
  }

  /** Records a sent email once; `created` is false when it was recorded already. */
  async recordMailSent(messageId: string, recipient: string, subject: string, now = new Date()): Promise<{ created: boolean }> {
    const r = await this.db.run(
      'INSERT INTO mail_log (message_id, recipient, subject, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING',
      [messageId, recipient, subject, now.toISOString()],
    );
    return { created: r.changes > 0 };
  }

  async ping(): Promise<void> {
    await this.db.all('SELECT 1 AS one');
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
