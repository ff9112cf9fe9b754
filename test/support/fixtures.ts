import { randomBytes } from 'node:crypto';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { writeSections } from './sections';
import type { PhaseId } from '../../domain/partnership/phases';
import { CreatePartnershipSchema, type CreatePartnershipRequest, type PartnershipInput } from '../../domain/partnership/schemas';
import { StakeholderInputSchema } from '../../domain/partners/schemas';
import type { Services } from '../../api/services';
import type { MailSink } from '../../infra/mail-sink';
import { saidOfFailureDetails } from '../../domain/rule-error';
import { say } from '../../infra/i18n/said';

export const MANAGER = { name: 'Mona Manager', email: 'mona@example.org' };
export const APPROVER_1 = { name: 'Ari Approver', email: 'ari@example.org' };
export const APPROVER_2 = { name: 'Bea Backup', email: 'bea@example.org' };

/** Second-scale timings so tests exercise reminders and deadlines for real. */
export const FAST_TIMINGS = { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', reviewEvery: '1 day' };

export function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function partnershipRequest(overrides: Partial<CreatePartnershipRequest> = {}): CreatePartnershipRequest {
  return {
    slug: uniqueSlug('test'),
    title: 'Decent jobs for young people in the green economy',
    goal: 'Raise the share of young people in decent green jobs (SDG 8.6) in two pilot regions',
    drivers: ['policy-alignment-advocacy', 'country-delivery-project-implementation'],
    organisationRole: 'convener',
    manager: MANAGER,
    approvers: [APPROVER_1, APPROVER_2],
    timings: FAST_TIMINGS,
    ...overrides,
  };
}

export function partnershipInput(overrides: Partial<CreatePartnershipRequest> = {}): PartnershipInput {
  return CreatePartnershipSchema.parse(partnershipRequest(overrides));
}

/** The stakeholder `completePhase` maps when initiating finds the map empty (its item needs one). */
export const FIRST_MAPPED = StakeholderInputSchema.parse({
  organisation: 'Ministry of Labour',
  group: 'government',
  whyEngage: 'Owns the national employment policy',
  potentialRoles: ['activity lead'],
  engagementStrategy: 'Bilateral meeting, then the core-group workshop',
});

/**
 * Ticks every item of the phase in catalogue order. Items whose capability is
 * a precondition need the partnership's data first: sections are written
 * (the tests' texts, `SECTION_TEXTS`), initiating maps
 * FIRST_MAPPED if nobody is mapped yet; adaptive planning needs a roadmap
 * activity with a SMART target, which the test adds (it needs an active partner).
 */
export async function completePhase(service: Services, id: string, phase: PhaseId): Promise<void> {
  if (phase === 'initiating' && (await service.partnership.get(id)).stakeholders.length === 0) await service.partners.upsertStakeholder(id, FIRST_MAPPED);
  // Items whose substance is a written section need it written first (domain/partnership/sections.ts).
  await writeSections(service, id, phase, MANAGER.name);
  for (const item of itemsOfPhase(phase)) {
    await service.partnership.completeItem(id, item.id, { by: MANAGER.name, note: `done in test (${item.dimension})` });
  }
}

/** Polls until `check` returns a value; for state that settles asynchronously (workflow after an Update). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `; last error: ${String(lastError)}` : ''}`);
}

/** Reads the task link out of an email and the claims its token carries (without verifying it). */
export function taskLinkOf(mail: { text: string }): { url: string; token: string; taskId: string; email: string } {
  const match = /(https?:\/\/\S+\/tasks\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+))/.exec(mail.text);
  if (!match) throw new Error('no task link in this email');
  const payload = JSON.parse(Buffer.from(match[2].split('.')[0], 'base64url').toString('utf8')) as { t: string; a: string };
  return { url: match[1], token: match[2], taskId: payload.t, email: payload.a };
}

export function isTaskEmailFor(taskId: string, email: string, subjectPrefix = 'Decision needed') {
  return (m: { text: string; to: string[]; subject: string }) =>
    m.to.includes(email) && m.subject.includes(subjectPrefix) && /\/tasks\//.test(m.text) && taskLinkOf(m).taskId === taskId;
}

/** The refusal an Update validator raised: its type (RuleError kind) and message. */
export async function refusalOf(promise: Promise<unknown>): Promise<{ type?: string; code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    const cause = (err as { cause?: { type?: string; message: string; details?: unknown[] } }).cause;
    // A rule's refusal travels as a code (`enforce`): its code, and its English words as a reader sees them.
    const said = saidOfFailureDetails(cause?.details);
    if (cause) return { type: cause.type, ...(said ? { code: said.code, message: say('en', said) } : { message: cause.message }) };
    return { type: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected the update to be refused, but it was accepted');
}

/** Waits for the approver's task email (as a person would), then decides through the approval Update. */
export async function decideTask(
  mail: MailSink,
  service: Services,
  taskId: string,
  approver: { email: string },
  decision: 'approve' | 'reject' = 'approve',
  comment?: string,
) {
  await mail.waitFor(isTaskEmailFor(taskId, approver.email, ''));
  return service.tasks.decide(taskId, { approverEmail: approver.email, decision, ...(comment ? { comment } : {}) });
}

/** Deterministic pseudo-random generator, so a failing random test can be replayed from its seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
