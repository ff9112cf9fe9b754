/**
 * The four iterative phases and six dimensions of an MSP (guide II.2).
 * Ids are stable strings: they live in workflow histories and search attributes.
 */
export const PHASES = [
  { id: 'initiating', label: 'Initiating', guideRef: 'II.2.A' },
  { id: 'adaptive-planning', label: 'Adaptive planning', guideRef: 'II.2.B' },
  { id: 'collaborative-action', label: 'Collaborative action', guideRef: 'II.2.C' },
  { id: 'reflective-monitoring', label: 'Reflective monitoring', guideRef: 'II.2.D' },
] as const;

export type PhaseId = (typeof PHASES)[number]['id'];
export const PHASE_IDS = PHASES.map((p) => p.id) as [PhaseId, ...PhaseId[]];

export const DIMENSIONS = [
  { id: 'issues-context', label: 'Issues & context' },
  { id: 'partners', label: 'Working with partners' },
  { id: 'governance', label: 'Governance' },
  { id: 'resources', label: 'Resources' },
  { id: 'communication', label: 'Communication' },
  { id: 'organisation', label: 'The organisation as a partner' },
] as const;

export type DimensionId = (typeof DIMENSIONS)[number]['id'];
export const DIMENSION_IDS = DIMENSIONS.map((d) => d.id) as [DimensionId, ...DimensionId[]];

export function phaseLabel(phase: PhaseId): string {
  return PHASES.find((p) => p.id === phase)!.label;
}

export function dimensionLabel(dimension: DimensionId): string {
  return DIMENSIONS.find((d) => d.id === dimension)!.label;
}

/**
 * The phase an approved gate leads to. Reflective monitoring has no single
 * successor: its review decision picks one (see `reviewDecisionTarget`).
 */
export function nextPhase(phase: PhaseId): PhaseId | undefined {
  switch (phase) {
    case 'initiating':
      return 'adaptive-planning';
    case 'adaptive-planning':
      return 'collaborative-action';
    case 'collaborative-action':
      return 'reflective-monitoring';
    case 'reflective-monitoring':
      return undefined;
  }
}
