import type { HumanTaskKind } from '../task-kind';

/**
 * A phase gate: the manager asks to move the partnership to its next phase;
 * the approvers read the draft of the document the phase issues (the concept
 * note, the process design, the workplan, the MEL report) and approve or
 * reject. Decided on the partnership itself (`decideGate`). Guide II.2.
 */
export const gate: HumanTaskKind = {
  id: 'gate',
  answeredBy: 'approvers',
  link: 'approval',
  answer: 'approve-reject',
  document: 'phase-draft',
  inbox: false,
  atDeadline: 'reject',
  guideRef: 'II.2',
};
