import { outOfOfficeLookupRouter, peopleRouter } from './human-tasks/people';
import express, { json, urlencoded, type Express, type RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import pinoHttp from 'pino-http';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../infra/config';
import { redactUrl, type Logger } from '../infra/logger';
import type { Store } from '../infra/store/store';
import { pageTokenKey } from '../infra/page-token';
import { randomBytes } from 'node:crypto';
import { apiCaller, personRules, securityHeaders } from './auth';
import { consoleRouter } from './console/router';
import { memoryLinkLimiter, rateLimitPerClient } from './rate-limit';
import { errorMiddleware, HttpError } from './errors';
import { createApiMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';
import { createServices } from './services';
import { partnershipsRouter } from './partnership/routes';
import { registryRouter } from './partnership/registry';
import { tasksRouter } from './human-tasks/tasks';
import { invitationsRouter } from './partners/link-pages';
import { reviewsRouter } from './reviews/link-pages';
import { approvalsRouter } from './human-tasks/approvals';
import { workerPresence } from './worker-presence';
import { PdfPrinter } from '../activities/documents/pdf-printer';
import { said } from '../domain/said';

export interface AppDeps {
  client: Client;
  store: Store;
  config: Pick<Config, 'apiKeys' | 'publicBaseUrl' | 'taskLinkSecret' | 'temporal'> &
    Partial<Pick<Config, 'linkRateLimit' | 'trustProxy' | 'taskLinkSecrets' | 'oidc' | 'console'>>;
  logger: Logger;
  /** Counts link-page requests per client; default: in memory, `config.linkRateLimit` (120) per minute. */
  linkLimiter?: RateLimiterAbstract;
  /** How long a request may wait for workflows to answer before a 503 (default 20 s). */
  workflowDeadlineMs?: number;
  /**
   * Typesets documents into PDF when one is first read (the worker stores
   * them as HTML), and in a language other than the one they were stored in
   * (`?lang=`). Default: one started on the first such request; whoever
   * passes one closes it (api/main.ts on shutdown).
   */
  printer?: PdfPrinter;
}

/** Builds the Express app; the process entry point (api/main.ts) only listens and shuts down. */
export function createApp({ client, store, config, logger, linkLimiter, workflowDeadlineMs, printer = new PdfPrinter() }: AppDeps): Express {
  const app = express();
  // Links signed with any secret on the ring are accepted until they expire (see TASK_LINK_SECRETS).
  const linkKeys = config.taskLinkSecrets ?? config.taskLinkSecret;
  const services = createServices(client, config.temporal.taskQueue, {
    pageKey: pageTokenKey(config.taskLinkSecret),
    registry: store,
    logger,
    documentUrl: (id) => `${config.publicBaseUrl}/api/documents/${encodeURIComponent(id)}`,
  });
  const metrics = createApiMetrics({ abnormalEndings: () => services.partnership.countAbnormalEndings() });
  const openapi = buildOpenApiDocument(config.publicBaseUrl);

  app.disable('x-powered-by');
  // req.ip, the link-page limit's key, is the socket address unless TRUST_PROXY names the proxies in front.
  app.set('trust proxy', config.trustProxy ?? false);
  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      // Headers with secrets are redacted by the logger (infra/logger.ts); link tokens and one-time codes sit in the URL.
      // The serialized query and params repeat what the URL holds, so they are left out.
      serializers: {
        req: ({ query: _query, params: _params, ...req }: { url?: string; query?: unknown; params?: unknown }) => ({ ...req, url: req.url === undefined ? undefined : redactUrl(req.url) }),
      },
    }),
  );
  app.use(metrics.middleware);
  app.use(securityHeaders(config.publicBaseUrl));

  app.get('/healthz', async (_req, res) => {
    await store.ping();
    await client.connection.withDeadline(Date.now() + 2000, () => client.workflowService.getSystemInfo({}));
    res.json({ ok: true });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  // The console: pages under /console; `/` is where a person typing the address lands.
  const consoleSettings = config.console ?? { adminEmails: [], sessionSecrets: [randomBytes(32).toString('hex')], sessionMaxAgeMs: 8 * 3_600_000, sessionIdleMs: 3_600_000 };
  const { router: consolePages, sessions } = consoleRouter({ services, store, publicBaseUrl: config.publicBaseUrl, settings: consoleSettings, oidc: config.oidc, printer, logger });
  app.get('/', (_req, res) => res.redirect(302, '/console'));
  app.use('/console', consolePages);

  // Tools send an API key; a person signed in to the console may use the same API under the console's rules.
  // A call with an API key never touches the console's sessions (nor fails when their store does).
  const personSession: RequestHandler = (req, res, next) => (req.get('authorization') !== undefined ? next() : sessions.cookies(req, res, () => sessions.sessions(req, res, next)));
  app.use('/api', personSession, apiCaller(config.apiKeys, sessions.csrf));
  // Registry first: its document upload has its own, larger body limit.
  app.use('/api', registryRouter(store, config.publicBaseUrl, printer));
  app.use('/api/registry', outOfOfficeLookupRouter(store));
  // An approver's inbox form carries two fields per listed request (up to 500): its own, larger limits.
  app.use('/approvals', urlencoded({ extended: false, limit: '1mb', parameterLimit: 2100 }));
  app.use(json({ limit: '100kb' }));
  app.use(urlencoded({ extended: false, limit: '20kb' }));
  // Routes answered by workflows: refused at once when no worker serves the task queue, bounded in time otherwise.
  const worker = workerPresence(client, config.temporal.taskQueue, { deadlineMs: workflowDeadlineMs });
  app.use('/api/partnerships', worker.guard, personRules(services.partnership, consoleSettings.adminEmails), partnershipsRouter(services), worker.classify);
  const linkLimit = rateLimitPerClient(linkLimiter ?? memoryLinkLimiter(config.linkRateLimit ?? 120));
  app.use('/api/people', worker.guard, peopleRouter(services.tasks, store, consoleSettings.adminEmails), worker.classify);
  app.use('/tasks', linkLimit, worker.guard, tasksRouter(services.tasks, linkKeys, store, printer), worker.classify);
  app.use('/invitations', linkLimit, worker.guard, invitationsRouter(services.partners, store, linkKeys, printer), worker.classify);
  app.use('/reviews', linkLimit, worker.guard, reviewsRouter(services.reviews, linkKeys), worker.classify);
  app.use('/approvals', linkLimit, worker.guard, approvalsRouter(services.tasks, linkKeys), worker.classify);

  app.use((req, _res, next) => next(new HttpError(404, said('refusals:notFound.route', { method: req.method, path: req.path }))));
  app.use(errorMiddleware);
  return app;
}
