import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The Temporal server and its schema tool, built from the Go module proxy
 * (`go.temporal.io/server/cmd/server` and `cmd/tools/sql`) at the version
 * `docker-compose.yml` pins, so the cluster on this machine runs what the
 * compose stack runs. Built once per version into a cache folder outside the
 * repository (`~/.cache/msp-orchestrator/temporal-<version>/bin`, or under
 * `$MSP_CACHE_DIR`) and reused; nothing is written into tracked files.
 */
const ROOT = resolve(__dirname, '../..');

const versionSchema = z
  .string()
  .regex(/^\d+\.\d+\.\d+$/, 'a Temporal server version is three numbers, like 1.28.1 (see the temporalio/server image in docker-compose.yml)');

/** The version of `temporalio/server:<version>` in docker-compose.yml. */
export function pinnedTemporalVersion(composeFile = join(ROOT, 'docker-compose.yml')): string {
  const match = /image:\s*temporalio\/server:(\S+)/.exec(readFileSync(composeFile, 'utf8'));
  if (!match) throw new Error(`${composeFile} names no temporalio/server image; the cluster builds the version pinned there`);
  return versionSchema.parse(match[1]);
}

export function cacheRoot(): string {
  return process.env.MSP_CACHE_DIR ? resolve(process.env.MSP_CACHE_DIR) : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'msp-orchestrator');
}

export interface TemporalBinaries {
  version: string;
  server: string;
  sqlTool: string;
  /** Seconds the build took when this call built it; undefined when it came from the cache. */
  builtInSeconds?: number;
}

function works(binary: string): boolean {
  return existsSync(binary) && spawnSync(binary, ['--help'], { encoding: 'utf8' }).status === 0;
}

/**
 * The binaries for `version`, built if the cache has none. The build runs at
 * low priority (`nice -n 15`: the machine is shared) and takes GOFLAGS from
 * the environment (`GOFLAGS=-p=1` to use one core). Go's own module and
 * build caches (about 3 GB) can be deleted afterwards; the binaries stay.
 */
export async function ensureTemporalServer(version = pinnedTemporalVersion(), log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<TemporalBinaries> {
  versionSchema.parse(version);
  const dir = join(cacheRoot(), `temporal-${version}`);
  const binaries = { version, server: join(dir, 'bin', 'temporal-server'), sqlTool: join(dir, 'bin', 'temporal-sql-tool') };
  if (works(binaries.server) && works(binaries.sqlTool)) return binaries;
  if (spawnSync('go', ['version']).status !== 0) throw new Error('Go is needed to build the Temporal server (go.temporal.io/server) and was not found on PATH');

  // Build into a fresh folder and move the binaries in only when both exist, so an interrupted build is never taken for a finished one.
  const staging = join(dir, `build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  const modules = [`go.temporal.io/server/cmd/server@v${version}`, `go.temporal.io/server/cmd/tools/sql@v${version}`];
  log(`[temporal] building Temporal server ${version} from the Go module proxy into ${dir} (once per version; 6–15 minutes on 2 cores)`);
  const code = await new Promise<number | null>((done) => {
    const child = spawn('nice', ['-n', '15', 'go', 'install', '-trimpath', '-ldflags=-s -w', ...modules], {
      env: { ...process.env, GOBIN: staging },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', done);
  });
  if (code !== 0) throw new Error(`go install ${modules.join(' ')} failed (exit ${code}); its output is above`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  renameSync(join(staging, 'sql'), binaries.sqlTool);
  renameSync(join(staging, 'server'), binaries.server);
  rmSync(staging, { recursive: true, force: true });
  const builtInSeconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(join(dir, 'build.json'), JSON.stringify({ version, builtInSeconds, builtAt: new Date().toISOString(), go: spawnSync('go', ['version'], { encoding: 'utf8' }).stdout.trim() }, null, 2));
  log(`[temporal] built in ${builtInSeconds} s`);
  return { ...binaries, builtInSeconds };
}

/** The version of `temporalio/ui:<version>` in docker-compose.yml. */
export function pinnedUiVersion(composeFile = join(ROOT, 'docker-compose.yml')): string {
  const match = /image:\s*temporalio\/ui:(\S+)/.exec(readFileSync(composeFile, 'utf8'));
  if (!match) throw new Error(`${composeFile} names no temporalio/ui image; the cluster builds the Web UI version pinned there`);
  return versionSchema.parse(match[1]);
}

function run(command: string, args: string[], cwd?: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('nice', ['-n', '15', command, ...args], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}); its output is above`))));
  });
}

/**
 * Builds `pkg` of a Go module from its source, downloaded from the Go module
 * proxy with `go mod download`, in a scratch copy, into `binary`. For modules
 * `go install` refuses because their go.mod has replace or exclude directives
 * (the Web UI server, Docker Compose).
 */
export async function buildFromModuleSource(module: string, version: string, pkg: string, binary: string): Promise<void> {
  const download = spawnSync('go', ['mod', 'download', '-json', `${module}@v${version}`], { encoding: 'utf8', cwd: tmpdir(), env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const source = z.object({ Dir: z.string() }).safeParse(JSON.parse(download.stdout || '{}'));
  if (download.status !== 0 || !source.success) throw new Error(`go mod download ${module}@v${version} failed: ${download.stdout}${download.stderr}`);
  // The module cache is read-only; the build needs a writable copy of the source.
  const scratch = mkdtempSync(join(tmpdir(), 'go-src-'));
  try {
    cpSync(source.data.Dir, scratch, { recursive: true });
    chmodSync(scratch, 0o755);
    spawnSync('chmod', ['-R', 'u+w', scratch]);
    mkdirSync(dirname(binary), { recursive: true });
    await run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', `${binary}.partial`, pkg], scratch);
    renameSync(`${binary}.partial`, binary);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The Temporal Web UI server (`github.com/temporalio/ui-server/v2`, which
 * carries the built UI in its module) at the version docker-compose.yml pins,
 * built from its module source (its go.mod has replace directives). Cached
 * like the server.
 */
export async function ensureTemporalUi(version = pinnedUiVersion(), log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<{ version: string; server: string; builtInSeconds?: number }> {
  versionSchema.parse(version);
  const dir = join(cacheRoot(), `temporal-ui-${version}`);
  const server = join(dir, 'bin', 'temporal-ui-server');
  if (works(server)) return { version, server };
  const started = Date.now();
  log(`[temporal-ui] building the Temporal Web UI ${version} from the Go module proxy into ${dir} (once per version)`);
  await buildFromModuleSource('github.com/temporalio/ui-server/v2', version, './cmd/server', server);
  const builtInSeconds = Math.round((Date.now() - started) / 1000);
  log(`[temporal-ui] built in ${builtInSeconds} s`);
  return { version, server, builtInSeconds };
}

/** `tsx scripts/cluster/temporal-build.ts`: build (or find) the binaries and print where they are. */
if (require.main === module) {
  ensureTemporalServer().then(
    (b) => process.stdout.write(`${JSON.stringify(b, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
