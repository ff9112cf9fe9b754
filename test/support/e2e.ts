import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startMailSink, type MailSink } from '../../infra/mail-sink';
import { freePort, startService, waitForHttp, type Service } from './processes';
import { startTemporal } from './stack';
import { itemsOfPhase } from '../../domain/catalogue';
import type { PhaseId } from '../../domain/phases';
import { PRINCIPLE_IDS } from '../../domain/principles';
import type { StakeholderGroup } from '../../domain/stakeholders';
import { APPROVER_1, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from './fixtures';
import { contactFor, isInvitationEmailFor, stakeholderInput } from './partners';

export const E2E_API_KEY = 'e2e-key';

export interface Running {
  env: TestWorkflowEnvironment;
  mail: MailSink;
  base: string;
  /** An authenticated JSON call to the API. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A person's browser: form posts, no token, redirects followed. */
  form(url: string, fields: Record<string, string | string[]>): Promise<{ status: number; text: string }>;
}

/**
 * The product as a newcomer runs it, for one test file: the worker and the API
 * as separate processes (`npm run worker|api`), a real dev server and SMTP server.
 * afterAll stops them with SIGTERM and expects a clean exit.
 */
export function useRunningService(): Running {
  const ctx = {} as Running & { api?: Service; worker?: Service };
  beforeAll(async () => {
    ctx.env = await startTemporal();
    ctx.mail = await startMailSink();
    const port = await freePort();
    ctx.base = `http://127.0.0.1:${port}`;
    const config = {
      TEMPORAL_ADDRESS: ctx.env.address,
      TEMPORAL_TASK_QUEUE: 'e2e',
      SMTP_URL: `smtp://127.0.0.1:${ctx.mail.port}`,
      PORT: String(port),
      PUBLIC_BASE_URL: ctx.base,
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-e2e-')), 'msp.db')}`,
      API_KEYS: E2E_API_KEY,
      TASK_LINK_SECRET: 'e2e-task-link-secret-0123456789',
      WORKER_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
    ctx.api = startService('api', 'api/main.ts', config);
    ctx.worker = startService('worker', 'worker/main.ts', config);
    await waitForHttp(`${ctx.base}/healthz`);
  }, 120_000);
  afterAll(async () => {
    const codes = await Promise.all([ctx.api?.stop(), ctx.worker?.stop()]);
    await ctx.mail?.close();
    await ctx.env?.teardown();
    expect(codes).toEqual([0, 0]);
  });
  ctx.call = async (method, path, body) => {
    const res = await fetch(`${ctx.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${E2E_API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  };
  ctx.form = async (url, fields) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() });
    return { status: res.status, text: await res.text() };
  };
  return ctx;
}

/** What a manager, an approver and a partner contact do through HTTP and their own emails. */
export function e2eSteps(svc: Running) {
  function linkIn(text: string, path: 'tasks' | 'invitations' | 'reviews'): string {
    const m = new RegExp(`(https?://\\S+/${path}/[A-Za-z0-9_.-]+)`).exec(text);
    if (!m) throw new Error(`no /${path}/ link in email`);
    return m[1];
  }

  async function completePhase(id: string, phase: PhaseId) {
    for (const item of itemsOfPhase(phase)) {
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
    expect(mapped.status).toBe(200);
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

  /** A new partnership taken through its first gate, with the planning checklist done. */
  async function startInPlanning(request = partnershipRequest()): Promise<string> {
    const id = (await svc.call('POST', '/api/partnerships', request)).body.id as string;
    await completePhase(id, 'initiating');
    await approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);
    await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}`)).body.phase === 'adaptive-planning', 60_000);
    await completePhase(id, 'adaptive-planning');
    return id;
  }

  return { linkIn, completePhase, approveByEmail, contactJoins, startInPlanning };
}
