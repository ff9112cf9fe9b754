import { ApplicationFailure } from '@temporalio/common';
import type { DocumentRef } from '../../domain/documents/documents';
import { pickLanguage } from '../../domain/language';
import { phaseDocumentFacts, type PhaseDocumentFacts } from '../../domain/partnership/document-facts';
import type { PhaseId } from '../../domain/partnership/phases';
import type { TransitionRecord } from '../../domain/partnership/schemas';
import type { PartnershipState } from '../../domain/partnership/state';
import { DOCUMENT_KIND_BY_PHASE } from '../documents/phase-document';
import type { ActivityContext } from '../activity-context';

/* A phase gate passed: the phase's document written and stored, and the transition recorded in the registry. */

export interface PhaseDocumentInput {
  /** What the document is built from (see `phaseDocumentFacts`). */
  facts?: PhaseDocumentFacts;
  /** The whole state, as runs before `facts` existed sent it; still accepted for their retries. */
  state?: PartnershipState;
  phase: PhaseId;
  /** Workflow time of the gate, so the document (and its PDF bytes) are the same on retry. */
  at: string;
}

/** Phase document and transition record (activity names are stable: running workflows schedule them by name). */
export function partnershipActivities(ctx: ActivityContext) {
  const { deps, storeDocument } = ctx;
  return {
    async createPhaseDocument(input: PhaseDocumentInput): Promise<DocumentRef> {
      const { phase } = input;
      const state = input.facts ?? (input.state ? phaseDocumentFacts(input.state, phase) : undefined);
      if (!state) throw ApplicationFailure.nonRetryable('createPhaseDocument needs the facts of the phase', 'Invalid');
      const { kind } = DOCUMENT_KIND_BY_PHASE[phase];
      const id = `${state.id}.c${state.cycle}.${kind}`;
      return storeDocument(id, { kind: 'phase', phase, facts: state }, pickLanguage(state.input.language), { partnershipId: state.id, kind, cycle: state.cycle, phase });
    },

    async recordTransition(input: { id: string; record: TransitionRecord }): Promise<{ created: boolean }> {
      return deps.registry.putTransition(input.id, input.record);
    },
  };
}
