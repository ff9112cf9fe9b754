import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  middleware: RequestHandler;
}

export interface ApiMetricSources {
  /** Partnerships that ended abnormally, by visibility's execution status; read when Prometheus scrapes. */
  abnormalEndings?: () => Promise<Record<string, number>>;
}

/**
 * Prometheus metrics for the API: process defaults, request latency by route
 * template, and `msp_partnerships_ended_abnormally{execution_status}` — a
 * partnership the server terminated (e.g. over a Temporal limit) or that
 * failed is something an operator must see without being asked (alert on any
 * increase; docs/operations.md, "When a partnership ends abnormally", says what to do).
 */
export function createApiMetrics(sources: ApiMetricSources = {}): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'msp_api_' });
  if (sources.abnormalEndings) {
    const read = sources.abnormalEndings;
    new Gauge({
      name: 'msp_partnerships_ended_abnormally',
      help: 'Partnerships whose workflow was terminated, failed, timed out or was cancelled (Temporal visibility, read at scrape)',
      labelNames: ['execution_status'],
      registers: [registry],
      async collect() {
        // A scrape while Temporal is unreachable reports nothing rather than failing the whole page.
        const counts = await read().catch(() => undefined);
        for (const [status, n] of Object.entries(counts ?? {})) this.set({ execution_status: status }, n);
      },
    });
  }
  const duration = new Histogram({
    name: 'msp_api_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      // The route template (not the raw path) keeps label cardinality bounded.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}
