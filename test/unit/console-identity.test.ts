import { plainAddress, signedInUserFrom } from '../../api/console/identity';
import { Store } from '../../infra/store/store';

/**
 * From the provider's claims to the console's person, over the real store
 * (SQLite): what an email claim grants, and what it never does.
 */
let store: Store;
beforeAll(async () => {
  store = await Store.open('sqlite::memory:');
});
afterAll(async () => {
  await store.close();
});
const ISSUER = 'https://login.example.org';
const claims = (sub: string, email: string | undefined, emailVerified: boolean | undefined) => ({ issuer: ISSUER, sub, name: sub, email, emailVerified });

test('only a plain ASCII address is ever kept: look-alikes are refused, not lowercased onto someone else', () => {
  expect(plainAddress('Kate@Example.org')).toBe('kate@example.org');
  expect(plainAddress('\u212Aate@example.org')).toBeUndefined(); // Kelvin sign, lowercases to "k"
  expect(plainAddress('ｋａｔｅ@example.org')).toBeUndefined(); // full width
  expect(plainAddress('kate@example.org.')).toBeUndefined();
  expect(plainAddress('kate@example.org\u200b')).toBeUndefined();
  expect(plainAddress('jose\u0301@example.org')).toBeUndefined();
});

test('a verified address is held; an unverified, look-alike or absent one grants nothing and binds nothing', async () => {
  expect(await signedInUserFrom(claims('kate', 'Kate@example.org', true), store.identities)).toMatchObject({ email: 'kate@example.org', emails: ['kate@example.org'] });

  const kelvin = await signedInUserFrom(claims('kelvin', '\u212Aate@example.org', true), store.identities);
  expect(kelvin).toMatchObject({ emails: [], emailRefused: { why: 'invalid' } });
  expect(kelvin?.email).toBeUndefined();
  // Kate still holds her address.
  expect((await signedInUserFrom(claims('kate', 'kate@example.org', true), store.identities))?.emails).toEqual(['kate@example.org']);

  // A look-alike never locks its holder out: after the provider fixes the address, they sign in normally.
  expect(await signedInUserFrom(claims('fw', 'ｆｗ@example.org', true), store.identities)).toMatchObject({ emails: [], emailRefused: { why: 'invalid' } });
  expect(await signedInUserFrom(claims('fw', 'fw@example.org', true), store.identities)).toMatchObject({ email: 'fw@example.org', emails: ['fw@example.org'] });

  expect(await signedInUserFrom(claims('mallory', 'boss@example.org', false), store.identities)).toMatchObject({ emails: [], emailRefused: { email: 'boss@example.org', why: 'unverified' } });
  // Absent email_verified: nothing, unless the deployment says its provider's addresses are verified.
  expect(await signedInUserFrom(claims('absent', 'absent@example.org', undefined), store.identities)).toMatchObject({ emails: [], emailRefused: { why: 'unverified' } });
  expect(await signedInUserFrom(claims('absent', 'absent@example.org', undefined), store.identities, { assumeEmailVerified: true })).toMatchObject({ email: 'absent@example.org' });
  // …and never when the provider says false.
  expect(await signedInUserFrom(claims('said-no', 'said-no@example.org', false), store.identities, { assumeEmailVerified: true })).toMatchObject({ emails: [] });
  // The verified binding came first: the mallory attempt above did not take boss@ for later.
  expect(await signedInUserFrom(claims('boss', 'boss@example.org', true), store.identities)).toMatchObject({ email: 'boss@example.org' });
  // No email at all: signed in, holding nothing.
  expect(await signedInUserFrom(claims('noone', undefined, undefined), store.identities)).toMatchObject({ name: 'noone', emails: [] });
});
