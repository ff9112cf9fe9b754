import { loadConfig } from '../../infra/config';
import { CACHE_SHARE, CACHED_WORKFLOW_KIB, WORKER_BASE_MIB, workflowCacheSize, type MemoryFacts } from '../../infra/workflow-cache';

const machine: MemoryFacts = { totalMiB: 24_000, heapLimitMiB: 4_144 };
const fits = (memoryMiB: number) => Math.floor(((memoryMiB - WORKER_BASE_MIB) * CACHE_SHARE * 1024) / CACHED_WORKFLOW_KIB);

test('the cache is sized from WORKER_MEMORY_MB, else the container limit, else the machine, never past the V8 heap limit', () => {
  expect(workflowCacheSize({ memoryMiB: 1024 }, machine)).toEqual({ maxCachedWorkflows: fits(1024), from: 'WORKER_MEMORY_MB', memoryMiB: 1024 });
  expect(workflowCacheSize({}, { ...machine, constrainedMiB: 2048 })).toEqual({ maxCachedWorkflows: fits(2048), from: 'container limit', memoryMiB: 2048 });
  expect(workflowCacheSize({}, { totalMiB: 2048, heapLimitMiB: 4144 })).toEqual({ maxCachedWorkflows: fits(2048), from: 'machine memory', memoryMiB: 2048 });
  expect(workflowCacheSize({ memoryMiB: 16_000 }, machine)).toEqual({ maxCachedWorkflows: fits(4144), from: 'V8 heap limit', memoryMiB: 4144 });
  // Given no memory of its own, a worker takes half the heap limit: it shares the machine.
  expect(workflowCacheSize({}, machine)).toEqual({ maxCachedWorkflows: fits(2072), from: 'V8 heap limit', memoryMiB: 2072 });
});

test('WORKER_MAX_CACHED_WORKFLOWS overrides the memory; a budget below the base still keeps the SDK minimum', () => {
  expect(workflowCacheSize({ maxCachedWorkflows: 0, memoryMiB: 1024 }, machine)).toEqual({ maxCachedWorkflows: 0, from: 'WORKER_MAX_CACHED_WORKFLOWS' });
  expect(workflowCacheSize({}, { totalMiB: 300, heapLimitMiB: 4144 }).maxCachedWorkflows).toBe(2);
});

test('the two variables are validated by name', () => {
  expect(loadConfig({}).workflowCache).toEqual({});
  expect(loadConfig({ WORKER_MEMORY_MB: '2048', WORKER_MAX_CACHED_WORKFLOWS: '500' }).workflowCache).toEqual({ memoryMiB: 2048, maxCachedWorkflows: 500 });
  expect(() => loadConfig({ WORKER_MEMORY_MB: '1.5GB' })).toThrow('WORKER_MEMORY_MB: must be a whole number of MiB, e.g. 1024');
  expect(() => loadConfig({ WORKER_MEMORY_MB: '256' })).toThrow(`WORKER_MEMORY_MB: must be at least ${WORKER_BASE_MIB + 100}`);
  expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow('WORKER_MAX_CACHED_WORKFLOWS: must be 0 (no cache) or at least 2');
  expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '-3' })).toThrow('WORKER_MAX_CACHED_WORKFLOWS:');
});
