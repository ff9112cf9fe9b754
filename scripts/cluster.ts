import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startCluster, type Cluster } from './cluster/cluster';

/**
 * `npm run cluster [-- --apis 2 --workers 2 --services split]`: a
 * production-shaped stack on this machine without Docker (see
 * scripts/cluster/cluster.ts), printing where everything is. Ctrl-C stops it
 * in order (APIs, workers, Temporal, PostgreSQL) and removes its folder.
 */
const Options = z.object({
  apis: z.coerce.number({ error: '--apis must be a whole number, e.g. --apis 2' }).int().min(1, { error: '--apis must be at least 1' }).max(8, { error: '--apis: at most 8 on one machine' }),
  workers: z.coerce.number({ error: '--workers must be a whole number, e.g. --workers 2' }).int().min(0, { error: '--workers cannot be negative' }).max(8, { error: '--workers: at most 8 on one machine' }),
  services: z.enum(['one', 'split'], { error: '--services is "one" (one Temporal process) or "split" (history, matching, two frontends, internal worker)' }),
  'api-port': z.coerce.number({ error: '--api-port must be a port number, e.g. 3000' }).int().min(1).max(65535).optional(),
  'ui-port': z.coerce.number({ error: '--ui-port must be a port number, e.g. 8080' }).int().min(1).max(65535),
  'without-ui': z.boolean(),
  verbose: z.boolean(),
});

function parseOptions(argv: string[]): z.infer<typeof Options> {
  const { values } = parseArgs({
    args: argv,
    options: {
      apis: { type: 'string', default: '2' },
      workers: { type: 'string', default: '2' },
      services: { type: 'string', default: 'split' },
      'api-port': { type: 'string' },
      'ui-port': { type: 'string', default: '8080' },
      'without-ui': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const parsed = Options.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('\n'));
  return parsed.data;
}

let cluster: Cluster | undefined;
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (cluster) {
    process.stdout.write('\nstopping: APIs, workers, Temporal, PostgreSQL…\n');
    await cluster.stop();
  }
  process.exit(code);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  cluster = await startCluster({
    apis: options.apis,
    workers: options.workers,
    services: options.services,
    uiPort: options['without-ui'] ? undefined : options['ui-port'],
    apiPorts: options['api-port'] ? Array.from({ length: options.apis }, (_, i) => options['api-port']! + i) : undefined,
    onOutput: options.verbose
      ? (name, text) => process.stdout.write(text.split('\n').filter(Boolean).map((line) => `[${name}] ${line}\n`).join(''))
      : undefined,
  });
  const c = cluster;
  for (const [name, proc] of Object.entries(c.processes)) {
    proc.proc.on('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`[${name}] exited (${signal ?? code}); its last output:\n${proc.output.join('').slice(-2000)}\n`);
      void stop(1);
    });
  }
  const temporal = c.layout.processes.map((p) => `  ${p.name.padEnd(16)} ${p.services.join(', ')}${p.frontendAddress ? ` — gRPC ${p.frontendAddress}` : ''} (metrics http://127.0.0.1:${p.metricsPort}/metrics)`);
  process.stdout.write(
    [
      '',
      `MSP Orchestrator cluster is up (${Math.round((Date.now() - started) / 1000)} s):`,
      ...c.apis.map((a) => `  ${a.name.padEnd(16)} ${a.base}  (OpenAPI ${a.base}/openapi.json)`),
      `  bearer token     ${c.apiKey}`,
      ...c.workerNames.map((w) => `  ${w.padEnd(16)} pid ${c.processes[w].proc.pid}`),
      `Temporal ${c.binaries.version} (${c.binaries.server}):`,
      ...temporal,
      `  namespace        default, search attributes checked; dynamic config ${c.layout.dynamicConfigFile}`,
      `PostgreSQL         ${c.postgres.url()} (Temporal: temporal, temporal_visibility; ours: ${c.databaseUrl})`,
      `Mail               captured on SMTP port ${c.smtpPort} (no web inbox here; npm run dev has MailDev's)`,
      `Temporal Web UI    ${c.uiUrl ?? 'not started (--without-ui)'}`,
      `Everything lives in ${c.dir} and is removed on stop.`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((error: unknown) => {
  process.stderr.write(`cluster failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
