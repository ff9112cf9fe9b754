import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities/create-activities';
import { messageIdFor } from '../../activities/activity-context';
import type { TaskEmailInput } from '../../activities/human-tasks/activities';
import { createRegistryClient } from '../../activities/registry-client';
import { PdfPrinter } from '../../activities/documents/pdf-printer';
import { createApp } from '../../api/create-app';
import { completeItem } from '../../domain/partnership/checklist';
import { initialState } from '../../domain/partnership/state';
import { createLogger } from '../../infra/logger';
import { createSmtpMailer } from '../../infra/mailer';
import { startMailSink, type MailSink } from '../../infra/mail-sink';
import { Store } from '../../infra/store/store';
import { verifyTaskToken } from '../../infra/task-token';
import { APPROVER_1, partnershipInput, taskLinkOf } from '../support/fixtures';
import { freePort } from '../../scripts/local-service';

const SECRET = 'activities-test-secret-0123456789';
const KEY = 'activities-key';
let mail: MailSink;
let store: Store;
let server: Server;
let apiUrl: string;
const env = new MockActivityEnvironment();
const printer = new PdfPrinter();

beforeAll(async () => {
  mail = await startMailSink();
  store = await Store.open(`sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-act-')), 'db')}`);
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The registry routes never touch Temporal; a lazy client is never connected.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  server.on(
    'request',
    createApp({ client, store, printer, logger: createLogger('t', 'silent'), config: { apiKeys: [KEY], taskLinkSecret: SECRET, publicBaseUrl: apiUrl, temporal: { address: '', namespace: 'default', taskQueue: 'x' } } }),
  );
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await mail.close();
  await store.close();
  await printer.close();
});

/** The worker's activities, as worker/main.ts builds them: no database, the API at `registryUrl`. */
function activities(smtpUrl = `smtp://127.0.0.1:${mail.port}`, registryUrl = apiUrl) {
  return createActivities({
    mailer: createSmtpMailer(smtpUrl, 'MSP <msp@test.local>'),
    registry: createRegistryClient(registryUrl, KEY),
    publicBaseUrl: apiUrl,
    taskLinkSecret: SECRET,
  });
}

const taskEmail: TaskEmailInput = {
  deliveryKey: 'task-1/assigned/level-0/ari@example.org',
  reason: 'assigned',
  taskId: 'msp-a.c1.initiating.task-1',
  approver: APPROVER_1,
  partnershipTitle: 'Jobs <b>now</b>',
  summary: 'Move from Initiating to Adaptive planning',
  details: ['Goal: decent work'],
  requestedBy: 'Mona',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
};

test('a display name never changes where mail goes: brackets, an address, commas or a line break in it stay text', async () => {
  const acts = activities();
  const names = ['Rick Roe <finance-team@example.org>', 'Roe, Rick (Finance), "RR"', 'Rick\r\nBcc: finance-team@example.org'];
  for (const [i, name] of names.entries()) {
    const { messageId } = (await env.run(acts.sendTaskEmail, {
      ...taskEmail,
      deliveryKey: `display-name-${i}`,
      approver: { name, email: 'rick.roe@example.org' },
    })) as { messageId: string };
    const received = await mail.waitFor((m) => m.messageId === messageId);
    expect([name, received.to]).toEqual([name, ['rick.roe@example.org']]);
  }
  expect(mail.messages.some((m) => m.to.includes('finance-team@example.org'))).toBe(false);
});

test('a retried task email is delivered once, with a signed link bound to the task and approver', async () => {
  const acts = activities();
  const first = (await env.run(acts.sendTaskEmail, taskEmail)) as { messageId: string; sent: boolean };
  const second = await env.run(acts.sendTaskEmail, taskEmail);
  expect(first.sent).toBe(true);
  expect(second).toEqual({ messageId: first.messageId, sent: false });
  // The activities hold no database: the sent-log they asked and told is the API's.
  expect(await store.wasMailSent(first.messageId)).toBe(true);
  const received = mail.messages.filter((m) => m.messageId === first.messageId);
  expect(received).toHaveLength(1);
  expect(received[0].html).toContain('Jobs &lt;b&gt;now&lt;/b&gt;');
  const claims = verifyTaskToken(SECRET, taskLinkOf(received[0]).token);
  expect(claims).toMatchObject({ taskId: taskEmail.taskId, email: APPROVER_1.email });
});

