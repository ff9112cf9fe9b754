import { CATALOGUE } from '../../domain/partnership/catalogue';
import { DIMENSION_IDS, PHASE_IDS } from '../../domain/partnership/phases';
import { CreatePartnershipSchema } from '../../domain/partnership/schemas';
import { TaskDecisionSchema } from '../../domain/human-tasks/schemas';
import { slugify, stakeholderId } from '../../domain/partners/stakeholders';
import { partnershipRequest } from '../support/fixtures';

test('the catalogue covers every phase × dimension with unique ids', () => {
  for (const phase of PHASE_IDS) {
    for (const dimension of DIMENSION_IDS) {
      expect(CATALOGUE.filter((i) => i.phase === phase && i.dimension === dimension).length).toBeGreaterThan(0);
    }
  }
  expect(new Set(CATALOGUE.map((i) => i.id)).size).toBe(CATALOGUE.length);
});

test('timings default to production values in days', () => {
  const { timings, ...rest } = partnershipRequest();
  expect(timings).toBeDefined();
  expect(CreatePartnershipSchema.parse(rest).timings).toEqual({
    reminderAfter: '3 days',
    escalateAfter: '7 days',
    deadline: '14 days',
    reviewEvery: '180 days',
    onDeadline: 'reject',
  });
});

test('bad input is refused with messages that name the field and the fix', () => {
  const result = CreatePartnershipSchema.safeParse(
    partnershipRequest({
      drivers: [],
      manager: { name: 'M', email: 'not-an-email' },
      timings: { reminderAfter: 'soon', deadline: '1s', escalateAfter: '5s' },
      organisationRole: 'boss' as never,
    }),
  );
  expect(result.success).toBe(false);
  const issues = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]));
  expect(issues['drivers']).toMatch(/at least one driver/);
  expect(issues['manager.email']).toMatch(/email address/);
  expect(issues['timings.reminderAfter']).toMatch(/positive duration/);
  expect(issues['organisationRole']).toBeDefined();
  expect(TaskDecisionSchema.safeParse({ decision: 'reject' }).error?.issues[0].message).toMatch(/needs a comment/);
});

test('business ids derived from names are lowercase words joined by hyphens', () => {
  expect(slugify('  Ministère du Travail & de l’Emploi ', 60)).toBe('ministere-du-travail-de-l-emploi');
  expect(stakeholderId('UNDP — Country Office')).toBe('undp-country-office');
  expect(() => stakeholderId('¿¿')).toThrow(/refusals:stakeholder.nameNeedsLetter/);
});
