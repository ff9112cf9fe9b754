import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { Store } from '../infra/store/store';
import { createApp } from './create-app';
import { linkLimiterFor } from './rate-limit';

/** API process: reads config, connects, listens; on SIGTERM stops accepting and lets requests finish. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.logLevel);
  const store = await Store.open(config.databaseUrl);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const links = linkLimiterFor(config.databaseUrl, config.linkRateLimit);
  const app = createApp({ client, store, config, logger, linkLimiter: links.limiter });
  const server = app.listen(config.port, () => {
    logger.info({ port: config.port, publicBaseUrl: config.publicBaseUrl }, 'api listening');
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    server.close(() => {
      void Promise.allSettled([connection.close(), store.close(), links.close()]).then(() => {
        logger.info('api stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`api failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
