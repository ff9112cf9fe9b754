import type { HumanTaskKind } from '../../../domain/human-tasks/task-kind';

/**
 * A kind the product does not have, as a new one would be written: a budget
 * revision of a roadmap activity, decided by the approvers. Its catalogue keys
 * are in ./budget-revision-catalogue.ts (in the product they would be the six
 * locale files). test/human-tasks/new-task-kind.test.ts registers it and runs
 * it end to end by email link.
 */
export const budgetRevision: HumanTaskKind = {
  id: 'budget-revision',
  answeredBy: 'approvers',
  link: 'approval',
  answer: 'approve-reject',
  document: 'none',
  inbox: false,
  atDeadline: 'reject',
  guideRef: 'II.2.C',
};
