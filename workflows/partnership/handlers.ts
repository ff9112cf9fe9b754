import { patched, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { checkAdvance, requestAdvance } from '../../domain/partnership/gates';
import { checkCompleteItem, completeItem } from '../../domain/partnership/checklist';
import { checkReviewDecision, requestReviewDecision } from '../../domain/reviews/review-gates';
import { phaseDocumentFacts } from '../../domain/partnership/document-facts';
import { toView } from '../../domain/partnership/read-model';
import { checkItemSection, sectionOfItem, validateWriteSection, writeSection } from '../../domain/partnership/sections';
import { patch } from '../patches';
import { enforce } from '../rule-failure';
import {
  completeItemUpdate,
  partnershipStateQuery,
  phaseDocumentFactsQuery,
  requestAdvanceUpdate,
  requestReviewDecisionUpdate,
  writeSectionUpdate,
} from './messages';
import { publish } from './publish';
import { nowIso, type PartnershipRun } from './run';

/**
 * The partnership's read model and its own work (guide II.2): the queries,
 * the phase checklist, the written sections and the manager's requests for
 * a gate. Partners, resources, gates and reviews register their handlers in
 * modules of their own; all of them use `onUpdate`.
 */

/**
 * A synchronous Update: the validator runs the domain check (refusals become
 * typed failures), the handler applies the pure transition and republishes
 * what the Web UI shows.
 */
export function onUpdate<Arg, Ret>(run: PartnershipRun, update: UpdateDefinition<Ret, [Arg]>, check: (arg: Arg) => void, apply: (arg: Arg) => Ret): void {
  setHandler(
    update,
    (arg: Arg) => {
      const result = apply(arg);
      publish(run);
      return result;
    },
    { validator: (arg: Arg) => enforce(() => check(arg)) },
  );
}

/** Queries, checklist items, sections, and the requests to move the phase or take a review decision. */
export function setPartnershipHandlers(run: PartnershipRun): void {
  const { state } = run;
  setHandler(partnershipStateQuery, () => toView(state));
  setHandler(phaseDocumentFactsQuery, (phase) => phaseDocumentFacts(state, phase));
  onUpdate(
    run,
    completeItemUpdate,
    ({ itemId }) => checkCompleteItem(state, itemId),
    ({ itemId, ...req }) => {
      // From the patch on, the handler holds the section rule too; runs recorded before ticked these items without a section and replay as they ran.
      if (sectionOfItem(itemId) && !state.completions.some((c) => c.itemId === itemId) && patched(patch('partnership-sections'))) enforce(() => checkItemSection(state, itemId));
      return completeItem(state, itemId, req, nowIso());
    },
  );
  onUpdate(
    run,
    writeSectionUpdate,
    ({ sectionId, ...input }) => validateWriteSection(state, sectionId, input),
    ({ sectionId, ...input }) => writeSection(state, sectionId, input, nowIso()),
  );
  onUpdate(
    run,
    requestAdvanceUpdate,
    () => checkAdvance(state),
    (req) => requestAdvance(state, req.by ?? state.input.manager.name, nowIso(), req.note),
  );
  onUpdate(
    run,
    requestReviewDecisionUpdate,
    () => checkReviewDecision(state),
    (req) => requestReviewDecision(state, req, req.by ?? state.input.manager.name, nowIso()),
  );
}
