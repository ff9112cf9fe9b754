import { Router, json } from 'express';
import { z } from 'zod';
import { CATALOGUE } from '../../domain/catalogue';
import { DIMENSIONS, PHASES } from '../../domain/phases';
import { DocumentUpsertSchema, PartnershipIdSchema, TransitionRecordSchema } from '../../domain/schemas';
import type { Store } from '../../infra/store/store';
import { HttpError } from '../errors';

const RecordIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,300}$/, { error: 'use letters, digits, ".", "_", ":" or "-"' });
const PartnershipFilterSchema = z.object({ partnershipId: PartnershipIdSchema.optional() });

/**
 * The registry and documents: written by the worker's activities (idempotent
 * PUTs keyed by deterministic ids) and read by surrounding tools.
 */
export function registryRouter(store: Store, publicBaseUrl: string): Router {
  const router = Router();
  const documentUrl = (id: string) => `${publicBaseUrl}/api/documents/${encodeURIComponent(id)}`;

  router.get('/catalogue', (_req, res) => {
    res.json({ phases: PHASES, dimensions: DIMENSIONS, items: CATALOGUE });
  });

  // Documents carry a PDF, so they get a larger body limit than the rest of the API.
  router.put('/documents/:id', json({ limit: '20mb' }), async (req, res) => {
    const id = RecordIdSchema.parse(req.params.id);
    const doc = DocumentUpsertSchema.parse(req.body ?? {});
    const { created } = await store.putDocument(id, doc);
    res.status(created ? 201 : 200).json({ id, url: documentUrl(id), created });
  });
  router.use(json({ limit: '100kb' }));

  router.get('/documents', async (req, res) => {
    const { partnershipId } = PartnershipFilterSchema.parse(req.query);
    const docs = await store.listDocuments(partnershipId);
    res.json({ documents: docs.map((d) => ({ ...d, url: documentUrl(d.id) })) });
  });

  router.get('/documents/:id', async (req, res) => {
    const id = RecordIdSchema.parse(req.params.id);
    const { format } = z.object({ format: z.enum(['pdf', 'html']).default('pdf') }).parse(req.query);
    const doc = await store.getDocument(id);
    if (!doc) throw new HttpError(404, `no document "${id}"`);
    if (format === 'html') {
      res.type('html').send(doc.html);
      return;
    }
    res
      .type('application/pdf')
      .set('content-disposition', `inline; filename="${id}.pdf"`)
      .send(doc.pdf);
  });

  router.put('/registry/transitions/:id', async (req, res) => {
    const id = RecordIdSchema.parse(req.params.id);
    const record = TransitionRecordSchema.parse(req.body ?? {});
    const { created } = await store.putTransition(id, record);
    res.status(created ? 201 : 200).json({ id, created });
  });

  router.get('/registry/transitions', async (req, res) => {
    const { partnershipId } = PartnershipFilterSchema.parse(req.query);
    res.json({ transitions: await store.listTransitions(partnershipId) });
  });

  return router;
}
