import { z } from 'zod';
import { PHASE_IDS } from '../partnership/phases';
import { LANGUAGES } from '../language';
import { PartnershipIdSchema, text } from '../schemas';

/**
 * The documents' kinds and the record of one the registry stores (zod): what
 * a worker sends when it has written a document.
 */

export const DOCUMENT_KINDS = ['process-design', 'workplan', 'action-report', 'review-record', 'letter-of-intent', 'mou', 'funding-agreement', 'mel-report'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** What a stored document's `source` is built from (see activities/documents/sources.ts). */
export const DOCUMENT_SOURCE_KINDS = ['phase', 'agreement', 'funding-agreement', 'mel-report'] as const;

export const DocumentUpsertSchema = z.object({
  partnershipId: PartnershipIdSchema,
  kind: z.enum(DOCUMENT_KINDS),
  title: text(300),
  cycle: z.number().int().min(1),
  phase: z.enum(PHASE_IDS),
  html: z.string().min(1),
  /** The PDF, from workers that printed it themselves (before typesetting on read); today's workers send `furniture` instead. */
  pdfBase64: z.base64({ error: 'must be the PDF encoded as base64' }).optional(),
  /**
   * The PDF's running header and footer (Chromium's header/footer templates,
   * in the document's language), kept so the PDF typeset when it is first
   * read is the one the document was written as.
   */
  furniture: z
    .object({
      headerTemplate: z.string().max(20_000, { error: 'must be at most 20,000 characters' }),
      footerTemplate: z.string().max(20_000, { error: 'must be at most 20,000 characters' }),
    })
    .optional(),
  /** The language `html` and the PDF are written in; absent on documents from before languages (English). */
  language: z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}` }).optional(),
  /**
   * What the document was built from (activities/documents/sources.ts), kept so
   * it can be rendered in another language on request. Written by our own
   * activities; only its kind is checked here, and a source that does not
   * build is answered with the stored rendering.
   */
  source: z.object({ kind: z.enum(DOCUMENT_SOURCE_KINDS) }).loose().optional(),
});
export type DocumentUpsert = z.infer<typeof DocumentUpsertSchema>;
