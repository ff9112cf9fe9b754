import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Where a secret can sit in a request log line: bearer keys and cookies in
 * headers, session cookies being set, and link tokens in paths. pino replaces
 * each with "[redacted]" before the line is written.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

/** Path prefixes whose next segment is a signed link token. */
const TOKEN_PATHS = /^(\/(?:tasks|invitations|reviews|approvals)\/)[^/?#]+/;
/** Query parameters that carry secrets or one-time codes: the OIDC callback's code and state, list page tokens. */
const SECRET_PARAMS = /([?&](?:code|state|pageToken|token|session_state|id_token_hint)=)[^&#]*/gi;

/** A request URL fit for a log line: link tokens and secret query values replaced by "[redacted]". */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_PATHS, '$1[redacted]').replace(SECRET_PARAMS, '$1[redacted]');
}

/**
 * Lines go to stdout synchronously. pino's default, buffered writes are flushed
 * by a hook on process exit, and that flush retries for ever when nobody reads
 * stdout any more (sonic-boom 4 loops on EPIPE): a worker or API whose
 * launcher had died hung inside `process.exit`, deaf to SIGTERM (issue 21).
 * A synchronous write that meets EPIPE just turns logging off.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, pino.destination({ dest: 1, sync: true }));
}
