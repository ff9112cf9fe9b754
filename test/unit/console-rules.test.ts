import { redactUrl } from '../../infra/logger';
import type { Request } from 'express';
import { accessTo, actor } from '../../api/console/access';
import { label } from '../../api/console/labels';
import { PreferencesSchema, TIME_ZONES, acceptedLanguages, consoleLanguage, consoleTimeZone } from '../../api/console/locale';
import { actorDisplay } from '../../domain/actor';
import { translator } from '../../infra/i18n';

const ISSUER = 'https://login.example.org';
const person = (sub: string, name: string, emails: string[]) => ({ issuer: ISSUER, sub, name, email: emails[0], emails });
const mona = person('mona', 'Mona Lind', ['mona@example.org']);
const partnership = { id: 'msp-x', title: 'Green jobs', manager: { name: 'Mona Lind', email: 'mona@example.org' }, coManagers: [{ name: 'Kai', email: 'kai@example.org' }] };

test('log lines keep the path but not link tokens, one-time codes or page tokens', () => {
  expect(redactUrl('/tasks/eyJ0Ijo.sig')).toBe('/tasks/[redacted]');
  expect(redactUrl('/invitations/abc.def/agreement')).toBe('/invitations/[redacted]/agreement');
  expect(redactUrl('/console/auth/callback?code=xyz&state=abc&iss=http%3A')).toBe('/console/auth/callback?code=[redacted]&state=[redacted]&iss=http%3A');
  expect(redactUrl('/api/partnerships?phase=initiating&pageToken=aa.bb')).toBe('/api/partnerships?phase=initiating&pageToken=[redacted]');
  expect(redactUrl('/console/partnerships/msp-x')).toBe('/console/partnerships/msp-x');
});

test('managers, co-managers and admins may act by an address they hold; anyone else is told why not', () => {
  expect(accessTo(mona, partnership, [])).toEqual({ allowed: true, as: 'manager' });
  expect(accessTo(person('kai', 'Kai', ['kai@example.org']), { ...partnership, coManagers: [{ name: 'Kai', email: 'KAI@example.org' }] }, [])).toEqual({ allowed: true, as: 'co-manager' });
  expect(accessTo(person('ada', 'Ada', ['ada@example.org']), partnership, ['ada@example.org'])).toEqual({ allowed: true, as: 'administrator' });
  // An address changed at the provider: the old one is still held, so Mona keeps her partnership.
  expect(accessTo(person('mona', 'Mona Lind', ['mona.lind@example.org', 'mona@example.org']), partnership, [])).toEqual({ allowed: true, as: 'manager' });
  const refused = accessTo(person('sam', 'Sam', ['sam@example.org']), partnership, []);
  expect(refused.allowed).toBe(false);
  expect(!refused.allowed && refused.reason).toContain('managed by Mona Lind (mona@example.org) with Kai (kai@example.org)');
  // The claim alone grants nothing: a person holding no address (unverified at the provider) manages nothing, administrators included.
  const claimedOnly = { issuer: ISSUER, sub: 'x', name: 'Not Mona', emails: [], emailRefused: { email: 'mona@example.org', why: 'unverified' as const } };
  expect(accessTo(claimedOnly, partnership, ['mona@example.org']).allowed).toBe(false);
});

test('a signed-in person is recorded with name, email and subject, within the 200 characters of `by`', () => {
  expect(actor(mona)).toBe('Mona Lind <mona@example.org> [signed in, sub mona]');
  const long = actor({ ...mona, name: 'N'.repeat(300) });
  expect(long.length).toBeLessThanOrEqual(200);
  expect(long).toMatch(/… <mona@example\.org> \[signed in, sub mona\]$/);
});

test('pages show a signed-in person by name and email, never the audit trail\'s subject; a tool\'s free text as sent', () => {
  expect(actorDisplay(actor(mona))).toBe('Mona Lind (mona@example.org)');
  expect(actorDisplay(actor(mona), false)).toBe('Mona Lind');
  expect(actorDisplay(actor({ ...mona, name: 'نادية حداد <x>' }))).toBe('نادية حداد <x> (mona@example.org)');
  expect(actorDisplay('registry-sync (nightly)')).toBe('registry-sync (nightly)');
});

test("the console's language: the person's choice, then the provider's locale, then Accept-Language, then English", () => {
  expect(acceptedLanguages('de-CH, fr;q=0.8, ar;q=0.9, *;q=0.1')).toEqual(['de-CH', 'ar', 'fr']);
  expect(acceptedLanguages('en;q=0, zh-Hans')).toEqual(['zh-Hans']);
  expect(acceptedLanguages(undefined)).toEqual([]);
  const req = (session: Record<string, unknown>, header?: string) => ({ session, get: () => header }) as unknown as Request;
  expect(consoleLanguage(req({}, 'de, es-MX;q=0.5'))).toBe('es');
  expect(consoleLanguage(req({ user: { ...mona, locale: 'ru-RU' } }, 'es'))).toBe('ru');
  expect(consoleLanguage(req({ language: 'ar', user: { ...mona, locale: 'ru' } }, 'es'))).toBe('ar');
  expect(consoleLanguage(req({}, 'de'))).toBe('en');
  expect(consoleTimeZone(req({ timeZone: 'Mars/Olympus' }))).toBe('UTC');
  expect(consoleTimeZone(req({ timeZone: 'Asia/Dubai' }))).toBe('Asia/Dubai');
});

test('time zones are validated against the runtime\'s IANA list; ids are shown in words from the catalogue', () => {
  expect(PreferencesSchema.safeParse({ language: 'fr', timeZone: 'Europe/Paris' }).success).toBe(true);
  expect(PreferencesSchema.safeParse({ language: 'fr', timeZone: 'Europe/Atlantis' }).success).toBe(false);
  expect(PreferencesSchema.safeParse({ language: 'de', timeZone: 'UTC' }).success).toBe(false);
  expect(TIME_ZONES[0]).toBe('UTC');
  expect(label(translator('fr'), 'group', 'civil-society')).toBe(translator('fr')('labels:group.civil-society'));
  expect(label(translator('en'), 'driver', 'resource-mobilisation')).toBe('Resource mobilisation');
  expect(label(translator('en'), 'status', 'no-such-status')).toBe('no-such-status');
});
