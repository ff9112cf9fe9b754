import { watchTemporal } from '../../worker/temporal-watch';

/** The worker's watch on its Temporal server (worker/temporal-watch.ts), with a probe the test controls. */
function harness(answers: () => boolean) {
  const lines: Array<{ level: string; msg: string }> = [];
  const log = (level: string) => (_obj: unknown, msg?: string) => void lines.push({ level, msg: msg ?? '' });
  const gone: string[] = [];
  const stop = watchTemporal({
    probe: async () => {
      if (!answers()) throw new Error('tcp connect error');
    },
    exitAfterMs: 300,
    onGone: (reason) => gone.push(reason),
    logger: { info: log('info'), warn: log('warn'), error: log('error') } as never,
    everyMs: 50,
    probeTimeoutMs: 100,
  });
  return { lines, gone, stop };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a short outage: one line when the server goes, one when it is back, no exit', async () => {
  let up = false;
  const h = harness(() => up);
  await wait(200);
  up = true;
  await wait(600);
  h.stop();
  expect(h.gone).toEqual([]);
  expect(h.lines.map((l) => l.msg)).toEqual([expect.stringMatching(/^Temporal server not reachable/), 'Temporal server reachable again']);
});

test('the server stays away: a line saying why, then one call to stop the process', async () => {
  const h = harness(() => false);
  await wait(800);
  h.stop();
  expect(h.gone).toEqual([expect.stringMatching(/^Temporal server unreachable for \d+ s$/)]);
  expect(h.lines.at(-1)).toEqual({ level: 'error', msg: expect.stringMatching(/exiting so that a supervisor restarts the worker$/) });
});

test('a probe that never answers counts as the server gone', async () => {
  const lines: string[] = [];
  const gone: string[] = [];
  const stop = watchTemporal({
    probe: () => new Promise(() => undefined),
    exitAfterMs: 150,
    onGone: (reason) => gone.push(reason),
    logger: { info: () => undefined, warn: (_o: unknown, m?: string) => void lines.push(m ?? ''), error: () => undefined } as never,
    everyMs: 20,
    probeTimeoutMs: 60,
  });
  await wait(600);
  stop();
  expect(gone).toHaveLength(1);
  expect(lines[0]).toMatch(/not reachable/);
});
