import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stops matching work at a chosen point until the test releases it, so a fault
 * (a killed process) lands exactly "while an email is being sent" or "while a
 * document is being written" instead of at a lucky moment.
 */
export class Hold<T> {
  readonly seen: T[] = [];
  private release_!: () => void;
  private readonly released = new Promise<void>((r) => (this.release_ = r));
  private arrivedResolve_!: (item: T) => void;
  private readonly firstArrival = new Promise<T>((r) => (this.arrivedResolve_ = r));

  constructor(private readonly match: (item: T) => boolean) {}

  /** Called at the hold point: matching items wait there until release(). */
  async pass(item: T): Promise<void> {
    if (!this.match(item)) return;
    this.seen.push(item);
    this.arrivedResolve_(item);
    await this.released;
  }

  /** Resolves once the first matching item is being held. */
  arrived(timeoutMs = 60_000): Promise<T> {
    return Promise.race([
      this.firstArrival,
      new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`nothing reached the hold within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  }

  release(): void {
    this.release_();
  }
}

export interface HeldRequest {
  method: string;
  path: string;
}

export interface HoldProxy {
  url: string;
  /** From now on, matching requests are forwarded but their answers are held back until release. */
  hold(match: (r: HeldRequest) => boolean): Hold<HeldRequest>;
  /** From now on, matching requests never reach the API: the forwarder answers them with `status` and a JSON error naming it. */
  refuse(match: (r: HeldRequest) => boolean, status: number): void;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * An HTTP forwarder between the worker and the API. A held request has
 * already reached the API (the write happened) while the worker still waits
 * for the answer: the worst moment to die, since the retry repeats the write.
 */
export async function startHoldProxy(target: string): Promise<HoldProxy> {
  let current: Hold<HeldRequest> | undefined;
  let refusal: { match: (r: HeldRequest) => boolean; status: number } | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      if (refusal?.match({ method: req.method ?? 'GET', path: req.url ?? '/' })) {
        res.writeHead(refusal.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `refused by the test's forwarder (${refusal.status})` }));
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : body,
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      await current?.pass({ method: req.method ?? 'GET', path: req.url ?? '/' });
      if (res.destroyed) return; // the caller died while we held its answer
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
      res.end(answer);
    })().catch(() => {
      if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold(match) {
      current = new Hold(match);
      return current;
    },
    refuse(match, status) {
      refusal = { match, status };
    },
    async close() {
      current?.release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
