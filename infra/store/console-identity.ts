import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './schema';

/** A person as their OpenID provider names them: issuer and subject (OIDC Core §5.7: the only stable, unique pair). */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
}

/** What binding a verified address did: the addresses this person holds, and the address refused when another person holds it. */
export interface IdentityEmails {
  /** Every address bound to this identity, lowercased NFC, oldest first. */
  emails: string[];
  /** The verified address presented at this sign-in, when it is bound to someone else (a recycled address). */
  heldByAnother?: string;
}

/**
 * Who holds which email address in the console. An address is bound to the
 * first identity whose provider verified it to us, and stays bound: a person
 * whose address changes at the provider keeps the partnerships that name the
 * old one, and a later account that is handed the same address (a recycled
 * mailbox, a re-created account with a new subject) inherits nothing.
 */
export class IdentityTable {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  /**
   * Records a sign-in: the identity's name and current verified address
   * (`verifiedEmail`, already lowercased and NFC; undefined when the provider
   * did not verify one), binds that address if nobody holds it, and answers
   * every address this identity holds. Idempotent: signing in twice binds nothing twice.
   */
  async signIn(who: ProviderIdentity, name: string, verifiedEmail: string | undefined, now = new Date()): Promise<IdentityEmails> {
    const at = now.toISOString();
    await this.db
      .insertInto('identities')
      .values({ issuer: who.issuer, subject: who.subject, name, email: verifiedEmail ?? null, first_seen: at, last_seen: at })
      .onConflict((oc) =>
        oc.columns(['issuer', 'subject']).doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), email: eb.ref('excluded.email'), last_seen: eb.ref('excluded.last_seen') })),
      )
      .execute();
    let heldByAnother: string | undefined;
    if (verifiedEmail) {
      await this.db
        .insertInto('identity_emails')
        .values({ email: verifiedEmail, issuer: who.issuer, subject: who.subject, bound_at: at })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
      const owner = await this.db.selectFrom('identity_emails').select(['issuer', 'subject']).where('email', '=', verifiedEmail).executeTakeFirst();
      if (owner && (owner.issuer !== who.issuer || owner.subject !== who.subject)) heldByAnother = verifiedEmail;
    }
    return { emails: await this.emailsOf(who), ...(heldByAnother ? { heldByAnother } : {}) };
  }

  /** Every address bound to the identity, oldest first. */
  async emailsOf(who: ProviderIdentity): Promise<string[]> {
    const rows = await this.db
      .selectFrom('identity_emails')
      .select('email')
      .where('issuer', '=', who.issuer)
      .where('subject', '=', who.subject)
      .orderBy('bound_at')
      .orderBy('email')
      .execute();
    return rows.map((r) => r.email);
  }
}

/** A session row's key: the SHA-256 of the id, so the table alone opens no session. */
const keyOf = (sid: string) => createHash('sha256').update(sid).digest('base64url');

/**
 * The console's sessions (express-session's records, as JSON) with their
 * expiry in epoch milliseconds. A destroyed session leaves a tombstone
 * (`data_json` NULL) until `keepUntil`: a request that read the session before
 * sign-out and saves it after finds the tombstone and writes nothing, so
 * signing out cannot be undone by a slow request in another tab. Expired rows
 * and tombstones are deleted by `purgeExpired`.
 */
export class SessionTable {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  /** The session's data, or undefined when there is none, it has ended, or it has expired. */
  async get(sid: string, now = Date.now()): Promise<unknown> {
    const row = await this.db.selectFrom('console_sessions').select(['data_json', 'expires_at']).where('id_hash', '=', keyOf(sid)).executeTakeFirst();
    if (!row || row.data_json === null || Number(row.expires_at) <= now) return undefined;
    return JSON.parse(row.data_json) as unknown;
  }

  /** Writes the session's data and expiry (insert or replace), unless the session has been destroyed. */
  async set(sid: string, data: unknown, expiresAt: number): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({ id_hash: keyOf(sid), data_json: JSON.stringify(data), expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('id_hash')
          .doUpdateSet((eb) => ({ data_json: eb.ref('excluded.data_json'), expires_at: eb.ref('excluded.expires_at') }))
          .where('console_sessions.data_json', 'is not', null),
      )
      .execute();
  }

  /** Moves the expiry of a live session (an idle session's next lease). */
  async touch(sid: string, expiresAt: number): Promise<void> {
    await this.db.updateTable('console_sessions').set({ expires_at: expiresAt }).where('id_hash', '=', keyOf(sid)).where('data_json', 'is not', null).execute();
  }

  /** Ends the session for good: its cookie opens nothing afterwards, and nothing writes it back before `keepUntil` (epoch ms). */
  async destroy(sid: string, keepUntil: number): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({ id_hash: keyOf(sid), data_json: null, expires_at: keepUntil })
      .onConflict((oc) => oc.column('id_hash').doUpdateSet((eb) => ({ data_json: null, expires_at: eb.ref('excluded.expires_at') })))
      .execute();
  }

  /** Deletes every expired session and tombstone; answers how many. */
  async purgeExpired(now = Date.now()): Promise<number> {
    const r = await this.db.deleteFrom('console_sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