test('when SMTP is down the activity fails (to be retried) and nothing is logged as sent', async () => {
  const acts = activities(`smtp://127.0.0.1:${await freePort()}`);
  const input = { ...taskEmail, deliveryKey: 'smtp-down' };
  await expect(env.run(acts.sendTaskEmail, input)).rejects.toThrow();
  const ok = (await env.run(activities().sendTaskEmail, input)) as { sent: boolean };
  expect(ok.sent).toBe(true);
});

test('a retried document activity stores one document, returning the same reference', async () => {
  const state = initialState('msp-doc-act', partnershipInput(), '2026-01-01T00:00:00Z');
  completeItem(state, 'initiating.partners.core-group', { by: 'Mona' }, '2026-01-01T00:00:00Z');
  const acts = activities();
  const input = { state, phase: 'initiating' as const, at: '2026-01-02T00:00:00Z' };
  const a = await env.run(acts.createPhaseDocument, input);
  const b = await env.run(acts.createPhaseDocument, input);
  expect(b).toEqual(a);
  expect(a).toMatchObject({ id: 'msp-doc-act.c1.process-design', url: `${apiUrl}/api/documents/msp-doc-act.c1.process-design` });
  expect(await store.listDocuments('msp-doc-act')).toHaveLength(1);
});

test('a registry refusal (4xx) is non-retryable', async () => {
  const acts = activities();
  await expect(
    env.run(acts.recordTransition, { id: 'bad id with spaces', record: { partnershipId: 'msp-a', cycle: 1, fromPhase: 'initiating' as const, toPhase: null, outcome: 'x', decidedBy: 'y', decidedAt: new Date().toISOString(), taskId: null } }),
  ).rejects.toMatchObject({ type: 'RegistryRejected', nonRetryable: true });
});

