import type { Kysely } from 'kysely';
import type { DocumentUpsert } from '../../domain/documents/schemas';
import type { FundingChannelRecord } from '../../domain/resources/schemas';
import type { OutOfOffice } from '../../domain/human-tasks/schemas';
import type { PartnerMembership } from '../../domain/partners/schemas';
import type { TransitionRecord } from '../../domain/partnership/schemas';
import { coversDay } from '../../domain/human-tasks/approval-state';
import { openPostgres } from './postgres-driver';
import { openSqlite } from './sqlite-driver';
import type { SqlDriver } from './sql-driver';
import { migrate } from './migrations';
import { IdentityTable, SessionTable } from './console-identity';
import type { StoreDatabase } from './schema';
import {
  SUMMARY_COLUMNS,
  toFundingChannel,
  toMembership,
  toStoredDocument,
  toSummary,
  toTransition,
  transitionDetails,
  type DocumentSummary,
  type MembershipRow,
  type PartnerEventRow,
  type StoredDocument,
  type TransitionRow,
} from './rows';

/**
 * Persistence for what the API serves to people and tools: generated
 * documents, the registry of phase transitions, out-of-office records, and
 * the mail sent-log that keeps email activities idempotent. Every write is
 * keyed by a deterministic id and inserts at most once, so retried
 * activities never duplicate. Only the API opens it: the worker reaches it
 * through the API's registry routes (activities/registry-client.ts). Queries
 * are built with Kysely's query builder over the tables of `schema.ts`, the
 * same on SQLite and PostgreSQL.
 */

/** Whether an insert (or upsert) wrote a row: `ON CONFLICT … DO NOTHING` and an upsert whose WHERE fails write none. */
const wrote = (r: { numInsertedOrUpdatedRows?: bigint }) => ({ created: (r.numInsertedOrUpdatedRows ?? 0n) > 0n });

export class Store {
  /** Who holds which email address in the console (see console-identity.ts). */
  readonly identities: IdentityTable;
  /** The console's server-side sessions. */
  readonly sessions: SessionTable;
  private readonly db: Kysely<StoreDatabase>;

  private constructor(private readonly driver: SqlDriver) {
    this.db = driver.db;
    this.identities = new IdentityTable(driver.db);
    this.sessions = new SessionTable(driver.db);
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
    return this.driver.dialect;
  }

