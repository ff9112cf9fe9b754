import { Store } from '../../infra/store/store';

/**
 * A child process for the migration race test: waits until the wall-clock
 * instant it is given (so several processes start their migrations together,
 * whatever their load times), opens the store, writes one row, and exits 0 —
 * or prints the error and exits 1.
 * Usage: tsx test/support/open-store.ts <DATABASE_URL> <epoch ms to start at> <id>
 */
async function main(): Promise<void> {
  const [url, at, id] = process.argv.slice(2);
  if (!url || !at || !id) throw new Error('usage: open-store.ts <DATABASE_URL> <epoch ms> <id>');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(at) - Date.now())));
  const store = await Store.open(url);
  await store.recordMailSent(`<${id}>`, 'race@example.org', 'migration race');
  await store.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
