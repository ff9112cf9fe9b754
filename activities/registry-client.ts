import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { type SentMailRecord } from '../domain/schemas';
import { OutOfOfficeSchema, type OutOfOffice } from '../domain/human-tasks/schemas';
import type { DocumentUpsert } from '../domain/documents/schemas';
import type { FundingChannelRecord } from '../domain/resources/schemas';
import type { PartnerMembership } from '../domain/partners/schemas';
import type { TransitionRecord } from '../domain/partnership/schemas';

/**
 * The activities' client of our own Express API (the one surrounding tools
 * use), and the worker's only way to the API's database: the API owns it,
 * the worker opens none. Writes are PUTs to deterministic ids, so a retry
 * lands on the same row; reads are GETs that change nothing.
 *
 * Failures, as the activity's retry policy sees them:
 * - the API unreachable or silent (refused, reset, no answer in time):
 *   retryable `RegistryUnreachable`, naming the address and the call;
 * - a 5xx or 429: retryable `RegistryUnavailable`;
 * - a 404 from a route added with the sent-log and out-of-office lookups
 *   (they never answer 404 themselves): retryable `RegistryRouteMissing`, an
 *   API older than this worker, which heals once the API is upgraded;
 * - any other 4xx is our bug or bad data and will not heal by retrying:
 *   non-retryable `RegistryRejected`.
 */
export interface RegistryClient {
  putDocument(id: string, doc: DocumentUpsert): Promise<{ url: string; created: boolean }>;
  putTransition(id: string, record: TransitionRecord): Promise<{ created: boolean }>;
  putMembership(partnerId: string, partnershipId: string, membership: PartnerMembership): Promise<{ created: boolean }>;
  putFundingChannel(id: string, record: FundingChannelRecord): Promise<{ created: boolean }>;
  /** Whether the email with this Message-ID (`<…@msp-orchestrator>`) is in the sent-log. */
  wasMailSent(messageId: string): Promise<boolean>;
  /** Puts an email the SMTP server accepted in the sent-log; `created` is false when it was there already. */
  recordMailSent(messageId: string, record: SentMailRecord): Promise<{ created: boolean }>;
  /** `email`'s out-of-office when it covers `day` (`YYYY-MM-DD`, UTC), else undefined. */
  outOfOfficeOn(email: string, day: string): Promise<OutOfOffice | undefined>;
}

/** Writes of documents and records: a document carries its PDF, so it may take a while. */
const WRITE_TIMEOUT_MS = 15_000;
/**
 * The sent-log check and record around a send: small, and both must fit the
 * email activity's 30 s start-to-close beside the mailer's own 20 s.
 */
const LOOKUP_TIMEOUT_MS = 5_000;
/** The sent-log keeps the subject for people reading it; the route takes at most this much. */
const MAX_LOGGED_SUBJECT = 2000;

const SentAnswerSchema = z.object({ sent: z.boolean() });
const AwayAnswerSchema = z.object({ outOfOffice: OutOfOfficeSchema.nullable() });

interface CallOptions {
  timeoutMs: number;
  /** The route answers 404 only when it does not exist (see RegistryRouteMissing above). */
  neverNotFound?: boolean;
}

/** Why fetch gave up, in a few words: "ECONNREFUSED", "no answer within 5 s". */
function unreachableReason(err: unknown, timeoutMs: number): string {
  // Read by shape, not instanceof: fetch's errors may come from another realm (undici's own, a test runner's).
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/**
 * @param baseUrl the API's address as the worker reaches it (`API_BASE_URL`), without a trailing slash
 * @param token one of the API's keys (`API_TOKEN`), sent as a bearer token
 */
export function createRegistryClient(baseUrl: string, token: string): RegistryClient {
  async function call<T>(method: 'GET' | 'PUT', path: string, body: unknown, options: CallOptions): Promise<T> {
    const what = `${method} ${path}`;
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw ApplicationFailure.retryable(
        `the API at ${baseUrl} could not be reached for ${what} (${unreachableReason(err, options.timeoutMs)}); the activity will be retried`,
        'RegistryUnreachable',
      );
    }
    if (status === 404 && options.neverNotFound) {
      throw ApplicationFailure.retryable(
        `${what} → 404: the API at ${baseUrl} does not serve this route; it is older than this worker (upgrade the API first). The activity will be retried`,
        'RegistryRouteMissing',
      );
    }
    if (status >= 400 && status < 500 && status !== 429) {
      throw ApplicationFailure.create({ type: 'RegistryRejected', message: `${what} → ${status}: ${text.slice(0, 500)}`, nonRetryable: true });
    }
    if (status >= 300) throw ApplicationFailure.retryable(`${what} → ${status}: ${text.slice(0, 500)}`, 'RegistryUnavailable');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw ApplicationFailure.retryable(`${what} → ${status} but not JSON (is ${baseUrl} our API?): ${text.slice(0, 200)}`, 'RegistryUnavailable');
    }
  }

  /** A lookup's answer in the shape we rely on, or a retryable failure that says what came instead. */
  function shaped<S extends z.ZodType>(schema: S, answer: unknown, what: string): z.output<S> {
    const parsed = schema.safeParse(answer);
    if (!parsed.success) {
      throw ApplicationFailure.retryable(`${what} answered ${JSON.stringify(answer).slice(0, 200)}, not what this worker expects`, 'RegistryUnavailable');
    }
    return parsed.data;
  }

  const put = <T>(path: string, body: unknown) => call<T>('PUT', path, body, { timeoutMs: WRITE_TIMEOUT_MS });
  const sentMailPath = (messageId: string) => `/api/registry/sent-mail/${encodeURIComponent(messageId)}`;
  return {
    putDocument: (id, doc) => put(`/api/documents/${encodeURIComponent(id)}`, doc),
    putTransition: (id, record) => put(`/api/registry/transitions/${encodeURIComponent(id)}`, record),
    putFundingChannel: (id, record) => put(`/api/funding/channels/${encodeURIComponent(id)}`, record),
    putMembership: (partnerId, partnershipId, membership) =>
      put(`/api/partners/${encodeURIComponent(partnerId)}/memberships/${encodeURIComponent(partnershipId)}`, membership),
    async wasMailSent(messageId) {
      const path = sentMailPath(messageId);
      const answer = await call<unknown>('GET', path, undefined, { timeoutMs: LOOKUP_TIMEOUT_MS, neverNotFound: true });
      return shaped(SentAnswerSchema, answer, `GET ${path}`).sent;
    },
    recordMailSent: (messageId, record) =>
      call('PUT', sentMailPath(messageId), { ...record, subject: record.subject.slice(0, MAX_LOGGED_SUBJECT) }, { timeoutMs: LOOKUP_TIMEOUT_MS, neverNotFound: true }),
    async outOfOfficeOn(email, day) {
      const path = `/api/registry/out-of-office/${encodeURIComponent(email)}?on=${encodeURIComponent(day)}`;
      const answer = await call<unknown>('GET', path, undefined, { timeoutMs: LOOKUP_TIMEOUT_MS, neverNotFound: true });
      return shaped(AwayAnswerSchema, answer, `GET ${path}`).outOfOffice ?? undefined;
    },
  };
}
