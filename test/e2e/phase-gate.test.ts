import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { itemsOfPhase } from '../../domain/catalogue';
import { startMailSink, type MailSink } from '../../infra/mail-sink';
import { APPROVER_1, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { freePort, startService, waitForHttp, type Service } from '../support/processes';
import { startTemporal } from '../support/stack';

/**
 * The whole product as a newcomer runs it: worker and API as separate
 * processes, a real dev server, a real SMTP server. Everything goes over HTTP
 * and email, as a manager and an approver would do it.
 */
const API_KEY = 'e2e-key';
let env: TestWorkflowEnvironment;
let mail: MailSink;
let worker: Service;
let api: Service;
let base: string;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, headers: res.headers };
}

beforeAll(async () => {
  env = await startTemporal();
  mail = await startMailSink();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = {
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: 'e2e',
    SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-e2e-')), 'msp.db')}`,
    API_KEYS: API_KEY,
    TASK_LINK_SECRET: 'e2e-task-link-secret-0123456789',
    WORKER_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  api = startService('api', 'api/main.ts', config);
  worker = startService('worker', 'worker/main.ts', config);
  await waitForHttp(`${base}/healthz`);
}, 120_000);

afterAll(async () => {
  const codes = await Promise.all([api?.stop(), worker?.stop()]);
  await mail?.close();
  await env?.teardown();
  // Both processes shut down cleanly on SIGTERM.
  expect(codes).toEqual([0, 0]);
});

test('a manager starts a partnership, an approver approves by email, the phase moves and a document is listed', async () => {
  const created = await call('POST', '/api/partnerships', partnershipRequest());
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  for (const item of itemsOfPhase('initiating')) {
    const done = await call('POST', `/api/partnerships/${id}/checklist/${item.id}/complete`, { by: 'Mona', note: 'agreed at kick-off' });
    expect(done.status).toBe(200);
  }
  const advance = await call('POST', `/api/partnerships/${id}/advance`, { by: 'Mona' });
  expect(advance.status).toBe(202);

  const email = await mail.waitFor(isTaskEmailFor(advance.body.task.id, APPROVER_1.email), 60_000);
  const link = taskLinkOf(email).url;
  expect(link.startsWith(`${base}/tasks/`)).toBe(true);

  // Opening the link (as a mail scanner would, twice) changes nothing.
  for (let i = 0; i < 2; i++) {
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Move from Initiating to Adaptive planning');
  }
  expect((await call('GET', `/api/partnerships/${id}`)).body).toMatchObject({ phase: 'initiating', status: 'awaiting-approval' });

  const posted = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision: 'approve', comment: 'Well prepared' }).toString(),
  });
  expect(posted.status).toBe(200);
  expect(await posted.text()).toContain('your decision is recorded');

  const moved = await eventually(async () => {
    const r = await call('GET', `/api/partnerships/${id}`);
    return r.body.phase === 'adaptive-planning' && r.body.documents.length === 1 && r.body;
  }, 60_000);
  expect(moved.decisions[0]).toMatchObject({ outcome: 'approved', comment: 'Well prepared' });
  expect(moved.documents[0]).toMatchObject({ kind: 'process-design', title: expect.stringContaining('MSP process design') });

  const pdf = await fetch(moved.documents[0].url, { headers: { authorization: `Bearer ${API_KEY}` } });
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  const transitions = await eventually(async () => {
    const r = await call('GET', `/api/registry/transitions?partnershipId=${id}`);
    return r.body.transitions?.length === 1 && r.body.transitions;
  });
  expect(transitions[0]).toMatchObject({ fromPhase: 'initiating', toPhase: 'adaptive-planning', outcome: 'approved' });
  // Exactly one task email reached the approver.
  expect(mail.messages.filter(isTaskEmailFor(advance.body.task.id, APPROVER_1.email))).toHaveLength(1);
});
