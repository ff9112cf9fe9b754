import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Configuration files for a Temporal cluster on PostgreSQL on one machine.
 * Every process gets its own file (JSON, which the server's YAML loader reads
 * as is) because processes of the same service on one host need their own
 * ports. Membership ports are chosen below 32768: the server records them in
 * PostgreSQL's `cluster_membership.rpc_port`, a smallint, and a port above
 * 32767 fails there, so an ordinary free-port helper (which hands out ports
 * from the kernel's ephemeral range, 32768 and up) cannot pick them.
 */

// Ports below 32768 (see above), from the helper every local service shares.
import { freeLowPort } from '../ports';
export { freeLowPort };

export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';

/** One server process: which services it runs and, for a second frontend, its own frontend ports. */
export interface TemporalProcessSpec {
  name: string;
  services: TemporalService[];
  configFile: string;
  /** The frontend's gRPC address when this process runs a frontend. */
  frontendAddress?: string;
  metricsPort: number;
}

export interface TemporalLayout {
  processes: TemporalProcessSpec[];
  /** Every frontend's gRPC address, the first one first. */
  frontends: string[];
  dynamicConfigFile: string;
}

export interface TemporalConfigOptions {
  dir: string;
  postgresPort: number;
  /** `one`: a single process running every service; `split`: history, matching, two frontends and the internal worker, each its own process. */
  services: 'one' | 'split';
  /** Visibility calls per second per frontend (list and count); the server's default is 10. */
  visibilityRps: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * Dynamic config, in place before the server starts (it reads the file at
 * start and every 10 s). The visibility limit is per namespace and frontend;
 * at the default of 10 per second each `GET /api/partnerships` (a list and a
 * count) uses two of them, and 60 lists at once took 16.5 s of RpsLimit
 * retries. Keys checked against the pinned server's `dynamicconfig` package
 * (and by `temporal-server validate-dynamic-config` at start).
 */
export function dynamicConfig(visibilityRps: number, frontends: number): Record<string, Array<{ value: unknown; constraints?: Record<string, unknown> }>> {
  return {
    'frontend.namespaceRPS.visibility': [{ value: visibilityRps }],
    // Cluster-wide; when set it replaces the per-frontend figure, divided among the frontends.
    'frontend.globalNamespaceRPS.visibility': [{ value: visibilityRps * frontends }],
    'system.enableEagerWorkflowStart': [{ value: true }],
  };
}

export async function writeTemporalConfig(options: TemporalConfigOptions): Promise<TemporalLayout> {
  const configDir = join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  const taken = new Set<number>();
  const port = () => freeLowPort(taken);
  const rpc = async (http: boolean) => ({
    grpcPort: await port(),
    membershipPort: await port(),
    bindOnIP: '127.0.0.1',
    ...(http ? { httpPort: await port() } : {}),
  });
  const shared = { history: await rpc(false), matching: await rpc(false), worker: await rpc(false) };
  const frontendRpcs = [await rpc(true), ...(options.services === 'split' ? [await rpc(true)] : [])];
  const frontends = frontendRpcs.map((f) => `127.0.0.1:${f.grpcPort}`);
  const dynamicConfigFile = join(configDir, 'dynamic.yaml');
  writeFileSync(dynamicConfigFile, JSON.stringify(dynamicConfig(options.visibilityRps, frontends.length), null, 2));

  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${options.postgresPort}`,
      connectProtocol: 'tcp',
      user: 'postgres',
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const configFor = (frontend: (typeof frontendRpcs)[number], metricsPort: number) => ({
    log: { stdout: true, level: options.logLevel ?? 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      // Fixed for the life of a cluster. 4 suits one small machine; production clusters use 512 or more.
      numHistoryShards: 4,
      datastores: { default: sql('temporal', 20), visibility: sql('temporal_visibility', 10) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${metricsPort}` } },
    },
    services: {
      frontend: { rpc: frontend },
      history: { rpc: shared.history },
      matching: { rpc: shared.matching },
      worker: { rpc: shared.worker },
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontends[0] } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    // The internal worker service (system workflows) reaches the cluster through a frontend.
    publicClient: { hostPort: frontends[0] },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  });

  const specs: Array<{ name: string; services: TemporalService[]; frontend: number }> =
    options.services === 'one'
      ? [{ name: 'temporal', services: ['frontend', 'history', 'matching', 'worker'], frontend: 0 }]
      : [
          { name: 'history', services: ['history'], frontend: 0 },
          { name: 'matching', services: ['matching'], frontend: 0 },
          { name: 'frontend-1', services: ['frontend'], frontend: 0 },
          { name: 'frontend-2', services: ['frontend'], frontend: 1 },
          { name: 'temporal-worker', services: ['worker'], frontend: 0 },
        ];
  const processes: TemporalProcessSpec[] = [];
  for (const spec of specs) {
    const metricsPort = await port();
    const configFile = join(configDir, `${spec.name}.yaml`);
    writeFileSync(configFile, JSON.stringify(configFor(frontendRpcs[spec.frontend], metricsPort), null, 2));
    processes.push({
      name: spec.name,
      services: spec.services,
      configFile,
      metricsPort,
      frontendAddress: spec.services.includes('frontend') ? frontends[spec.frontend] : undefined,
    });
  }
  return { processes, frontends, dynamicConfigFile };
}
