import { closeWindow, expiresBeforeDigest, initialDigestState, routeItem, windowEndsAt, type DigestItem } from '../../domain/human-tasks/digest';
import { encodedBytes } from '../../domain/search-attribute-limits';
import { approverSearchValue } from '../../domain/human-tasks/approval-state';
import { loadConfig } from '../../infra/config';

const ari = { name: 'Ari', email: 'ari@example.org' };
const item = (n: number, reason: DigestItem['reason'] = 'assigned'): DigestItem => ({
  deliveryKey: `task-${n}/${reason}`,
  reason,
  taskId: `task-${n}`,
  taskKind: 'partner-approval',
  approver: ari,
  partnershipTitle: 'Green jobs',
  summary: `Approve partner ${n}`,
  details: [],
  requestedBy: 'Mona',
  expiresAt: '2030-01-01T00:00:00.000Z',
});

test('the first items of a window go out one by one, the rest wait for the digest; a repeated signal counts once', () => {
  const s = initialDigestState(ari, { after: 2, windowMs: 1000 });
  expect([1, 2, 3, 4].map((n) => routeItem(s, item(n), 100))).toEqual(['send-now', 'send-now', 'collect', 'collect']);
  expect(routeItem(s, item(3), 150)).toBe('duplicate');
  expect(windowEndsAt(s)).toBe(1100);
  expect(closeWindow(s, 1100).map((i) => i.taskId)).toEqual(['task-3', 'task-4']);
  expect(s).toMatchObject({ pending: [], sentInWindow: 0, windowStartedAt: undefined, digestsSent: 1 });
});

test('a reminder of a task that was in a digest joins the next digest, even at the start of a new window', () => {
  const s = initialDigestState(ari, { after: 1, windowMs: 1000 });
  routeItem(s, item(1), 0);
  routeItem(s, item(2), 0);
  closeWindow(s, 1000);
  expect(routeItem(s, item(2, 'reminder'), 2000)).toBe('collect');
  expect(routeItem(s, item(1, 'reminder'), 2000)).toBe('send-now');
  expect(s.pending.map((i) => `${i.taskId}/${i.reason}`)).toEqual(['task-2/reminder']);
});

test('tasks past their deadline are forgotten when a window closes (the carried state stays bounded)', () => {
  const s = initialDigestState(ari, { after: 0 + 1, windowMs: 1000 });
  routeItem(s, item(1), 0);
  routeItem(s, { ...item(2), expiresAt: '2000-01-01T00:00:00.000Z' }, 0);
  closeWindow(s, Date.parse('2020-01-01'));
  expect(s.digested).toEqual({});
});

test('the approvers attribute stays under the search attribute limit, keeping the latest assigned', () => {
  const long = (n: number) => ({ name: `P${n}`, email: `${'x'.repeat(240)}${n}@example.org` });
  const value = approverSearchValue(Array.from({ length: 10 }, (_, i) => long(i)));
  expect(encodedBytes(value)).toBeLessThanOrEqual(2048);
  expect(value.length).toBeLessThan(10);
  expect(value.at(-1)).toBe(long(9).email);
});

test('digest settings come from the environment, with messages a person can act on', () => {
  expect(loadConfig({}).digest).toEqual({ after: 5, windowMs: 86_400_000 });
  expect(loadConfig({ DIGEST_AFTER: '0', DIGEST_WINDOW: '12 hours' }).digest).toEqual({ after: 0, windowMs: 43_200_000 });
  expect(() => loadConfig({ DIGEST_WINDOW: 'soon' })).toThrow(/DIGEST_WINDOW: must be a duration/);
  expect(() => loadConfig({ DIGEST_AFTER: '-1' })).toThrow(/DIGEST_AFTER/);
});

describe('a task that would expire before the digest goes out is sent at once (issue 21)', () => {
  const DAY = 86_400_000;
  const expiring = (n: number, at: number, reason: DigestItem['reason'] = 'assigned'): DigestItem => ({ ...item(n, reason), expiresAt: new Date(at).toISOString() });

  test('with the defaults (5 one by one, a one-day window) the 6th task of the day, due in 2 hours, is not held for the window', () => {
    const s = initialDigestState(ari, { after: 5, windowMs: DAY });
    const t0 = Date.parse('2026-12-07T08:00:00Z');
    expect([1, 2, 3, 4, 5].map((n) => routeItem(s, item(n), t0 + n))).toEqual(Array(5).fill('send-now'));
    const noon = t0 + 4 * 3_600_000;
    expect(routeItem(s, expiring(6, noon + 2 * 3_600_000), noon)).toBe('send-now');
    // One that outlives the window still waits for the digest.
    expect(routeItem(s, expiring(7, t0 + 2 * DAY), noon)).toBe('collect');
    expect(s.pending.map((p) => p.taskId)).toEqual(['task-7']);
  });

  test('a digested task whose reminder comes when its deadline is nearer than the digest goes out on its own, and leaves the digest', () => {
    const s = initialDigestState(ari, { after: 1, windowMs: DAY });
    const t0 = Date.parse('2026-12-07T08:00:00Z');
    routeItem(s, item(1), t0);
    expect(routeItem(s, expiring(2, t0 + 3 * DAY), t0)).toBe('collect');
    expect(routeItem(s, expiring(2, t0 + 3 * DAY, 'reminder'), t0 + DAY - 1)).toBe('collect');
    closeWindow(s, t0 + DAY);
    // The next window would end after the deadline: the reminder is sent now, not in the digest.
    expect(routeItem(s, expiring(2, t0 + 3 * DAY, 'escalated'), t0 + 2.5 * DAY)).toBe('send-now');
    expect(s.pending).toEqual([]);
  });

  test('a task due exactly when the digest goes out is sent at once (the digest would arrive as it closes)', () => {
    const s = initialDigestState(ari, { after: 0 + 1, windowMs: 1000 });
    routeItem(s, item(1), 0);
    expect(expiresBeforeDigest(s, expiring(2, 1000), 10)).toBe(true);
    expect(routeItem(s, expiring(2, 1000), 10)).toBe('send-now');
  });

  test('digests recorded before the rule (sendExpiringAtOnce: false) keep collecting, so they replay as they ran', () => {
    const s = initialDigestState(ari, { after: 1, windowMs: DAY });
    routeItem(s, item(1), 0);
    expect(routeItem(s, expiring(2, 1000), 0, { sendExpiringAtOnce: false })).toBe('collect');
  });
});
