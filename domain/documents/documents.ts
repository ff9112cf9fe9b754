import type { PhaseId } from '../partnership/phases';

/**
 * A generated document as the partnership and its reviews list it: the
 * store keeps the document itself (PDF and HTML) under `id`, served at `url`.
 */
export interface DocumentRef {
  id: string;
  /** e.g. "process-design", "workplan", "mel-report", "letter-of-intent". */
  kind: string;
  title: string;
  url: string;
  phase: PhaseId;
  cycle: number;
}