/** An authenticated call to the API the activities use, as a tool would make it. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

describe('the API owns the database: the sent-log and out of office are asked of it over HTTP', () => {
  it('a sent-mail record made through the registry route is honoured: the send it names is not delivered again', async () => {
    const input = { ...taskEmail, deliveryKey: 'recorded-through-the-route' };
    const path = `/api/registry/sent-mail/${encodeURIComponent(messageIdFor(input.deliveryKey))}`;
    expect((await api('GET', path)).body).toEqual({ messageId: messageIdFor(input.deliveryKey), sent: false });
    // As an earlier attempt, in a worker process since gone, records it after the SMTP server accepted it.
    expect(await api('PUT', path, { recipient: APPROVER_1.email, subject: 'Decision needed' })).toMatchObject({ status: 201, body: { created: true } });
    expect(await api('PUT', path, { recipient: APPROVER_1.email, subject: 'Decision needed' })).toMatchObject({ status: 200, body: { created: false } });
    expect((await api('GET', path)).body.sent).toBe(true);

    // The retry, in a fresh worker (new mailer, new client, no database of its own).
    expect(await env.run(activities().sendTaskEmail, input)).toEqual({ messageId: messageIdFor(input.deliveryKey), sent: false });
    expect(mail.messages.filter((m) => m.messageId === messageIdFor(input.deliveryKey))).toHaveLength(0);
  });

  it('the API out of reach fails the email activity, retryably and saying where, with nothing sent; back, it sends once', async () => {
    const input = { ...taskEmail, deliveryKey: 'api-away' };
    const gone = `http://127.0.0.1:${await freePort()}`;
    const failure = await env.run(activities(undefined, gone).sendTaskEmail, input).catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'RegistryUnreachable', nonRetryable: false });
    expect((failure as Error).message).toBe(
      `the API at ${gone} could not be reached for GET /api/registry/out-of-office/ari%40example.org?on=${new Date().toISOString().slice(0, 10)} (ECONNREFUSED); the activity will be retried`,
    );
    expect(mail.messages.filter((m) => m.messageId === messageIdFor(input.deliveryKey))).toHaveLength(0);
    expect(await env.run(activities().sendTaskEmail, input)).toEqual({ messageId: messageIdFor(input.deliveryKey), sent: true });
    expect(mail.messages.filter((m) => m.messageId === messageIdFor(input.deliveryKey))).toHaveLength(1);
  });

  it('an API older than the worker (no such route) is a retryable failure that says to upgrade the API', async () => {
    const old = createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no route"}'));
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', r));
    try {
      const failure = await env.run(activities(undefined, `http://127.0.0.1:${(old.address() as AddressInfo).port}`).sendNotification, {
        deliveryKey: 'old-api',
        to: APPROVER_1,
        subject: 'Hello',
        lines: ['One line'],
      }).catch((e: unknown) => e);
      expect(failure).toMatchObject({ type: 'RegistryRouteMissing', nonRetryable: false });
      expect((failure as Error).message).toContain('older than this worker (upgrade the API first)');
    } finally {
      await new Promise((r) => old.close(r));
    }
  });

  it("out of office is looked up for a day through the API; the lookup changes nothing", async () => {
    const registry = createRegistryClient(apiUrl, KEY);
    await store.putOutOfOffice('away@example.org', { delegate: { name: 'Dee', email: 'dee@example.org' }, firstDay: '2031-05-01', lastDay: '2031-05-03', reason: 'leave' });
    expect(await registry.outOfOfficeOn('Away@Example.org', '2031-05-02')).toEqual({ delegate: { name: 'Dee', email: 'dee@example.org' }, firstDay: '2031-05-01', lastDay: '2031-05-03', reason: 'leave' });
    expect(await registry.outOfOfficeOn('away@example.org', '2031-05-04')).toBeUndefined();
    expect(await registry.outOfOfficeOn('nobody@example.org', '2031-05-02')).toBeUndefined();
    expect(await store.getOutOfOffice('away@example.org')).toMatchObject({ firstDay: '2031-05-01', lastDay: '2031-05-03' });
  });

  it('the new routes check what they are given, need the API key, and name the problem', async () => {
    const missingDay = await api('GET', '/api/registry/out-of-office/away%40example.org');
    expect(missingDay.status).toBe(400);
    expect(JSON.stringify(missingDay.body)).toContain('must be the day to look up, as ?on=2027-03-01 (UTC)');
    const badId = await api('GET', '/api/registry/sent-mail/not-a-message-id');
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).toContain('must be a Message-ID in angle brackets');
    const noRecipient = await api('PUT', `/api/registry/sent-mail/${encodeURIComponent('<abc@msp-orchestrator>')}`, { subject: 'x' });
    expect(noRecipient.status).toBe(400);
    expect(JSON.stringify(noRecipient.body)).toContain('recipient');
    expect(await store.wasMailSent('<abc@msp-orchestrator>')).toBe(false);
    for (const path of [`/api/registry/sent-mail/${encodeURIComponent('<abc@msp-orchestrator>')}`, '/api/registry/out-of-office/away%40example.org?on=2031-05-02']) {
      expect((await fetch(`${apiUrl}${path}`)).status).toBe(401);
    }
  });
});

test("a notification to a manager with no language of their own is written in the partnership's language the workflow sent with it, without asking the partnership", async () => {
  // This activity environment has no Temporal client: a query for the language would fail, and the email would come out in English.
  const { messageId } = (await env.run(activities().sendNotification, {
    deliveryKey: 'msp-fr/decision-1/manager',
    to: { name: 'Mona', email: 'mona@example.org' },
    subject: 'Emplois verts: approved — Move from Initiating to Adaptive planning',
    lines: ['The partnership moved from Initiating to Adaptive planning.'],
    partnershipLanguage: 'fr',
  })) as { messageId: string };
  const received = await mail.waitFor((m) => m.messageId === messageId);
  // The name is a bidi isolate in the plain-text part (see textTranslator).
  expect(received.text).toContain('Bonjour \u2068Mona\u2069');
  expect(received.text).toContain('Planification adaptative');
});
