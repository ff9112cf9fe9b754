import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/**
 * A real SMTP server that keeps what it receives in memory, in the test
 * process, so tests can wait for a message and hold its "accepted". Tests only;
 * `npm run dev` uses MailDev (scripts/local-processes.ts, spawnMailInbox).
 */
export interface CapturedMail {
  id: number;
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: string;
}

export interface MailSink {
  port: number;
  messages: CapturedMail[];
  /** Resolves with the first message (already received or arriving) that matches. */
  waitFor(match: (m: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

export interface MailSinkOptions {
  port?: number;
  host?: string;
  /**
   * Runs after a message has been received and before the server answers
   * "250 accepted". While it is pending the sender is still sending; if the
   * sender disconnects meanwhile the message is dropped, as a real SMTP server
   * drops a message it never acknowledged. The fault tests hold sends here.
   */
  beforeAccept?: (mail: CapturedMail) => Promise<void>;
}

export async function startMailSink(options: MailSinkOptions = {}): Promise<MailSink> {
  const { port = 0, host = '127.0.0.1', beforeAccept } = options;
  const messages: CapturedMail[] = [];
  const closedSessions = new Set<string>();
  const waiters: Array<{ match: (m: CapturedMail) => boolean; resolve: (m: CapturedMail) => void }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose(session) {
      closedSessions.add(session.id);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const mail: CapturedMail = {
            id: 0, // numbered below, once accepted
            messageId: parsed.messageId ?? '',
            from: parsed.from?.text ?? '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date().toISOString(),
          };
          if (beforeAccept) {
            await beforeAccept(mail);
            if (closedSessions.has(session.id)) return callback(new Error('sender went away before the message was accepted'));
          }
          mail.id = messages.length + 1;
          messages.push(mail);
          for (const w of [...waiters]) {
            if (w.match(mail)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(mail);
            }
          }
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: actualPort,
    messages,
    waitFor(match, timeoutMs = 30_000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve: (m: CapturedMail) => (clearTimeout(timer), resolve(m)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching email within ${timeoutMs} ms (received ${messages.length})`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
