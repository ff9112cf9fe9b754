import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startMailSink, type CapturedMail, type MailSink } from '../../infra/mail-sink';
import { spawnEntry, spawnTemporalDevServer, waitForTemporal, type ManagedProcess } from '../../scripts/local-processes';
import { freePort, waitForHttp } from './processes';
import { Hold, startHoldProxy, type HoldProxy } from './hold';
import { itemsOfPhase } from '../../domain/catalogue';
import type { PhaseId } from '../../domain/phases';
import { PRINCIPLE_IDS } from '../../domain/principles';
import type { StakeholderGroup } from '../../domain/stakeholders';
import { APPROVER_1, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from './fixtures';
import { contactFor, isInvitationEmailFor, stakeholderInput } from './partners';

export const E2E_API_KEY = 'e2e-key';

type Part = 'temporal' | 'api' | 'worker';

export interface Running {
  /** A bare Temporal client, for what only Temporal can tell (pending activities, histories). */
  client: Client;
  mail: MailSink;
  base: string;
  processes: Record<Part, ManagedProcess>;
  /** The worker reaches the API (documents, registry) through this forwarder. */
  proxy: HoldProxy;
  /** Starts the part again after it has stopped (as a supervisor would), and waits until it is ready. */
  start(part: Part): Promise<void>;
  /** From now on, matching emails reach the SMTP server but are not accepted until released. */
  holdMail(match: (m: CapturedMail) => boolean): Hold<CapturedMail>;
  /** Takes the SMTP server away; `startMail` brings it back on the same port. */
  stopMail(): Promise<void>;
  startMail(): Promise<void>;
  /** An authenticated JSON call to the API. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A person's browser: form posts, no token, redirects followed. */
  form(url: string, fields: Record<string, string | string[]>): Promise<{ status: number; text: string }>;
}

/**
 * The product as a newcomer runs it, for one test file: the Temporal dev
 * server (with its SQLite file), the worker and the API as separate processes
 * started as `npm run dev` starts them, and a real SMTP server. afterAll stops
 * them with SIGTERM and expects a clean exit.
 */
export function useRunningService(): Running {
  const ctx = {} as Running & { config: Record<string, string>; dir: string; mailHold?: Hold<CapturedMail>; smtpPort: number };
  const quiet = process.env.E2E_VERBOSE ? (text: string) => process.stderr.write(text) : undefined;
  const starters: Record<Part, () => ManagedProcess> = {
    temporal: () =>
      spawnTemporalDevServer(process.env.TEMPORAL_CLI!, ctx.config.TEMPORAL_ADDRESS, join(ctx.dir, 'temporal.db'), Number(ctx.config.UI_PORT), quiet),
    api: () => spawnEntry('api', 'api/main.ts', { ...process.env, ...ctx.config }, quiet),
    // At info level the worker says when it has started polling, which is how we know it is ready.
    worker: () => spawnEntry('worker', 'worker/main.ts', { ...process.env, ...ctx.config, LOG_LEVEL: 'info' }, quiet),
  };
  const ready: Record<Part, () => Promise<void>> = {
    temporal: () => waitForTemporal(ctx.config.TEMPORAL_ADDRESS),
    api: () => waitForHttp(`${ctx.base}/healthz`),
    worker: async () => {
      await eventually(async () => ctx.processes.worker.output.join('').includes('worker started'), 60_000);
    },
  };
  const startMail = async () => {
    ctx.mail = await startMailSink({ port: ctx.smtpPort, beforeAccept: (m) => ctx.mailHold?.pass(m) ?? Promise.resolve() });
  };

  beforeAll(async () => {
    if (!process.env.TEMPORAL_CLI) throw new Error('TEMPORAL_CLI is not set; run the tests through jest (globalSetup finds the CLI)');
    ctx.dir = mkdtempSync(join(tmpdir(), 'msp-e2e-'));
    ctx.smtpPort = await freePort();
    await startMail();
    const port = await freePort();
    ctx.base = `http://127.0.0.1:${port}`;
    ctx.proxy = await startHoldProxy(ctx.base);
    ctx.config = {
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      UI_PORT: String(await freePort()),
      TEMPORAL_TASK_QUEUE: 'e2e',
      SMTP_URL: `smtp://127.0.0.1:${ctx.smtpPort}`,
      PORT: String(port),
      PUBLIC_BASE_URL: ctx.base,
      API_BASE_URL: ctx.proxy.url,
      DATABASE_URL: `sqlite:${join(ctx.dir, 'msp.db')}`,
      API_KEYS: E2E_API_KEY,
      TASK_LINK_SECRET: 'e2e-task-link-secret-0123456789',
      WORKER_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
    ctx.processes = {} as Record<Part, ManagedProcess>;
    for (const part of ['temporal', 'api', 'worker'] as const) await ctx.start(part);
    ctx.client = new Client({ connection: await Connection.connect({ address: ctx.config.TEMPORAL_ADDRESS }) });
  }, 120_000);

  afterAll(async () => {
    const codes = await Promise.all([ctx.processes?.api?.stop(), ctx.processes?.worker?.stop()]);
    await ctx.client?.connection.close();
    await ctx.processes?.temporal?.stop();
    await ctx.proxy?.close();
    await ctx.mail?.close();
    if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]);
  });

  ctx.start = async (part) => {
    ctx.processes[part] = starters[part]();
    await ready[part]();
  };
  ctx.holdMail = (match) => (ctx.mailHold = new Hold(match));
  ctx.stopMail = () => ctx.mail.close();
  ctx.startMail = startMail;
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
