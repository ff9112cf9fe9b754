import nodemailer from 'nodemailer';

/**
 * A recipient as two fields, never one `"name <address>"` string: nodemailer
 * parses such a string, so a name holding a comma, brackets or an address of
 * its own ("Rick Roe <finance-team@example.org>") would change or break where
 * the mail goes. Given apart, the name is only ever a display name.
 */
export interface Recipient {
  name: string;
  address: string;
}

export interface OutgoingMail {
  /** Deterministic Message-ID: the same logical email always carries the same id. */
  messageId: string;
  to: Recipient;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  // nodemailer waits minutes by default; a stalled server must fail the
  // attempt well inside the activity's 30 s start-to-close so it is retried.
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 25),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail) {
      // Control characters have no place in a display name (a header injection attempt, or a paste accident).
      const to = { name: mail.to.name.replace(/[\u0000-\u001f\u007f]+/g, ' '), address: mail.to.address };
      await transport.sendMail({ from, ...mail, to });
    },
    close() {
      transport.close();
    },
  };
}
