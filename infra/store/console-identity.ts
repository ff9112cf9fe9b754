import { createHash } from 'node:crypto';
import type { SqlDriver } from './sql-driver';

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
  constructor(private readonly db: SqlDriver) {}

  /**
   * Records a sign-in: the identity's name and current verified address
   * (`verifiedEmail`, already lowercased and NFC; undefined when the provider
   * did not verify one), binds that address if nobody holds it, and answers
   * every address this identity holds. Idempotent: signing in twice binds nothing twice.
   */
  async signIn(who: ProviderIdentity, name: string, verifiedEmail: string | undefined, now = new Date()): Promise<IdentityEmails> {
    const at = now.toISOString();
    await this.db.run(
      `INSERT INTO identities (issuer, subject, name, email, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (issuer, subject) DO UPDATE SET name = excluded.name, email = excluded.email, last_seen = excluded.last_seen`,
      [who.issuer, who.subject, name, verifiedEmail ?? null, at, at],
    );
    let heldByAnother: string | undefined;
    if (verifiedEmail) {
      await this.db.run('INSERT INTO identity_emails (email, issuer, subject, bound_at) VALUES (?, ?, ?, ?) ON CONFLICT (email) DO NOTHING', [verifiedEmail, who.issuer, who.subject, at]);
      const [owner] = await this.db.all<{ issuer: string; subject: string }>('SELECT issuer, subject FROM identity_emails WHERE email = ?', [verifiedEmail]);
      if (owner && (owner.issuer !== who.issuer || owner.subject !== who.subject)) heldByAnother = verifiedEmail;
    }
    return { emails: await this.emailsOf(who), ...(heldByAnother ? { heldByAnother } : {}) };
  }

  /** Every address bound to the identity, oldest first. */
  async emailsOf(who: ProviderIdentity): Promise<string[]> {
    const rows = await this.db.all<{ email: string }>('SELECT email FROM identity_emails WHERE issuer = ? AND subject = ? ORDER BY bound_at, email', [who.issuer, who.subject]);
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
  constructor(private readonly db: SqlDriver) {}

  /** The session's data, or undefined when there is none, it has ended, or it has expired. */
  async get(sid: string, now = Date.now()): Promise<unknown> {
    const [row] = await this.db.all<{ data_json: string | null; expires_at: number | string }>('SELECT data_json, expires_at FROM console_sessions WHERE id_hash = ?', [keyOf(sid)]);
    if (!row || row.data_json === null || Number(row.expires_at) <= now) return undefined;
    return JSON.parse(row.data_json) as unknown;
  }

  /** Writes the session's data and expiry (insert or replace), unless the session has been destroyed. */
  async set(sid: string, data: unknown, expiresAt: number): Promise<void> {
    await this.db.run(
      `INSERT INTO console_sessions (id_hash, data_json, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (id_hash) DO UPDATE SET data_json = excluded.data_json, expires_at = excluded.expires_at
       WHERE console_sessions.data_json IS NOT NULL`,
      [keyOf(sid), JSON.stringify(data), expiresAt],
    );
  }

  /** Moves the expiry of a live session (an idle session's next lease). */
  async touch(sid: string, expiresAt: number): Promise<void> {
    await this.db.run('UPDATE console_sessions SET expires_at = ? WHERE id_hash = ? AND data_json IS NOT NULL', [expiresAt, keyOf(sid)]);
  }

  /** Ends the session for good: its cookie opens nothing afterwards, and nothing writes it back before `keepUntil` (epoch ms). */
  async destroy(sid: string, keepUntil: number): Promise<void> {
    await this.db.run(
      `INSERT INTO console_sessions (id_hash, data_json, expires_at) VALUES (?, NULL, ?)
       ON CONFLICT (id_hash) DO UPDATE SET data_json = NULL, expires_at = excluded.expires_at`,
      [keyOf(sid), keepUntil],
    );
  }

  /** Deletes every expired session and tombstone; answers how many. */
  async purgeExpired(now = Date.now()): Promise<number> {
    return (await this.db.run('DELETE FROM console_sessions WHERE expires_at <= ?', [now])).changes;
  }
}