  async putDocument(id: string, doc: DocumentUpsert, now = new Date()): Promise<{ created: boolean }> {
    const r = await this.db
      .insertInto('documents')
      .values({
        id,
        partnership_id: doc.partnershipId,
        kind: doc.kind,
        title: doc.title,
        cycle: doc.cycle,
        phase: doc.phase,
        html: doc.html,
        pdf_base64: doc.pdfBase64 ?? null,
        created_at: now.toISOString(),
        language: doc.language ?? null,
        source_json: doc.source ? JSON.stringify(doc.source) : null,
        furniture_json: doc.furniture ? JSON.stringify(doc.furniture) : null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirstOrThrow();
    return wrote(r);
  }

  async getDocument(id: string): Promise<StoredDocument | undefined> {
    const row = await this.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStoredDocument(row);
  }

  async listDocuments(partnershipId?: string): Promise<DocumentSummary[]> {
    const rows = await this.db
      .selectFrom('documents')
      .select(SUMMARY_COLUMNS)
      .$if(Boolean(partnershipId), (q) => q.where('partnership_id', '=', partnershipId!))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSummary);
  }

  async putTransition(id: string, t: TransitionRecord): Promise<{ created: boolean }> {
    const r = await this.db
      .insertInto('transitions')
      .values({
        id,
        partnership_id: t.partnershipId,
        cycle: t.cycle,
        from_phase: t.fromPhase,
        to_phase: t.toPhase,
        outcome: t.outcome,
        decided_by: t.decidedBy,
        decided_at: t.decidedAt,
        task_id: t.taskId,
        details_json: transitionDetails(t),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirstOrThrow();
    return wrote(r);
  }

  async listTransitions(partnershipId?: string): Promise<TransitionRow[]> {
    const rows = await this.db
      .selectFrom('transitions')
      .selectAll()
      .$if(Boolean(partnershipId), (q) => q.where('partnership_id', '=', partnershipId!))
      .orderBy('decided_at')
      .orderBy('id')
      .execute();
    return rows.map(toTransition);
  }

  /**
   * Records a partner's status on a partnership. Each (partner, partnership,
   * status, time) event is stored once; the membership row keeps the latest.
   */
  async putMembership(partnerId: string, partnershipId: string, m: PartnerMembership): Promise<{ created: boolean }> {
    const r = await this.db
      .insertInto('partner_events')
      .values({ id: `${partnershipId}/${partnerId}/${m.status}/${m.at}`, partner_id: partnerId, partnership_id: partnershipId, status: m.status, reason: m.reason, at: m.at })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('partner_memberships')
      .values({
        partner_id: partnerId,
        partnership_id: partnershipId,
        // NFC, as the API's schemas give names: a workflow started before they did may still report a decomposed one.
        organisation: m.organisation.normalize('NFC'),
        partner_group: m.group,
        status: m.status,
        contact_name: m.contact?.name.normalize('NFC') ?? null,
        contact_email: m.contact?.email ?? null,
        document_id: m.documentId,
        updated_at: m.at,
      })
      .onConflict((oc) =>
        oc
          .columns(['partner_id', 'partnership_id'])
          .doUpdateSet((eb) => ({
            organisation: eb.ref('excluded.organisation'),
            partner_group: eb.ref('excluded.partner_group'),
            status: eb.ref('excluded.status'),
            contact_name: eb.ref('excluded.contact_name'),
            contact_email: eb.ref('excluded.contact_email'),
            document_id: eb.fn.coalesce('excluded.document_id', 'partner_memberships.document_id'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          // An older report arriving late leaves the newer row as it is.
          .whereRef('excluded.updated_at', '>=', 'partner_memberships.updated_at'),
      )
      .execute();
    return wrote(r);
  }

  async listMemberships(filter: { partnerId?: string; partnershipId?: string; group?: string; status?: string } = {}): Promise<MembershipRow[]> {
    const rows = await this.db
      .selectFrom('partner_memberships')
      .selectAll()
      .$if(filter.partnerId !== undefined, (q) => q.where('partner_id', '=', filter.partnerId!))
      .$if(filter.partnershipId !== undefined, (q) => q.where('partnership_id', '=', filter.partnershipId!))
      .$if(filter.group !== undefined, (q) => q.where('partner_group', '=', filter.group!))
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
      .orderBy('partner_id')
      .orderBy('partnership_id')
      .execute();
    return rows.map(toMembership);
  }

  /**
   * Partnerships in which `partner` (an organisation name, in any Unicode
   * normal form, or a stakeholder id) is an active partner. This, not a
   * search attribute, answers "which partnerships is this partner in": it has
   * no size limit however many partners a partnership has. Names are stored
   * composed (NFC); rows written before that may hold the decomposed form,
   * so both forms are asked for.
   */
  async partnershipsWithActivePartner(partner: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('partner_memberships')
      .select('partnership_id')
      .distinct()
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('organisation', 'in', [partner.normalize('NFC'), partner.normalize('NFD')]), eb('partner_id', '=', partner)]))
      .orderBy('partnership_id')
      .execute();
    return rows.map((r) => String(r.partnership_id));
  }

  /** Active partners' organisation names for each of the given partnerships (absent ids have none). */
  async activePartnersOf(partnershipIds: readonly string[]): Promise<Map<string, string[]>> {
    const byPartnership = new Map<string, string[]>();
    if (partnershipIds.length === 0) return byPartnership;
    const rows = await this.db
      .selectFrom('partner_memberships')
      .select(['partnership_id', 'organisation'])
      .where('status', '=', 'active')
      .where('partnership_id', 'in', [...partnershipIds])
      .orderBy('organisation')
      .execute();
    for (const r of rows) {
      const list = byPartnership.get(String(r.partnership_id)) ?? [];
      list.push(String(r.organisation));
      byPartnership.set(String(r.partnership_id), list);
    }
    return byPartnership;
  }

  async partnerHistory(partnerId: string): Promise<PartnerEventRow[]> {
    const rows = await this.db
      .selectFrom('partner_events')
      .select(['partnership_id', 'status', 'reason', 'at'])
      .where('partner_id', '=', partnerId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ partnershipId: String(r.partnership_id), status: String(r.status), reason: r.reason ?? null, at: String(r.at) }));
  }

  async putFundingChannel(id: string, c: FundingChannelRecord): Promise<{ created: boolean }> {
    const r = await this.db
      .insertInto('funding_channels')
      .values({
        id,
        partnership_id: c.partnershipId,
        activity_id: c.activityId,
        version: c.version,
        status: c.status,
        fiduciary_agent: c.fiduciaryAgent,
        source: c.source,
        amount: c.amount,
        currency: c.currency,
        document_id: c.documentId,
        decided_by: c.decidedBy,
        at: c.at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirstOrThrow();
    return wrote(r);
  }

  async listFundingChannels(partnershipId?: string): Promise<Array<FundingChannelRecord & { id: string }>> {
    const rows = await this.db
      .selectFrom('funding_channels')
      .selectAll()
      .$if(Boolean(partnershipId), (q) => q.where('partnership_id', '=', partnershipId!))
      .orderBy('partnership_id')
      .orderBy('activity_id')
      .orderBy('version')
      .execute();
    return rows.map(toFundingChannel);
  }

  /** Sets (replaces) a person's out-of-office delegate for a range of days (UTC, both included). */
  async putOutOfOffice(email: string, o: OutOfOffice, now = new Date()): Promise<void> {
    await this.db
      .insertInto('out_of_office')
      .values({
        email: email.toLowerCase(),
        delegate_name: o.delegate.name,
        delegate_email: o.delegate.email.toLowerCase(),
        delegate_language: o.delegate.language ?? null,
        first_day: o.firstDay,
        last_day: o.lastDay,
        reason: o.reason ?? null,
        set_at: now.toISOString(),
      })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet((eb) => ({
          delegate_name: eb.ref('excluded.delegate_name'),
          delegate_email: eb.ref('excluded.delegate_email'),
          delegate_language: eb.ref('excluded.delegate_language'),
          first_day: eb.ref('excluded.first_day'),
          last_day: eb.ref('excluded.last_day'),
          reason: eb.ref('excluded.reason'),
          set_at: eb.ref('excluded.set_at'),
        })),
      )
      .execute();
  }

  /** A person's out-of-office record, whether or not it covers today. */
  async getOutOfOffice(email: string): Promise<OutOfOffice | undefined> {
    const r = await this.db.selectFrom('out_of_office').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
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
    const r = await this.db.deleteFrom('out_of_office').where('email', '=', email.toLowerCase()).executeTakeFirst();
    return { cleared: r.numDeletedRows > 0n };
  }

  async wasMailSent(messageId: string): Promise<boolean> {
    const row = await this.db.selectFrom('mail_log').select('message_id').where('message_id', '=', messageId).executeTakeFirst();
    return row !== undefined;
  }

  /** Records a sent email once; `created` is false when it was recorded already. */
  async recordMailSent(messageId: string, recipient: string, subject: string, now = new Date()): Promise<{ created: boolean }> {
    const r = await this.db
      .insertInto('mail_log')
      .values({ message_id: messageId, recipient, subject, sent_at: now.toISOString() })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .executeTakeFirstOrThrow();
    return wrote(r);
  }

  async ping(): Promise<void> {
    await this.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
