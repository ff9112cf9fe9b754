import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerArgs } from './dev-server-args';

/**
 * Starting and stopping the parts of the service as real processes: used by
 * `npm run dev`, the end-to-end and fault tests, and the benchmarks, so all
 * three run the product the same way.
 */
const ROOT = resolve(__dirname, '..');

export interface ManagedProcess {
  name: string;
  proc: ChildProcess;
  /** Everything the process printed, for assertions and for failure reports. */
  output: string[];
  /** What it printed on stderr alone: the first place to look when it dies. */
  errors: string[];
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnOptions {
  /**
   * Its own process group: a terminal's Ctrl-C (SIGINT to the foreground group)
   * then reaches only the launcher, which stops its children in order.
   */
  ownProcessGroup?: boolean;
}

export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onOutput?: (text: string) => void,
  { ownProcessGroup = false }: SpawnOptions = {},
): ManagedProcess {
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: ownProcessGroup });
  const output: string[] = [];
  const errors: string[] = [];
  const keep = (into?: string[]) => (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    into?.push(text);
    onOutput?.(text);
  };
  proc.stdout?.on('data', keep());
  proc.stderr?.on('data', keep(errors));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    name,
    proc,
    output,
    errors,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/**
 * One of our entry points (worker/main.ts, api/main.ts). Node loads tsx as a
 * hook in the same process, unlike the tsx CLI which forks a child: a signal
 * sent here (SIGKILL included) reaches the service itself. It stops when this
 * process goes, however abruptly (EXIT_WITH_PARENT, infra/shutdown.ts): a test
 * run or `npm run dev` killed outright leaves no worker behind.
 */
export function spawnEntry(name: string, entry: string, env: NodeJS.ProcessEnv, onOutput?: (text: string) => void, options?: SpawnOptions): ManagedProcess {
  // `npm run bench -- --profile DIR`: V8 CPU profiles (one per thread, written at a clean exit); Node refuses --cpu-prof in NODE_OPTIONS.
  const profile = env.MSP_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(env.MSP_CPU_PROFILE_DIR, name)}`] : [];
  return spawnManaged(name, process.execPath, [...profile, '--import', 'tsx', entry], { ...env, EXIT_WITH_PARENT: '1' }, onOutput, options);
}

/** The Temporal dev server with its SQLite file: stopping and starting it again keeps every workflow. */
export function spawnTemporalDevServer(
  cli: string,
  address: string,
  dbFile: string,
  uiPort: number,
  onOutput?: (text: string) => void,
  options?: SpawnOptions,
): ManagedProcess {
  return spawnManaged('temporal', cli, devServerArgs(address, dbFile, uiPort), process.env, onOutput, options);
}

/**
 * The development inbox: MailDev (npm \`maildev\`), an SMTP server and a web
 * view of what it received. Mail is kept as .eml files in \`mailDir\`, so it
 * survives restarts with the same ids. Both ports listen on 127.0.0.1 only.
 */
export function spawnMailInbox(smtpPort: number, webPort: number, mailDir: string, onOutput?: (text: string) => void, options?: SpawnOptions): ManagedProcess {
  // The package's bin (an ES module with a node shebang); its "exports" do not expose a path to resolve.
  const bin = join(ROOT, 'node_modules', '.bin', 'maildev');
  const args = ['--smtp', String(smtpPort), '--ip', '127.0.0.1', '--web', String(webPort), '--web-ip', '127.0.0.1', '--mail-directory', mailDir];
  return spawnManaged('mail', bin, args, process.env, onOutput, options);
}

export async function waitForTemporal(address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await c.workflowService.getSystemInfo({});
        return;
      } finally {
        await c.close();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal did not answer at ${address} within ${timeoutMs / 1000} s`);
}

/** Resident memory of a live process in bytes (Linux /proc), or undefined once it has gone. */
export function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time a live process has used so far, in milliseconds (Linux /proc; clock ticks of 10 ms). */
export function cpuMillis(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * CPU time, in milliseconds, of a process and every process below it that is
 * still alive (e.g. the worker and the Chromium it drives). Children that
 * ended and were waited for are in the parent's cutime; those are not counted,
 * which is fine for the long-lived trees the bench watches.
 */
export function treeCpuMillis(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop()!;
    total += cpuMillis(next);
    stack.push(...(children.get(next) ?? []));
  }
  return total;
}

/**
 * Waits until the processes (each with its children) together use less than `threshold` of one core
 * over a two-second window: work queued behind the last request (workflow
 * tasks, activities) has drained. Gives up after `timeoutMs`.
 */
export async function waitForQuiet(pids: Array<number | undefined>, threshold = 0.05, timeoutMs = 300_000): Promise<number> {
  const started = Date.now();
  // Whole trees: the worker's Chromium finishing a document counts as work left.
  const total = () => pids.reduce((sum: number, pid) => sum + treeCpuMillis(pid), 0);
  for (;;) {
    const before = total();
    await new Promise((r) => setTimeout(r, 2000));
    const used = total() - before;
    // Less than before: a child ended and took its count with it; that window tells nothing, look again.
    if ((used >= 0 && used / 2000 < threshold) || Date.now() - started > timeoutMs) return Date.now() - started;
  }
}
