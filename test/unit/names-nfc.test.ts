import { CreatePartnershipSchema, ListPartnershipsQuerySchema } from '../../domain/partnership/schemas';
import { PartnerMembershipSchema, StakeholderInputSchema } from '../../domain/partners/schemas';
import { PersonSchema } from '../../domain/schemas';
import type { Kysely } from 'kysely';
import { Store } from '../../infra/store/store';
import type { StoreDatabase } from '../../infra/store/schema';
import { partnershipRequest } from '../support/fixtures';
import { stakeholderInput } from '../support/partners';

/**
 * "Coopérative" arrives composed (é, U+00E9) from one keyboard and decomposed
 * (e + U+0301) from another; people read both as one name, so the service
 * stores and compares one form (NFC).
 */
const COMPOSED = 'Coop\u00e9rative des Tisserands';
const DECOMPOSED = 'Coope\u0301rative des Tisserands';

test('the schemas give every name, title and note in its composed form', () => {
  expect(COMPOSED).not.toBe(DECOMPOSED);
  expect(StakeholderInputSchema.parse(stakeholderInput(DECOMPOSED, 'civil-society')).organisation).toBe(COMPOSED);
  expect(PersonSchema.parse({ name: 'Jose\u0301', email: 'j@example.org' }).name).toBe('Jos\u00e9');
  const started = CreatePartnershipSchema.parse(partnershipRequest({ title: `Emplois verts ${DECOMPOSED}` }));
  expect(started.title).toBe(`Emplois verts ${COMPOSED}`);
  expect(ListPartnershipsQuerySchema.parse({ partner: DECOMPOSED, title: DECOMPOSED }).partner).toBe(COMPOSED);
  expect(PartnerMembershipSchema.parse({ organisation: DECOMPOSED, group: 'civil-society', status: 'active', contact: null, documentId: null, reason: null, at: new Date().toISOString() }).organisation).toBe(COMPOSED);
});

test('a partner mapped in one form is found by a search in the other, whichever form its row was stored in', async () => {
  const store = await Store.open('sqlite::memory:');
  try {
    const at = new Date().toISOString();
    const membership = { group: 'civil-society' as const, status: 'active' as const, contact: null, documentId: null, reason: null, at };
    // What a workflow started before the schemas normalised reports: the decomposed name.
    await store.putMembership('cooperative-des-tisserands', 'msp-a', { ...membership, organisation: DECOMPOSED });
    // A row written before the store normalised, as it lies in an existing database.
    const db = (store as unknown as { db: Kysely<StoreDatabase> }).db;
    await db
      .insertInto('partner_memberships')
      .values({ partner_id: 'cooperative-des-tisserands', partnership_id: 'msp-b', organisation: DECOMPOSED, partner_group: 'civil-society', status: 'active', updated_at: at })
      .execute();
    expect(await store.partnershipsWithActivePartner(COMPOSED)).toEqual(['msp-a', 'msp-b']);
    expect(await store.partnershipsWithActivePartner(DECOMPOSED)).toEqual(['msp-a', 'msp-b']);
    expect((await store.activePartnersOf(['msp-a'])).get('msp-a')).toEqual([COMPOSED]);
  } finally {
    await store.close();
  }
});
