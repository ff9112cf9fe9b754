/** The `tasks:budget-revision.*` keys of the fixture kind, in two of the six languages (enough for the test). */
export const BUDGET_REVISION_WORDS = {
  en: {
    title: 'Budget revision',
    asks: 'You are asked to approve a revised budget for an activity.',
    approves: 'If you approve, the revised budget replaces the current one.',
    rejects: 'If you reject, the current budget stays and the manager receives your comment.',
  },
  fr: {
    title: 'Révision budgétaire',
    asks: "On vous demande d'approuver le budget révisé d'une activité.",
    approves: 'Si vous approuvez, le budget révisé remplace le budget actuel.',
    rejects: 'Si vous rejetez, le budget actuel reste en vigueur et le responsable reçoit votre commentaire.',
  },
};
