import type { CapturedMail } from '../../infra/mail-sink';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import { Hold, startHoldProxy, type HoldProxy } from './hold';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { sectionOfItem } from '../../domain/partnership/sections';
import { firstWrite, sectionsOfPhase } from './sections';
import type { PhaseId } from '../../domain/partnership/phases';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import type { StakeholderGroup } from '../../domain/partners/stakeholders';
import { APPROVER_1, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from './fixtures';
import { contactFor, isInvitationEmailFor, stakeholderInput } from './partners';

export interface Running extends LocalService {
  /** The worker reaches the API (documents, registry) through this forwarder. */
  proxy: HoldProxy;
  /** From now on, matching emails reach the SMTP server but are not accepted until released. */
  holdMail(match: (m: CapturedMail) => boolean): Hold<CapturedMail>;
}

/**
 * The product as a newcomer runs it, for one test file (see
 * scripts/local-service.ts), with two handles for fault tests: a forwarder
 * between worker and API, and a hold on the SMTP server's "accepted".
 * afterAll stops everything with SIGTERM and expects clean exits.
 * `workerEnv` is extra environment for the worker process alone.
 */
export function useRunningService(options: { workerEnv?: Record<string, string> } = {}): Running {
  const ctx = {} as Running;
  let mailHold: Hold<CapturedMail> | undefined;
  let service: LocalService | undefined;
  beforeAll(async () => {
    const cli = process.env.TEMPORAL_CLI;
    if (!cli) throw new Error('TEMPORAL_CLI is not set; run the tests through jest (globalSetup finds the CLI)');
    let proxy: HoldProxy | undefined;
    service = await startLocalService(cli, {
      apiBaseUrlFor: async (base) => (proxy = await startHoldProxy(base)).url,
      mailBeforeAccept: (m) => mailHold?.pass(m) ?? Promise.resolve(),
      verbose: Boolean(process.env.E2E_VERBOSE),
      ...(options.workerEnv ? { workerEnv: options.workerEnv } : {}),
    });
    // The service object stays the source of truth (start() replaces its processes, startMail its sink).
    Object.setPrototypeOf(ctx, service);
    ctx.proxy = proxy!;
    ctx.holdMail = (match) => (mailHold = new Hold(match));
  }, 120_000);
  afterAll(async () => {
    const codes = await service?.stop();
    await ctx.proxy?.close();
    expect(codes).toEqual({ api: 0, worker: 0 });
  });
  return ctx;
}

/** What a manager, an approver and a partner contact do through HTTP and their own emails. */
export function e2eSteps(svc: Running) {
  function linkIn(text: string, path: 'tasks' | 'invitations' | 'reviews'): string {
    const m = new RegExp(`(https?://\\S+/${path}/[A-Za-z0-9_.-]+)`).exec(text);
    if (!m) throw new Error(`no /${path}/ link in email`);
    return m[1];
  }

  /** Ticks the phase's items; `ready: false` leaves out those whose capability the test has yet to fill (roadmap, SMART targets). */
  async function completePhase(id: string, phase: PhaseId, { ready = true } = {}) {
    // Items whose substance is a written section: the section first, as a tool writes it (If-Match through `version`).
    const { body } = await svc.call('GET', `/api/partnerships/${id}/sections`);
    for (const section of sectionsOfPhase(phase)) {
      if ((body.sections as Array<{ id: string; text: string }>).find((s) => s.id === section)?.text) continue;
      expect((await svc.call('PUT', `/api/partnerships/${id}/sections/${section}`, firstWrite(section))).status).toBe(200);
    }
    for (const item of itemsOfPhase(phase).filter((i) => ready || !i.requiresCapability || sectionOfItem(i.id))) {
      expect((await svc.call('POST', `/api/partnerships/${id}/checklist/${item.id}/complete`, { by: 'Mona' })).status).toBe(200);
    }
  }

  async function approveByEmail(taskId: string) {
    const mail = await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 60_000);
    expect((await svc.form(taskLinkOf(mail).url, { decision: 'approve', comment: 'ok' })).status).toBe(200);
  }

  /** The partner's contact, in their browser, from the invitation email to the signature. */
  async function contactJoins(id: string, organisation: string, group: StakeholderGroup) {
    const contact = contactFor(organisation);
    const mapped = await svc.call('POST', `/api/partnerships/${id}/stakeholders`, stakeholderInput(organisation, group));
    expect(mapped.status).toBe(201);
    expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders/${mapped.body.id}/invite`, {})).status).toBe(202);

    const invitation = await svc.mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'), 60_000);
    const link = linkIn(invitation.text, 'invitations');
    const page = await fetch(link);
    expect(await page.text()).toContain(`Will ${organisation} join as a partner?`);
    expect((await svc.form(link, { step: 'respond', answer: 'accept' })).text).toContain('Due diligence');
    const missingPrinciple = await svc.form(link, { step: 'due-diligence', principles: PRINCIPLE_IDS.slice(1), conflictsOfInterest: 'none' });
    expect(missingPrinciple.status).toBe(400);
    expect(missingPrinciple.text).toContain('every principle must be attested');
    expect((await svc.form(link, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' })).text).toContain(
      'with the partnership',
    );

    const approval = await svc.mail.waitFor(
      (m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && m.subject.includes(`Approve ${organisation}`),
      60_000,
    );
    expect((await svc.form(taskLinkOf(approval).url, { decision: 'approve' })).status).toBe(200);

    const signMail = await svc.mail.waitFor(isInvitationEmailFor(contact.email, 'signature'), 60_000);
    const signLink = linkIn(signMail.text, 'invitations');
    const agreement = await fetch(`${signLink}/agreement`);
    expect(await agreement.text()).toContain(`Letter of intent — ${organisation}`);
    expect((await svc.form(signLink, { step: 'signature', signatory: `${contact.name}, director` })).text).toContain('Welcome to the partnership');
    await eventually(async () => {
      const v = await svc.call('GET', `/api/partnerships/${id}`);
      return v.body.stakeholders.find((s: { organisation: string }) => s.organisation === organisation)?.status === 'active';
    }, 60_000);
  }

  /** A new partnership with its initiating checklist done, ready to ask for its first gate. */
  async function readyForFirstGate(request = partnershipRequest()): Promise<string> {
    const created = await svc.call('POST', '/api/partnerships', request);
    expect(created.status).toBe(201);
    // Mapped only, never invited: the stakeholder-map item needs someone on the map.
    expect((await svc.call('POST', `/api/partnerships/${created.body.id}/stakeholders`, stakeholderInput('Chamber of Commerce', 'private-sector'))).status).toBe(201);
    await completePhase(created.body.id, 'initiating');
    return created.body.id as string;
  }

  /** A new partnership taken through its first gate, with the planning items done that need no roadmap yet. */
  async function startInPlanning(request = partnershipRequest()): Promise<string> {
    const id = await readyForFirstGate(request);
    await approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);
    await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}`)).body.phase === 'adaptive-planning', 60_000);
    await completePhase(id, 'adaptive-planning', { ready: false });
    return id;
  }

  return { linkIn, completePhase, approveByEmail, contactJoins, readyForFirstGate, startInPlanning };
}
