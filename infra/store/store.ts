import type { DocumentUpsert, TransitionRecord } from '../../domain/schemas';
import { openPostgres } from './postgres-driver';
import { openSqlite } from './sqlite-driver';
import type { SqlDriver } from './sql-driver';

/**
 * Persistence for what the API serves to people and tools: generated
 * documents, the registry of phase transitions, and the mail sent-log that
 * keeps email activities idempotent. Every write is keyed by a deterministic
 * id and inserts at most once, so retried activities never duplicate.
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
  pdf: Buffer;
}

export interface TransitionRow extends TransitionRecord {
  id: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  cycle INTEGER NOT NULL,
  phase TEXT NOT NULL,
  html TEXT NOT NULL,
  pdf_base64 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_partnership ON documents (partnership_id);
CREATE TABLE IF NOT EXISTS transitions (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL,
  cycle INTEGER NOT NULL,
  from_phase TEXT NOT NULL,
  to_phase TEXT,
  outcome TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  task_id TEXT
);
CREATE INDEX IF NOT EXISTS transitions_partnership ON transitions (partnership_id);
CREATE TABLE IF NOT EXISTS mail_log (
  message_id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  sent_at TEXT NOT NULL
);
`;

interface DocumentRow {
  id: string;
  partnership_id: string;
  kind: string;
  title: string;
  cycle: number;
  phase: string;
  created_at: string;
  html?: string;
  pdf_base64?: string;
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
  private constructor(private readonly db: SqlDriver) {}

  /** `sqlite:<file>` (or `sqlite::memory:`) or `postgres://…`. */
  static async open(databaseUrl: string): Promise<Store> {
    let driver: SqlDriver;
    if (databaseUrl.startsWith('sqlite:')) driver = openSqlite(databaseUrl.slice('sqlite:'.length));
    else if (/^postgres(ql)?:\/\//.test(databaseUrl)) driver = openPostgres(databaseUrl);
    else throw new Error(`DATABASE_URL must start with sqlite: or postgres://, got "${databaseUrl}"`);
    await driver.exec(SCHEMA);
    return new Store(driver);
  }

  get dialect(): SqlDriver['dialect'] {
    return this.db.dialect;
  }

  async putDocument(id: string, doc: DocumentUpsert, now = new Date()): Promise<{ created: boolean }> {
    const r = await this.db.run(
      `INSERT INTO documents (id, partnership_id, kind, title, cycle, phase, html, pdf_base64, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [id, doc.partnershipId, doc.kind, doc.title, doc.cycle, doc.phase, doc.html, doc.pdfBase64, now.toISOString()],
    );
    return { created: r.changes > 0 };
  }

  async getDocument(id: string): Promise<StoredDocument | undefined> {
    const [row] = await this.db.all<DocumentRow>('SELECT * FROM documents WHERE id = ?', [id]);
    if (!row) return undefined;
    return { ...toSummary(row), html: row.html!, pdf: Buffer.from(row.pdf_base64!, 'base64') };
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
      `INSERT INTO transitions (id, partnership_id, cycle, from_phase, to_phase, outcome, decided_by, decided_at, task_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [id, t.partnershipId, t.cycle, t.fromPhase, t.toPhase, t.outcome, t.decidedBy, t.decidedAt, t.taskId],
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
    }));
  }

  async wasMailSent(messageId: string): Promise<boolean> {
    const rows = await this.db.all('SELECT 1 AS one FROM mail_log WHERE message_id = ?', [messageId]);
    return rows.length > 0;
  }

  async recordMailSent(messageId: string, recipient: string, subject: string, now = new Date()): Promise<void> {
    await this.db.run(
      'INSERT INTO mail_log (message_id, recipient, subject, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING',
      [messageId, recipient, subject, now.toISOString()],
    );
  }

  async ping(): Promise<void> {
    await this.db.all('SELECT 1 AS one');
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
