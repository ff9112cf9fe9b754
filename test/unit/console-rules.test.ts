import { redactUrl } from '../../infra/logger';
import { accessTo, actor } from '../../api/console/access';

const mona = { sub: 'mona', name: 'Mona Lind', email: 'mona@example.org' };
const partnership = { id: 'msp-x', title: 'Green jobs', manager: { name: 'Mona Lind', email: 'mona@example.org' }, coManagers: [{ name: 'Kai', email: 'kai@example.org' }] };

test('log lines keep the path but not link tokens, one-time codes or page tokens', () => {
  expect(redactUrl('/tasks/eyJ0Ijo.sig')).toBe('/tasks/[redacted]');
  expect(redactUrl('/invitations/abc.def/agreement')).toBe('/invitations/[redacted]/agreement');
  expect(redactUrl('/console/auth/callback?code=xyz&state=abc&iss=http%3A')).toBe('/console/auth/callback?code=[redacted]&state=[redacted]&iss=http%3A');
  expect(redactUrl('/api/partnerships?phase=initiating&pageToken=aa.bb')).toBe('/api/partnerships?phase=initiating&pageToken=[redacted]');
  expect(redactUrl('/console/partnerships/msp-x')).toBe('/console/partnerships/msp-x');
});

test('managers, co-managers and admins may act; anyone else is told why not', () => {
  expect(accessTo(mona, partnership, [])).toEqual({ allowed: true, as: 'manager' });
  expect(accessTo({ ...mona, email: 'KAI@example.org' }, partnership, [])).toEqual({ allowed: true, as: 'co-manager' });
  expect(accessTo({ ...mona, email: 'ada@example.org' }, partnership, ['ada@example.org'])).toEqual({ allowed: true, as: 'administrator' });
  const refused = accessTo({ ...mona, email: 'sam@example.org' }, partnership, []);
  expect(refused.allowed).toBe(false);
  expect(!refused.allowed && refused.reason).toContain('managed by Mona Lind (mona@example.org) with Kai (kai@example.org)');
});

test('a signed-in person is recorded with name, email and subject, within the 200 characters of `by`', () => {
  expect(actor(mona)).toBe('Mona Lind <mona@example.org> [signed in, sub mona]');
  const long = actor({ ...mona, name: 'N'.repeat(300) });
  expect(long.length).toBeLessThanOrEqual(200);
  expect(long).toMatch(/… <mona@example\.org> \[signed in, sub mona\]$/);
});
