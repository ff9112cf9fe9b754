import { ensureTemporalCli } from '../../infra/temporal-cli';

/** Runs once before all test files: find (or install) the Temporal CLI and hand its path to the workers. */
export default function globalSetup(): void {
  process.env.TEMPORAL_CLI = ensureTemporalCli();
}
