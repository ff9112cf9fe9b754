import { signature } from '../../infra/signature';
import { createTaskToken, verifyTaskToken, verifyTaskTokenOfKind } from '../../infra/task-token';

const SECRET = 'unit-secret-0123456789abcdef';
const claims = { taskId: 'msp-x.c1.initiating.task-1', email: 'ari@example.org', exp: Date.now() + 60_000 };

test('a signed token verifies and returns its claims', () => {
  expect(verifyTaskToken(SECRET, createTaskToken(SECRET, claims))).toEqual({ ...claims, kind: 'approval' });
  const onboarding = createTaskToken(SECRET, { ...claims, kind: 'onboarding' });
  expect(verifyTaskToken(SECRET, onboarding).kind).toBe('onboarding');
  expect(() => verifyTaskTokenOfKind(SECRET, onboarding, 'approval')).toThrow(/refusals:link.wrongKind/);
});

test('forged, tampered, malformed and expired tokens are refused with a reason', () => {
  const token = createTaskToken(SECRET, claims);
  // Signed with a secret that is not on the ring: retired, as far as this service can tell.
  expect(() => verifyTaskToken('another-secret-0123456789', token)).toThrow(expect.objectContaining({ kind: 'Expired', code: 'refusals:link.keyRetired' }));
  const [payload, sig] = token.split('.');
  const otherPayload = Buffer.from(JSON.stringify({ t: claims.taskId, a: 'mallory@example.org', e: claims.exp })).toString('base64url');
  expect(() => verifyTaskToken(SECRET, `${otherPayload}.${sig}`)).toThrow(/refusals:link.forged/);
  expect(() => verifyTaskToken(SECRET, payload)).toThrow(/refusals:link.malformed/);
  const expired = createTaskToken(SECRET, { ...claims, exp: Date.now() - 1 });
  expect(() => verifyTaskToken(SECRET, expired)).toThrow(expect.objectContaining({ kind: 'Expired' }));
});

test('a key ring: links signed with a previous secret keep working until they expire; a retired secret is named as such', () => {
  const OLD = 'old-secret-0123456789abcdef';
  const NEW = 'new-secret-0123456789abcdef';
  const fromOld = createTaskToken(OLD, claims);
  // Rotation: the new secret first, the old one kept while its links live.
  expect(verifyTaskToken([NEW, OLD], fromOld)).toMatchObject({ taskId: claims.taskId });
  const fromNew = createTaskToken([NEW, OLD], claims);
  expect(verifyTaskToken(NEW, fromNew)).toMatchObject({ email: claims.email });
  // Once the old secret leaves the ring, its links say they were signed with a retired key.
  expect(() => verifyTaskToken([NEW], fromOld)).toThrow(expect.objectContaining({ kind: 'Expired', code: 'refusals:link.keyRetired' }));
  // A tampered link signed with a secret still on the ring is refused as forged.
  const [payload] = fromNew.split('.');
  expect(() => verifyTaskToken([NEW, OLD], `${payload}.${createTaskToken(OLD, claims).split('.')[1]}`)).toThrow(expect.objectContaining({ kind: 'Forbidden' }));
});

test('links from before key ids (no key id in them) are checked against every secret on the ring', () => {
  const OLD = 'old-secret-0123456789abcdef';
  const legacyPayload = Buffer.from(JSON.stringify({ t: claims.taskId, a: claims.email, e: claims.exp })).toString('base64url');
  const legacy = `${legacyPayload}.${signature(OLD, legacyPayload)}`;
  expect(verifyTaskToken(['new-secret-0123456789abcdef', OLD], legacy)).toMatchObject({ taskId: claims.taskId });
  expect(() => verifyTaskToken(['new-secret-0123456789abcdef'], legacy)).toThrow(expect.objectContaining({ kind: 'Forbidden' }));
});
