import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startMailSink, type MailSink } from '../../infra/mail-sink';
import { freePort, startService, waitForHttp, type Service } from './processes';
import { startTemporal } from './stack';

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
