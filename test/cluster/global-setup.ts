import { ensureCompose } from '../../scripts/cluster/compose-build';
import { ensurePostgresInstalled } from '../../scripts/cluster/postgres';
import { ensureTemporalServer } from '../../scripts/cluster/temporal-build';

/**
 * Before the cluster suite: PostgreSQL's binaries (Debian's package) and the
 * Temporal server built at the pinned version, and Docker Compose (to check
 * docker-compose.yml), or both found in the cache. Builds are timed and
 * printed: they are the slow part of a cold CI run.
 */
export default async function globalSetup(): Promise<void> {
  ensurePostgresInstalled();
  const started = Date.now();
  const binaries = await ensureTemporalServer();
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stderr.write(`[cluster] Temporal server ${binaries.version}: ${binaries.builtInSeconds === undefined ? `cached (${binaries.server})` : `built in ${seconds} s`}\n`);
  const composeStarted = Date.now();
  process.env.MSP_COMPOSE = await ensureCompose();
  process.stderr.write(`[cluster] Docker Compose: ${process.env.MSP_COMPOSE} (${Math.round((Date.now() - composeStarted) / 1000)} s)\n`);
}
