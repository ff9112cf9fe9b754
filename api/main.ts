import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { BoundedShutdown, stopWithParent } from '../infra/shutdown';
import { Store } from '../infra/store/store';
import { PdfPrinter } from '../activities/documents/pdf-printer';
import { createApp } from './create-app';
import { linkLimiterFor } from './rate-limit';

/** How long requests in flight may take to finish after SIGTERM before their connections are cut. */
const DRAIN_MS = 10_000;
/** The whole shutdown, drain included, whatever clients and the Temporal server do (docs/operations.md, "Stopping"). */
export const API_SHUTDOWN_BOUND_MS = 15_000;

/** API process: reads config, connects, listens; on SIGTERM stops accepting, lets requests finish, closes, exits within the bound. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.logLevel);
  const shutdown = new BoundedShutdown(logger, API_SHUTDOWN_BOUND_MS);
  stopWithParent(shutdown);
  const store = await Store.open(config.databaseUrl);
  shutdown.add('store', () => store.close());
  const connection = await Connection.connect({ address: config.temporal.address });
  shutdown.add('Temporal connection', () => connection.close());
  if (shutdown.started) return;
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const links = linkLimiterFor(config.databaseUrl, config.linkRateLimit);
  shutdown.add('link rate limiter', () => links.close());
  // Chromium starts only when someone asks for a document's PDF in another language than it was stored in.
  const printer = new PdfPrinter();
  shutdown.add('document printer (chromium)', () => printer.close());
  const app = createApp({ client, store, config, logger, linkLimiter: links.limiter, printer });
  const server = app.listen(config.port, () => {
    logger.info({ port: config.port, publicBaseUrl: config.publicBaseUrl }, 'api listening');
  });
  shutdown.add('HTTP server and its requests', async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    // Requests still running after the drain lose their connections; the Temporal calls they wait on are closed next.
    const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(cut);
  });
}

main().catch((err) => {
  process.stderr.write(`api failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
