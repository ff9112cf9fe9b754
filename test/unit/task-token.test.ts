import { createTaskToken, verifyTaskToken, verifyTaskTokenOfKind } from '../../infra/task-token';

const SECRET = 'unit-secret-0123456789abcdef';
const claims = { taskId: 'msp-x.c1.initiating.task-1', email: 'ari@example.org', exp: Date.now() + 60_000 };

test('a signed token verifies and returns its claims', () => {
  expect(verifyTaskToken(SECRET, createTaskToken(SECRET, claims))).toEqual({ ...claims, kind: 'approval' });
  const onboarding = createTaskToken(SECRET, { ...claims, kind: 'onboarding' });
  expect(verifyTaskToken(SECRET, onboarding).kind).toBe('onboarding');
  expect(() => verifyTaskTokenOfKind(SECRET, onboarding, 'approval')).toThrow(/another kind/);
});

test('forged, tampered, malformed and expired tokens are refused with a reason', () => {
  const token = createTaskToken(SECRET, claims);
  expect(() => verifyTaskToken('another-secret-0123456789', token)).toThrow(expect.objectContaining({ kind: 'Forbidden' }));
  const [payload, sig] = token.split('.');
  const otherPayload = Buffer.from(JSON.stringify({ t: claims.taskId, a: 'mallory@example.org', e: claims.exp })).toString('base64url');
  expect(() => verifyTaskToken(SECRET, `${otherPayload}.${sig}`)).toThrow(/signature/);
  expect(() => verifyTaskToken(SECRET, payload)).toThrow(/malformed/);
  const expired = createTaskToken(SECRET, { ...claims, exp: Date.now() - 1 });
  expect(() => verifyTaskToken(SECRET, expired)).toThrow(expect.objectContaining({ kind: 'Expired' }));
});
