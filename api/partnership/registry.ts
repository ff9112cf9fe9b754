import { Router, json } from 'express';
import { z } from 'zod';
import { CAPABILITIES, CATALOGUE, ORGANISATION_GROUPS } from '../../domain/partnership/catalogue';
import { catalogueWithBullets, guideCoverage } from '../../domain/partnership/guide-bullets';
import { DIMENSIONS, PHASES } from '../../domain/partnership/phases';
import { DocumentUpsertSchema } from '../../domain/documents/schemas';
import { FundingChannelRecordSchema } from '../../domain/resources/schemas';
import { ListPartnersQuerySchema, PartnerMembershipSchema } from '../../domain/partners/schemas';
import { MailMessageIdSchema, PartnershipIdSchema, SentMailRecordSchema } from '../../domain/schemas';
import { TransitionRecordSchema } from '../../domain/partnership/schemas';
import type { Store } from '../../infra/store/store';
import type { PdfPrinter } from '../../activities/documents/pdf-printer';
import { sendDocument } from '../documents/documents';
import { HttpError } from '../errors';
import { bodyOf, pathParam, queryOf } from '../input';
import { said } from '../../domain/said';

const RecordIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,300}$/, { error: 'use letters, digits, ".", "_", ":" or "-"' });
const PartnershipFilterSchema = z.object({ partnershipId: PartnershipIdSchema.optional() });

/**
 * The registry and documents: written by the worker's activities (idempotent
 * PUTs keyed by deterministic ids) and read by surrounding tools. The API is
 * the one owner of its database; the worker reads and writes it only here.
 */
export function registryRouter(store: Store, publicBaseUrl: string, printer: PdfPrinter): Router {
  const router = Router();
  const documentUrl = (id: string) => `${publicBaseUrl}/api/documents/${encodeURIComponent(id)}`;

  const catalogue = {
    phases: PHASES,
    dimensions: DIMENSIONS,
    groups: ORGANISATION_GROUPS,
    capabilities: CAPABILITIES,
    coverage: guideCoverage(),
    items: catalogueWithBullets(CATALOGUE),
  };
  router.get('/catalogue', (_req, res) => {
    res.json(catalogue);
  });

  // Documents carry a PDF, so they get a larger body limit than the rest of the API.
  router.put('/documents/:id', json({ limit: '20mb' }), async (req, res) => {
    const id = pathParam(req, 'id', RecordIdSchema);
    const doc = bodyOf(req, DocumentUpsertSchema);
    const { created } = await store.putDocument(id, doc);
    res.status(created ? 201 : 200).json({ id, url: documentUrl(id), created });
  });
  router.use(json({ limit: '100kb' }));

  router.get('/documents', async (req, res) => {
    const { partnershipId } = queryOf(req, PartnershipFilterSchema);
    const docs = await store.listDocuments(partnershipId);
    res.json({ documents: docs.map((d) => ({ ...d, url: documentUrl(d.id) })) });
  });

  router.get('/documents/:id', async (req, res) => {
    const id = pathParam(req, 'id', RecordIdSchema);
    const doc = await store.getDocument(id);
    if (!doc) throw new HttpError(404, said('refusals:notFound.document', { id }));
    await sendDocument(req, res, doc, printer);
  });

  router.put('/partners/:id/memberships/:partnershipId', async (req, res) => {
    const partnerId = pathParam(req, 'id', RecordIdSchema);
    const partnershipId = pathParam(req, 'partnershipId', PartnershipIdSchema);
    const { created } = await store.putMembership(partnerId, partnershipId, bodyOf(req, PartnerMembershipSchema));
    res.status(created ? 201 : 200).json({ partnerId, partnershipId, created });
  });

  router.get('/partners', async (req, res) => {
    const q = queryOf(req, ListPartnersQuerySchema);
    const rows = await store.listMemberships(q);
    const partners = new Map<string, { id: string; organisation: string; group: string; partnerships: unknown[] }>();
    for (const m of rows) {
      const p = partners.get(m.partnerId) ?? { id: m.partnerId, organisation: m.organisation, group: m.group, partnerships: [] };
      p.partnerships.push({ partnershipId: m.partnershipId, status: m.status, since: m.updatedAt });
      partners.set(m.partnerId, p);
    }
    res.json({ partners: [...partners.values()] });
  });

  router.get('/partners/:id', async (req, res) => {
    const id = pathParam(req, 'id', RecordIdSchema);
    const memberships = await store.listMemberships({ partnerId: id });
    if (memberships.length === 0) throw new HttpError(404, said('refusals:notFound.partner', { id }));
    const documents = [];
    for (const m of memberships) {
      const doc = m.documentId ? await store.getDocument(m.documentId) : undefined;
      if (doc) documents.push({ id: doc.id, kind: doc.kind, title: doc.title, partnershipId: doc.partnershipId, url: documentUrl(doc.id) });
    }
    res.json({
      id,
      organisation: memberships[0].organisation,
      group: memberships[0].group,
      partnerships: memberships.map((m) => ({ partnershipId: m.partnershipId, status: m.status, contact: m.contact, since: m.updatedAt })),
      documents,
      history: await store.partnerHistory(id),
    });
  });

  router.put('/funding/channels/:id', async (req, res) => {
    const id = pathParam(req, 'id', RecordIdSchema);
    const { created } = await store.putFundingChannel(id, bodyOf(req, FundingChannelRecordSchema));
    res.status(created ? 201 : 200).json({ id, created });
  });

  router.get('/funding/channels', async (req, res) => {
    const { partnershipId } = queryOf(req, PartnershipFilterSchema);
    const channels = await store.listFundingChannels(partnershipId);
    res.json({ channels: channels.map((c) => ({ ...c, documentUrl: c.documentId ? documentUrl(c.documentId) : null })) });
  });

  router.put('/registry/transitions/:id', async (req, res) => {
    const id = pathParam(req, 'id', RecordIdSchema);
    const record = bodyOf(req, TransitionRecordSchema);
    const { created } = await store.putTransition(id, record);
    res.status(created ? 201 : 200).json({ id, created });
  });

  router.get('/registry/transitions', async (req, res) => {
    const { partnershipId } = queryOf(req, PartnershipFilterSchema);
    res.json({ transitions: await store.listTransitions(partnershipId) });
  });

  // The mail sent-log that makes the worker's emails idempotent: it asks before sending, records after.
  // A message never recorded answers 200 `sent: false`, not 404, so a 404 only ever means "no such route"
  // (an API older than the worker), which the worker must not read as "not sent yet".
  router.get('/registry/sent-mail/:messageId', async (req, res) => {
    const messageId = pathParam(req, 'messageId', MailMessageIdSchema);
    res.json({ messageId, sent: await store.wasMailSent(messageId) });
  });

  router.put('/registry/sent-mail/:messageId', async (req, res) => {
    const messageId = pathParam(req, 'messageId', MailMessageIdSchema);
    const { recipient, subject } = bodyOf(req, SentMailRecordSchema);
    const { created } = await store.recordMailSent(messageId, recipient, subject);
    res.status(created ? 201 : 200).json({ messageId, created });
  });

  return router;
}
