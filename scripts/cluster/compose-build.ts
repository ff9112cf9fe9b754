import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildFromModuleSource, cacheRoot } from './temporal-build';

/**
 * Docker Compose v2, built from its Go module source
 * (`github.com/docker/compose/v2`, package `./cmd`; `go install` refuses it
 * for the exclude directives in its go.mod) so the cluster suite can check
 * docker-compose.yml with a real `docker compose config` on a machine with no
 * Docker engine: `config` parses, interpolates and validates without one.
 * Cached like the Temporal server, by version.
 */
export const COMPOSE_VERSION = '2.40.3';

export async function ensureCompose(version = COMPOSE_VERSION, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<string> {
  const binary = join(cacheRoot(), `compose-${version}`, 'bin', 'docker-compose');
  if (existsSync(binary) && spawnSync(binary, ['version'], { encoding: 'utf8' }).status === 0) return binary;
  const started = Date.now();
  log(`[compose] building Docker Compose ${version} from the Go module proxy (once per version)`);
  await buildFromModuleSource('github.com/docker/compose/v2', version, './cmd', binary);
  log(`[compose] built in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}
