import express, { json, urlencoded, type Express } from 'express';
import type { Client } from '@temporalio/client';
import pinoHttp from 'pino-http';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Store } from '../infra/store/store';
import { pageTokenKey } from '../infra/page-token';
import { requireApiKey } from './auth';
import { memoryLinkLimiter, rateLimitPerClient } from './rate-limit';
import { errorMiddleware, HttpError } from './errors';
import { createApiMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';
import { PartnershipService } from './partnership-service';
import { partnershipsRouter } from './routes/partnerships';
import { registryRouter } from './routes/registry';
import { tasksRouter } from './routes/tasks';
import { invitationsRouter } from './routes/invitations';
import { reviewsRouter } from './routes/reviews';
import { workerPresence } from './worker-presence';

export interface AppDeps {
  client: Client;
  store: Store;
  config: Pick<Config, 'apiKeys' | 'publicBaseUrl' | 'taskLinkSecret' | 'temporal'> & Partial<Pick<Config, 'linkRateLimit' | 'trustProxy'>>;
  logger: Logger;
  /** Counts link-page requests per client; default: in memory, `config.linkRateLimit` (120) per minute. */
  linkLimiter?: RateLimiterAbstract;
  /** How long a request may wait for workflows to answer before a 503 (default 20 s). */
  workflowDeadlineMs?: number;
}

/** Builds the Express app; the process entry point (api/main.ts) only listens and shuts down. */
export function createApp({ client, store, config, logger, linkLimiter, workflowDeadlineMs }: AppDeps): Express {
  const app = express();
  const service = new PartnershipService(client, config.temporal.taskQueue, { pageKey: pageTokenKey(config.taskLinkSecret), registry: store, logger });
  const metrics = createApiMetrics({ abnormalEndings: () => service.countAbnormalEndings() });
  const openapi = buildOpenApiDocument(config.publicBaseUrl);

  app.disable('x-powered-by');
  // req.ip, the link-page limit's key, is the socket address unless TRUST_PROXY names the proxies in front.
  app.set('trust proxy', config.trustProxy ?? false);
  app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' } }));
  app.use(metrics.middleware);

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

  app.use('/api', requireApiKey(config.apiKeys));
  // Registry first: its document upload has its own, larger body limit.
  app.use('/api', registryRouter(store, config.publicBaseUrl));
  app.use(json({ limit: '100kb' }));
  app.use(urlencoded({ extended: false, limit: '20kb' }));
  // Routes answered by workflows: refused at once when no worker serves the task queue, bounded in time otherwise.
  const worker = workerPresence(client, config.temporal.taskQueue, { deadlineMs: workflowDeadlineMs });
  app.use('/api/partnerships', worker.guard, partnershipsRouter(service), worker.classify);
  const linkLimit = rateLimitPerClient(linkLimiter ?? memoryLinkLimiter(config.linkRateLimit ?? 120));
  app.use('/tasks', linkLimit, worker.guard, tasksRouter(service, config.taskLinkSecret), worker.classify);
  app.use('/invitations', linkLimit, worker.guard, invitationsRouter(service, store, config.taskLinkSecret), worker.classify);
  app.use('/reviews', linkLimit, worker.guard, reviewsRouter(service, config.taskLinkSecret), worker.classify);

  app.use((req, _res, next) => next(new HttpError(404, `no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware);
  return app;
}
