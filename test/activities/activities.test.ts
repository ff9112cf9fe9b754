import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type TaskEmailInput } from '../../activities/create-activities';
import { createRegistryClient } from '../../activities/registry-client';
import { PdfPrinter } from '../../activities/documents/pdf-printer';
import { createApp } from '../../api/create-app';
import { completeItem, initialState } from '../../domain/partnership/partnership-state';
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

function activities(smtpUrl = `smtp://127.0.0.1:${mail.port}`) {
  return createActivities({
    mailer: createSmtpMailer(smtpUrl, 'MSP <msp@test.local>'),
    store,
    registry: createRegistryClient(apiUrl, KEY),
    publicBaseUrl: apiUrl,
    taskLinkSecret: SECRET,
    printer,
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
