import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';

/**
 * Our namespace and search attributes on a fresh cluster, with retries and a
 * final check. Right after a namespace is registered the frontends do not
 * know it yet (their namespace cache refreshes every few seconds), and adding
 * a search attribute answers "Namespace default is not found" for about a
 * second. docker-compose.yml used to hide that failure with `|| true` and the
 * stack came up without them, so every filter failed. Here each step is
 * retried until the server confirms it, and the end checks that every
 * attribute of `ALL_SEARCH_ATTRIBUTES` exists with its type, on every
 * frontend, or throws naming what is missing.
 */
const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
};

/** gRPC's code for ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;

async function retry<T>(what: string, timeoutMs: number, attempt: () => Promise<T>, log: (line: string) => void): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (Date.now() > deadline) throw new Error(`${what} did not succeed within ${timeoutMs / 1000} s; last error: ${message}`);
      if (n === 1 || n % 10 === 0) log(`[temporal] ${what}: ${message}; trying again`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 200 * n)));
    }
  }
}

/** Which of our search attributes the namespace lacks (or has with another type), as seen by this frontend. */
export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return ALL_SEARCH_ATTRIBUTES.filter((key) => customAttributes?.[key.name] !== INDEXED[key.type]).map((key) => `${key.name} (${key.type})`);
}

export async function ensureNamespaceAndSearchAttributes(
  frontends: string[],
  namespace: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  timeoutMs = 120_000,
): Promise<void> {
  const connection = await retry(`connecting to ${frontends[0]}`, timeoutMs, () => Connection.connect({ address: frontends[0], connectTimeout: 2000 }), log);
  try {
    await retry(`registering namespace ${namespace}`, timeoutMs, async () => {
      try {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
      } catch (error) {
        if (!(isGrpcServiceError(error) && error.code === ALREADY_EXISTS)) throw error;
      }
    }, log);
    await retry(`adding search attributes to ${namespace}`, timeoutMs, async () => {
      const missing = await missingSearchAttributes(connection, namespace);
      if (missing.length === 0) return;
      const searchAttributes = Object.fromEntries(
        ALL_SEARCH_ATTRIBUTES.filter((key) => missing.includes(`${key.name} (${key.type})`)).map((key) => [key.name, INDEXED[key.type]]),
      );
      try {
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
      } catch (error) {
        // Another caller (or an earlier attempt whose answer was lost) added them: the check below decides.
        if (!(isGrpcServiceError(error) && error.code === ALREADY_EXISTS)) throw error;
      }
      const still = await missingSearchAttributes(connection, namespace);
      if (still.length > 0) throw new Error(`still missing: ${still.join(', ')}`);
    }, log);
  } finally {
    await connection.close();
  }
  // The final check, on every frontend: each has its own namespace cache, and a client may talk to any of them.
  for (const address of frontends) {
    await retry(`checking search attributes at ${address}`, timeoutMs, async () => {
      const c = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        const missing = await missingSearchAttributes(c, namespace);
        if (missing.length > 0) throw new Error(`missing on ${address}: ${missing.join(', ')}`);
        await c.workflowService.describeNamespace({ namespace });
      } finally {
        await c.close();
      }
    }, log);
  }
}
