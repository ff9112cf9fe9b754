import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  AdvanceSchema,
  ChangeRoleSchema,
  ChannelProposalSchema,
  CompleteItemSchema,
  FiduciaryRuleSchema,
  ResourceStrategySchema,
  ReviewAnswerSchema,
  RoadmapActivityInputSchema,
  InvitePartnerSchema,
  ListPartnersQuerySchema,
  PartnerAnswerSchema,
  StakeholderInputSchema,
  WithdrawPartnerSchema,
  CreatePartnershipSchema,
  DocumentUpsertSchema,
  ListPartnershipsQuerySchema,
  ReviewDecisionSchema,
  TaskDecisionSchema,
  TransitionRecordSchema,
} from '../domain/schemas';

// Adds zod's `.openapi()` for schemas declared here. Domain schemas are created before this
// runs, so they are passed inline rather than registered as named components.
extendZodWithOpenApi(z);

/** The OpenAPI document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(serverUrl: string): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const security = [{ [bearer.name]: [] }];
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const Problem = registry.register(
    'Problem',
    z.object({
      status: z.number(),
      error: z.string(),
      message: z.string(),
      issues: z.array(z.object({ field: z.string(), problem: z.string() })).optional(),
    }),
  );
  const errors = {
    400: { description: 'Invalid input; `issues` names each field and problem', ...json(Problem) },
    401: { description: 'Missing or wrong bearer token', ...json(Problem) },
    404: { description: 'Unknown partnership', ...json(Problem) },
    409: { description: 'Refused by a domain rule (wrong phase, pending task, closed…)', ...json(Problem) },
  };
  const idParam = z.object({ id: z.string() });
  const anyObject = z.object({}).passthrough();

  registry.registerPath({
    method: 'post', path: '/api/partnerships', security, summary: 'Start a partnership workflow',
    request: { body: json(CreatePartnershipSchema) },
    responses: { 201: { description: 'Started; the partnership read model', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partnerships', security, summary: 'List partnerships from Temporal visibility',
    request: { query: ListPartnershipsQuerySchema },
    responses: { 200: { description: 'Partnerships', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partnerships/{id}', security, summary: 'Read a partnership (phase, checklist, tasks, decisions, documents)',
    request: { params: idParam },
    responses: { 200: { description: 'The read model', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/checklist/{itemId}/complete', security, summary: 'Complete a checklist item of the current phase',
    request: { params: z.object({ id: z.string(), itemId: z.string() }), body: json(CompleteItemSchema) },
    responses: { 200: { description: 'The completion (the first one, if repeated)', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/advance', security, summary: 'Ask the approvers to move to the next phase',
    request: { params: idParam, body: json(AdvanceSchema) },
    responses: { 202: { description: 'An approval task was created', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/decision', security, summary: 'Propose the reflective-monitoring decision (continue, adapt, exit) for approval',
    request: { params: idParam, body: json(ReviewDecisionSchema) },
    responses: { 202: { description: 'An approval task was created', ...json(anyObject) }, ...errors },
  });
  const stakeholderParams = z.object({ id: z.string(), stakeholderId: z.string() });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/stakeholders', security, summary: 'Map a stakeholder (or update it; keyed by organisation)',
    request: { params: idParam, body: json(StakeholderInputSchema) },
    responses: { 200: { description: 'The stakeholder', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/stakeholders/{stakeholderId}/invite', security, summary: 'Promote a stakeholder to partner: starts its onboarding',
    request: { params: stakeholderParams, body: json(InvitePartnerSchema) },
    responses: { 202: { description: 'Invited; the onboarding workflow has started', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/stakeholders/{stakeholderId}/withdraw', security, summary: 'Withdraw an invited or active partner',
    request: { params: stakeholderParams, body: json(WithdrawPartnerSchema) },
    responses: { 202: { description: 'Withdrawn (or withdrawal sent to the onboarding)', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/role', security, summary: "Change the organisation's role in the partnership (recorded)",
    request: { params: idParam, body: json(ChangeRoleSchema) },
    responses: { 200: { description: 'The recorded change', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partners', security, summary: 'Partners across partnerships',
    request: { query: ListPartnersQuerySchema },
    responses: { 200: { description: 'Partners with their partnerships', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partners/{id}', security, summary: "A partner's partnerships, documents and history",
    request: { params: idParam },
    responses: { 200: { description: 'The partner', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/invitations/{token}', summary: "A partner contact's answer to the current onboarding step (signed link; form or JSON)",
    request: { params: z.object({ token: z.string() }), body: json(PartnerAnswerSchema) },
    responses: { 303: { description: 'Recorded; the page shows the next step' }, 403: { description: 'Not this contact or link' }, 409: { description: 'Step not open' }, 410: { description: 'Expired' } },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/roadmap', security, summary: 'Add or replace a roadmap activity (SMART targets; lead partner must be active)',
    request: { params: idParam, body: json(RoadmapActivityInputSchema) },
    responses: { 200: { description: 'The activity', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partnerships/{id}/roadmap', security, summary: 'The roadmap with each activity\'s approved and pending channel',
    request: { params: idParam },
    responses: { 200: { description: 'Roadmap', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'put', path: '/api/partnerships/{id}/resource-strategy', security, summary: 'Replace the resource strategy (pledges, own sources, external financial partners)',
    request: { params: idParam, body: json(ResourceStrategySchema) },
    responses: { 200: { description: 'The strategy', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'put', path: '/api/partnerships/{id}/fiduciary-rule', security, summary: 'Lead partner, or rotating among core partners by cycle',
    request: { params: idParam, body: json(FiduciaryRuleSchema) },
    responses: { 200: { description: 'The rule', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/roadmap/{activityId}/channel', security, summary: 'Propose (or change) the financial channel of an activity: starts its approval',
    request: { params: z.object({ id: z.string(), activityId: z.string() }), body: json(ChannelProposalSchema) },
    responses: { 202: { description: 'The channel version under review', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partnerships/{id}/funding', security, summary: 'Funding summary: pledged, approved, by source and by partner',
    request: { params: idParam },
    responses: { 200: { description: 'Summary', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/funding/channels', security, summary: 'Registered channel decisions (with their agreement documents)',
    request: { query: z.object({ partnershipId: z.string().optional() }) },
    responses: { 200: { description: 'Channels', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/partnerships/{id}/reviews', security, summary: 'Open a review now (reviews also open on entering reflective monitoring)',
    request: { params: idParam, body: json(AdvanceSchema) },
    responses: { 202: { description: 'The review', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partnerships/{id}/reviews', security, summary: 'Reviews of a partnership',
    request: { params: idParam },
    responses: { 200: { description: 'Reviews', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partnerships/{id}/reviews/{reviewId}', security, summary: "A review's answers, report and decision",
    request: { params: z.object({ id: z.string(), reviewId: z.string() }) },
    responses: { 200: { description: 'The review', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/partnerships/{id}/indicators', security, summary: 'Indicator time series across reviews',
    request: { params: idParam },
    responses: { 200: { description: 'Indicators with their series', ...json(anyObject) }, ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/reviews/{token}', summary: "A focal point's review answers (signed link; form fields value:<key>, or JSON)",
    request: { params: z.object({ token: z.string() }), body: json(ReviewAnswerSchema) },
    responses: { 303: { description: 'Recorded' }, 400: { description: 'Not a number, or not your indicator' }, 403: { description: 'Not sent to you' }, 409: { description: 'Already answered' }, 410: { description: 'Closed' } },
  });
  registry.registerPath({
    method: 'post', path: '/tasks/{token}', summary: 'Record an approver decision (signed, single-use link; form-encoded or JSON)',
    request: { params: z.object({ token: z.string() }), body: json(TaskDecisionSchema) },
    responses: { 200: { description: 'Recorded' }, 403: { description: 'Bad signature or wrong approver' }, 409: { description: 'Already decided' }, 410: { description: 'Expired' } },
  });
  registry.registerPath({
    method: 'put', path: '/api/documents/{id}', security, summary: 'Store a generated document (idempotent)',
    request: { params: idParam, body: json(DocumentUpsertSchema) },
    responses: { 201: { description: 'Stored' }, 200: { description: 'Already stored' }, ...errors },
  });
  registry.registerPath({
    method: 'get', path: '/api/documents/{id}', security, summary: 'Download a document (PDF, or ?format=html)',
    request: { params: idParam },
    responses: { 200: { description: 'The document' }, ...errors },
  });
  registry.registerPath({
    method: 'put', path: '/api/registry/transitions/{id}', security, summary: 'Record a phase decision in the registry (idempotent)',
    request: { params: idParam, body: json(TransitionRecordSchema) },
    responses: { 201: { description: 'Recorded' }, 200: { description: 'Already recorded' }, ...errors },
  });

  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'MSP Orchestrator API', version: '0.1.0', description: 'Multi-Stakeholder Partnerships as durable workflows' },
    servers: [{ url: serverUrl }],
  });
}
