import { ensureTemporalCli } from '../../infra/temporal-cli';
import { ensurePostgresInstalled } from './postgres';

/** Runs once before all test files: find (or install) the Temporal CLI and PostgreSQL, hand the CLI's path to the workers. */
export default function globalSetup(): void {
  process.env.TEMPORAL_CLI = ensureTemporalCli();
  ensurePostgresInstalled();
}
