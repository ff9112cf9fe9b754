import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/**
 * How many workflows a worker keeps in its cache (`maxCachedWorkflows`),
 * from the memory it may use. A cached partnership answers its next task or
 * query at once; an evicted one is replayed from its history first. The
 * figures below were measured by `npm run bench -- --cluster` (docs/configuration.md,
 * "Sizing the workflow cache"); change them with a new measurement.
 */

/** Resident memory of a worker that holds no workflow (bundle, SDK runtime, activities): 358–424 MiB measured just after start. */
export const WORKER_BASE_MIB = 400;
/** Resident memory each cached partnership adds, waiting between phases: 431–515 KiB measured on the cluster, 484 on the dev server. */
export const CACHED_WORKFLOW_KIB = 480;
/** Share of the memory above the base given to the cache; the rest is headroom for activities (PDFs) and larger partnerships. */
export const CACHE_SHARE = 0.75;
/** The SDK's smallest cache other than 0 (no cache). */
const MIN_CACHED = 2;
/** Below this a worker cannot hold its base and a useful cache; WORKER_MEMORY_MB is refused. */
export const MIN_WORKER_MEMORY_MIB = WORKER_BASE_MIB + 100;

export interface MemoryFacts {
  /** The process's memory limit from its control group (a container's limit), when there is one. */
  constrainedMiB?: number;
  totalMiB: number;
  /** V8's heap limit (Node sets it from the machine's memory, or `--max-old-space-size`): the cached workflows live in a V8 heap. */
  heapLimitMiB: number;
}

export interface WorkflowCacheSize {
  maxCachedWorkflows: number;
  /** Where the number came from. */
  from: 'WORKER_MAX_CACHED_WORKFLOWS' | 'WORKER_MEMORY_MB' | 'container limit' | 'machine memory' | 'V8 heap limit';
  /** The memory the size was computed from, MiB (absent when the number was given). */
  memoryMiB?: number;
}

const MiB = 2 ** 20;

export function memoryFacts(): MemoryFacts {
  const total = totalmem();
  // Node answers 0, or a huge number, when no control group limits the process.
  const constrained = process.constrainedMemory?.() ?? 0;
  return {
    ...(constrained > 0 && constrained < total ? { constrainedMiB: Math.floor(constrained / MiB) } : {}),
    totalMiB: Math.floor(total / MiB),
    heapLimitMiB: Math.floor(getHeapStatistics().heap_size_limit / MiB),
  };
}

/**
 * The cache size: WORKER_MAX_CACHED_WORKFLOWS when given; otherwise from the
 * worker's memory (WORKER_MEMORY_MB, else its container's limit, else the
 * machine's memory, never more than V8's heap limit, or half of it when the
 * worker was given no memory of its own):
 * (memory − base) × share ÷ the cost of one cached workflow.
 */
export function workflowCacheSize(settings: { maxCachedWorkflows?: number; memoryMiB?: number }, facts: MemoryFacts = memoryFacts()): WorkflowCacheSize {
  if (settings.maxCachedWorkflows !== undefined) return { maxCachedWorkflows: settings.maxCachedWorkflows, from: 'WORKER_MAX_CACHED_WORKFLOWS' };
  const [declaredMiB, declaredFrom]: [number, WorkflowCacheSize['from']] =
    settings.memoryMiB !== undefined
      ? [settings.memoryMiB, 'WORKER_MEMORY_MB']
      : facts.constrainedMiB !== undefined
        ? [facts.constrainedMiB, 'container limit']
        : [facts.totalMiB, 'machine memory'];
  // Given no memory of its own (no WORKER_MEMORY_MB, no container limit), a worker shares the machine with the
  // API, Temporal and a database: it takes at most half of V8's heap limit, close to the SDK's own default.
  const heapMiB = declaredFrom === 'machine memory' ? Math.floor(facts.heapLimitMiB / 2) : facts.heapLimitMiB;
  const [memoryMiB, from] = heapMiB < declaredMiB ? [heapMiB, 'V8 heap limit' as const] : [declaredMiB, declaredFrom];
  const fits = Math.floor((((memoryMiB - WORKER_BASE_MIB) * CACHE_SHARE) * 1024) / CACHED_WORKFLOW_KIB);
  return { maxCachedWorkflows: Math.max(MIN_CACHED, fits), from, memoryMiB };
}
