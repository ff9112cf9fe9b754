import { ensurePostgresInstalled } from '../../scripts/cluster/postgres';
import { ensureTemporalServer } from '../../scripts/cluster/temporal-build';

/**
 * Before the cluster suite: PostgreSQL's binaries (Debian's package) and the
 * Temporal server built at the pinned version, or found in the cache. The
 * build is timed and printed: it is the slow part of a cold CI run.
 */
export default async function globalSetup(): Promise<void> {
  ensurePostgresInstalled();
  const started = Date.now();
  const binaries = await ensureTemporalServer();
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stderr.write(`[cluster] Temporal server ${binaries.version}: ${binaries.builtInSeconds === undefined ? `cached (${binaries.server})` : `built in ${seconds} s`}\n`);
}
