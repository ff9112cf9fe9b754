import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { version as PRODUCT_VERSION } from '../package.json';
import {
  AdvanceSchema,
  CompleteItemSchema,
  CreatePartnershipSchema,
  ListPartnershipsQuerySchema,
  SectionWriteSchema,
  TransitionRecordSchema,
} from '../domain/partnership/schemas';
import {
  ActivityProgressSchema,
  ChannelProposalSchema,
  FiduciaryRuleSchema,
  FundingChannelRecordSchema,
  ResourceStrategySchema,
  RoadmapActivityInputSchema,
  SmartObjectiveInputSchema,
} from '../domain/resources/schemas';
import {
  ChangeRoleSchema,
  InvitePartnerSchema,
  ListPartnersQuerySchema,
  PartnerAnswerSchema,
  PartnerMembershipSchema,
  ResendInvitationSchema,
  StakeholderInputSchema,
  WithdrawPartnerSchema,
} from '../domain/partners/schemas';
import { RemindReviewSchema, ReviewAnswerSchema, ReviewDecisionSchema } from '../domain/reviews/schemas';
import { DocumentUpsertSchema } from '../domain/documents/schemas';
import { SentMailRecordSchema } from '../domain/schemas';
import { DelegateTaskSchema, InboxDecisionsSchema, OutOfOfficeOnQuerySchema, OutOfOfficeSchema, TaskDecisionSchema } from '../domain/human-tasks/schemas';
import { SECTION_IDS } from '../domain/partnership/sections';
import { DIMENSION_IDS, PHASE_IDS } from '../domain/partnership/phases';

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
    400: { description: 'Invalid input; `issues` names each field and problem (a missing field "is required"); a body that is not valid JSON says so, with the parser\'s position', ...json(Problem) },
    401: { description: 'Missing or wrong bearer token', ...json(Problem) },
    404: { description: 'Unknown partnership, task, stakeholder, activity…: the message names the id looked for', ...json(Problem) },
    409: { description: 'Refused by a domain rule (wrong phase, pending task, closed…)', ...json(Problem) },
    415: { description: 'The body is not JSON: send it with `Content-Type: application/json`', ...json(Problem) },
    503: { description: 'Temporal is not reachable, or no worker is serving the task queue; retry after `Retry-After` seconds', ...json(Problem) },
  };
  /** An authenticated route: its success answer (with a JSON body or not), an optional second one, and the shared errors. */
  const api = (
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
    summary: string,
    request: Record<string, unknown>,
    ok: [status: number, description: string, hasBody: boolean],
    other?: [status: number, description: string] | Array<[status: number, description: string]>,
  ) =>
    registry.registerPath({
      method,
      path,
      security,
      summary,
      request,
      responses: {
        [ok[0]]: { description: ok[1], ...(ok[2] ? json(anyObject) : {}) },
        ...errors,
        ...Object.fromEntries((other === undefined ? [] : Array.isArray(other[0]) ? (other as Array<[number, string]>) : [other as [number, string]]).map(([status, description]) => [status, { description }])),
      },
    });
  /**
   * A replace-style write of shared data: it carries the version it was based
   * on, the ETag of the record's GET, as `If-Match` (or a `version` body field).
   */
  const ifMatch = z.object({ 'if-match': z.string().optional().describe('The ETag of the record as you loaded it, e.g. `"3"` (from its GET, or the last write\'s answer)') });
  const versioned = (what: string): Array<[number, string]> => [
    [409, `${what} changed since that version: \`details.currentVersion\` and the ETag header give the current one; reload, apply your change again and send it with that If-Match`],
    [428, `No If-Match (or \`version\`): read ${what} first and send its ETag back`],
  ];
  const idParam = z.object({ id: z.string() });
  const stakeholderParams = z.object({ id: z.string(), stakeholderId: z.string() });
  const anyObject = z.object({}).passthrough();

  api('post', '/api/partnerships', 'Start a partnership workflow', { body: json(CreatePartnershipSchema) }, [201, 'Started; the partnership read model', true]);
  api('get', '/api/partnerships', 'List partnerships from Temporal visibility', { query: ListPartnershipsQuerySchema }, [200, 'Partnerships', true]);
  api('get', '/api/partnerships/{id}', 'Read a partnership (phase, checklist, tasks, decisions, documents)', { params: idParam }, [200, 'The read model', true]);
  api('post', '/api/partnerships/{id}/checklist/{itemId}/complete', 'Complete a checklist item of the current phase', { params: z.object({ id: z.string(), itemId: z.string() }), body: json(CompleteItemSchema) }, [200, 'The completion (the first one, if repeated)', true]);
  api('post', '/api/partnerships/{id}/advance', 'Ask the approvers to move to the next phase', { params: idParam, body: json(AdvanceSchema) }, [202, 'An approval task was created', true]);
  api('post', '/api/partnerships/{id}/decision', 'Propose the reflective-monitoring decision (continue, adapt, exit) for approval', { params: idParam, body: json(ReviewDecisionSchema) }, [202, 'An approval task was created', true]);
  api('get', '/api/partnerships/{id}/stakeholders', "The stakeholder map, each stakeholder with its `version` (send it back as If-Match to change that stakeholder)", { params: idParam }, [200, '`{stakeholders}`', true]);
  api('get', '/api/partnerships/{id}/stakeholders/{stakeholderId}', 'One stakeholder with its `version`, also its ETag', { params: stakeholderParams }, [200, 'The stakeholder and its version', true]);
  api('post', '/api/partnerships/{id}/stakeholders', 'Map a stakeholder, or update the one named by `id` or by the same organisation name (a different organisation never overwrites another; 404 for an unknown `id`). Updating one needs `If-Match` with its ETag (GET …/stakeholders/{stakeholderId}); mapping a new one needs none', { params: idParam, headers: ifMatch, body: json(StakeholderInputSchema) }, [201, 'Mapped: the new stakeholder, `created: true`, with its `version` (and ETag)', true], [[200, 'Updated: the stakeholder, `created: false`, with its new `version` (and ETag)'], ...versioned('The stakeholder')]);
  api('post', '/api/partnerships/{id}/stakeholders/{stakeholderId}/invite', 'Promote a stakeholder to partner: starts its onboarding', { params: stakeholderParams, body: json(InvitePartnerSchema) }, [202, 'Invited; the onboarding workflow has started', true]);
  api('post', '/api/partnerships/{id}/stakeholders/{stakeholderId}/withdraw', 'Withdraw an invited or active partner', { params: stakeholderParams, body: json(WithdrawPartnerSchema) }, [202, 'Withdrawn (or withdrawal sent to the onboarding)', true]);
  api('post', '/api/partnerships/{id}/role', "Change the organisation's role in the partnership (recorded)", { params: idParam, body: json(ChangeRoleSchema) }, [200, 'The recorded change', true]);
  api('get', '/api/partnerships/{id}/stakeholders/{stakeholderId}/onboarding', "Where the stakeholder's current (or last) onboarding stands: its steps with their dates, the due-diligence answers, the internal approval (who decided, when), the agreement and the signature", { params: stakeholderParams }, [200, 'The onboarding', true]);
  api('post', '/api/partnerships/{id}/stakeholders/{stakeholderId}/resend', "Email the open step of the stakeholder's onboarding (the invitation, the due-diligence form or the signature) to its contact again; the same `key` again is the same request and sends nothing", { params: stakeholderParams, body: json(ResendInvitationSchema) }, [200, 'The request: its step, by whom, when', true]);
  const sectionParams = z.object({ id: z.string(), sectionId: z.enum(SECTION_IDS) });
  api('get', '/api/partnerships/{id}/sections', "The partnership's written sections (issue and context, core group, governance outline and structure, communication plan, reporting lines, own resources, staffing plan), each with its `version` and its last changes", { params: idParam }, [200, '`{sections}`', true]);
  api('get', '/api/partnerships/{id}/sections/{sectionId}', 'One section with its `version`, also its ETag (version 0 and an empty text until first written)', { params: sectionParams }, [200, 'The section, its version and its last changes (who, when)', true]);
  api('put', '/api/partnerships/{id}/sections/{sectionId}', 'Write a section whole (`sdgTargets` only on issue-context, `bySource` only on own-resources), with `If-Match: "<version>"` from its GET; a checklist item whose substance it is can be ticked once it holds text', { params: sectionParams, headers: ifMatch, body: json(SectionWriteSchema) }, [200, 'The section with its new `version` (and ETag)', true], versioned('The section'));
  api('get', '/api/partners', 'Partners across partnerships', { query: ListPartnersQuerySchema }, [200, 'Partners with their partnerships', true]);
  api('get', '/api/partners/{id}', "A partner's partnerships, documents and history", { params: idParam }, [200, 'The partner', true]);
  registry.registerPath({
    method: 'post', path: '/invitations/{token}', summary: "A partner contact's answer to the current onboarding step (signed link; form or JSON)",
    request: { params: z.object({ token: z.string() }), body: json(PartnerAnswerSchema) },
    responses: { 303: { description: 'Recorded; the page shows the next step' }, 403: { description: 'Not this contact or link' }, 409: { description: 'Step not open' }, 410: { description: 'Expired' } },
  });
  api('get', '/api/partnerships/{id}/objectives', "The SMART objectives, each with its `version` (send it back as If-Match to change that objective)", { params: idParam }, [200, '`{objectives}`', true]);
  api('get', '/api/partnerships/{id}/objectives/{objectiveId}', 'One SMART objective with its `version`, also its ETag', { params: z.object({ id: z.string(), objectiveId: z.string() }) }, [200, 'The objective and its version', true]);
  api('post', '/api/partnerships/{id}/objectives', 'Add or change a SMART objective (statement, indicator, numeric target and unit, date, the partners\' agreement that it is achievable, why it is reasonable); refused with 400 when it is not SMART (e.g. a date in the past). Changing one needs `If-Match` with its ETag; adding a new one needs none', { params: idParam, headers: ifMatch, body: json(SmartObjectiveInputSchema) }, [200, 'The objective with its new `version` (and ETag)', true], versioned('The objective'));
  api('post', '/api/partnerships/{id}/roadmap', 'Add or replace a roadmap activity (SMART targets; lead partner must be active). Replacing one needs `If-Match` with its ETag (GET …/roadmap/{activityId}); adding a new one needs none', { params: idParam, headers: ifMatch, body: json(RoadmapActivityInputSchema) }, [200, 'The activity with its new `version` (and ETag)', true], versioned('The activity'));
  api('get', '/api/partnerships/{id}/roadmap/{activityId}', 'One roadmap activity with its `version`, also its ETag', { params: z.object({ id: z.string(), activityId: z.string() }) }, [200, 'The activity and its version', true]);
  api('get', '/api/partnerships/{id}/roadmap', 'The roadmap with each activity\'s approved and pending channel', { params: idParam }, [200, 'Roadmap', true]);
  api('get', '/api/partnerships/{id}/roadmap/{activityId}/progress', "An activity's progress in collaborative action: its `status` now (`not-started` until a first record), its `records` newest last (status, what was done, by which partners, who recorded it, when) and its progress `version`, also the ETag", { params: z.object({ id: z.string(), activityId: z.string() }) }, [200, '`{activityId, status, records, version}`', true]);
  api('post', '/api/partnerships/{id}/roadmap/{activityId}/progress', 'Record progress on an activity (collaborative action or reflective monitoring): its status, what was done, which partners did it; with `If-Match: "<version>"` from its GET (`"0"` for the first record)', { params: z.object({ id: z.string(), activityId: z.string() }), headers: ifMatch, body: json(ActivityProgressSchema) }, [201, 'The record with the new progress `version` (and ETag)', true], versioned('The activity\'s progress'));
  api('get', '/api/partnerships/{id}/resource-strategy', 'The resource strategy with its `version` (also its ETag; send it back as If-Match)', { params: idParam }, [200, 'The strategy and its version', true]);
  api('put', '/api/partnerships/{id}/resource-strategy', 'Replace the resource strategy (pledges, own sources, external financial partners), with `If-Match: "<version>"` from its GET', { params: idParam, headers: ifMatch, body: json(ResourceStrategySchema) }, [200, 'The strategy and its new version (and ETag)', true], versioned('The resource strategy'));
  api('get', '/api/partnerships/{id}/fiduciary-rule', 'The fiduciary rule with its `version`, also its ETag', { params: idParam }, [200, '`{rule, version}`', true]);
  api('put', '/api/partnerships/{id}/fiduciary-rule', 'Lead partner, or rotating among core partners by cycle; with `If-Match: "<version>"` from its GET', { params: idParam, headers: ifMatch, body: json(FiduciaryRuleSchema) }, [200, 'The rule and its new version (and ETag)', true], versioned('The fiduciary rule'));
  api('post', '/api/partnerships/{id}/roadmap/{activityId}/channel', 'Propose (or change) the financial channel of an activity: starts its approval', { params: z.object({ id: z.string(), activityId: z.string() }), body: json(ChannelProposalSchema) }, [202, 'The channel version under review', true]);
  api('get', '/api/partnerships/{id}/funding', 'Funding summary: pledged, approved, by source and by partner', { params: idParam }, [200, 'Summary', true]);
  api('get', '/api/funding/channels', 'Registered channel decisions (with their agreement documents)', { query: z.object({ partnershipId: z.string().optional() }) }, [200, 'Channels', true]);
  api('post', '/api/partnerships/{id}/reviews', 'Open a review now (reviews also open on entering reflective monitoring)', { params: idParam, body: json(AdvanceSchema) }, [202, 'The review', true]);
  api('get', '/api/partnerships/{id}/reviews', 'Reviews of a partnership', { params: idParam }, [200, 'Reviews', true]);
  api('get', '/api/partnerships/{id}/reviews/{reviewId}', "A review's answers, report and decision", { params: z.object({ id: z.string(), reviewId: z.string() }) }, [200, 'The review', true]);
  api('post', '/api/partnerships/{id}/reviews/{reviewId}/reminders', 'Remind the partners who have not answered a review; the same `key` again is the same reminder and sends nothing', { params: z.object({ id: z.string(), reviewId: z.string() }), body: json(RemindReviewSchema) }, [200, 'The reminder: when, by whom, to which partners', true]);
  api('get', '/api/partnerships/{id}/indicators', 'Indicator time series across reviews', { params: idParam }, [200, 'Indicators with their series', true]);
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
    method: 'post', path: '/tasks/{token}/delegate', summary: "Hand the task to a colleague, with a reason (the approver's signed link; form fields toName, toEmail, toLanguage, reason, or JSON). The colleague is emailed their own link; this one stops working",
    request: { params: z.object({ token: z.string() }), body: json(DelegateTaskSchema) },
    responses: { 200: { description: 'Handed over: the record of the hand-over' }, 400: { description: 'No reason, or a bad colleague' }, 403: { description: 'Bad signature, or not yours to hand over (the answer says who holds it)' }, 409: { description: 'Already decided, or the colleague holds it already' }, 410: { description: 'Expired' } },
  });
  registry.registerPath({
    method: 'post', path: '/tasks/{token}/out-of-office', summary: "The approver is away: from firstDay to lastDay (UTC, both included) every task due to them goes to the delegate, this one at once if today is covered (signed link; form fields delegateName, delegateEmail, delegateLanguage, firstDay, lastDay, reason, or JSON)",
    request: { params: z.object({ token: z.string() }), body: json(OutOfOfficeSchema) },
    responses: { 200: { description: 'Set: the record and the tasks handed over now' }, 400: { description: 'Bad dates or delegate' }, 403: { description: 'Bad signature' } },
  });
  registry.registerPath({
    method: 'post', path: '/approvals/{token}', summary: "Decide several of an approver's open tasks at once (signed inbox link; form fields decision:<taskId> and comment:<taskId>, or JSON)",
    request: { params: z.object({ token: z.string() }), body: json(InboxDecisionsSchema) },
    responses: { 200: { description: 'One result per task: decided, or refused with the reason' }, 400: { description: 'A rejection without a comment, or nothing chosen (nothing is sent)' }, 403: { description: 'Bad signature' }, 410: { description: 'Expired link' } },
  });
  const emailParam = z.object({ email: z.string() });
  api('get', '/api/people/{email}/out-of-office', "A person's out-of-office delegate and days", { params: emailParam }, [200, '`{email, outOfOffice}`', true]);
  api('put', '/api/people/{email}/out-of-office', "Sets a person's out-of-office delegate; if today is covered, their open tasks are handed over now (a signed-in person: their own only)", { params: emailParam, body: json(OutOfOfficeSchema) }, [200, '`{email, outOfOffice, handedOver}`', true]);
  api('delete', '/api/people/{email}/out-of-office', "Clears a person's out-of-office (tasks already handed over stay with the delegate)", { params: emailParam }, [204, 'Cleared', false]);
  api('get', '/api/catalogue', 'The phase catalogue: phases, dimensions and every checklist item with its guide reference', {}, [200, '`{phases, dimensions, items}`', true]);
  const partnershipFilter = z.object({ partnershipId: z.string().optional() });
  api('get', '/api/documents', 'Generated documents, optionally of one partnership', { query: partnershipFilter }, [200, '`{documents: [{id, kind, title, url, …}]}`', true]);
  api('get', '/api/registry/transitions', 'The record of every gate decision, optionally of one partnership', { query: partnershipFilter }, [200, '`{transitions: […]}`', true]);
  api('put', '/api/partners/{id}/memberships/{partnershipId}', "Record a partner's membership of a partnership (written by the worker; idempotent)", { params: z.object({ id: z.string(), partnershipId: z.string() }), body: json(PartnerMembershipSchema) }, [201, 'Recorded', true], [200, 'Already recorded']);
  api('put', '/api/funding/channels/{id}', 'Register a channel decision (written by the worker; idempotent)', { params: idParam, body: json(FundingChannelRecordSchema) }, [201, 'Registered', true], [200, 'Already registered']);
  const tokenParam = z.object({ token: z.string() });
  const linkPage = (path: string, summary: string) =>
    registry.registerPath({
      method: 'get', path, summary,
      request: { params: tokenParam },
      responses: {
        200: { description: 'The page (HTML), or with `Accept: application/json` the same facts as JSON; `open` says whether its form is offered', content: { 'text/html': { schema: z.string() }, 'application/json': { schema: anyObject } } },
        403: { description: 'Bad signature, or not sent to you' },
        410: { description: 'The link has expired' },
      },
    });
  linkPage('/tasks/{token}', "An approver's task: the request and its decision form");
  linkPage('/tasks/{token}/document', "What the approver decides on, through the task's own link: a gate's draft phase document, a review decision's MEL report (?format=pdf|html, ?lang=)");
  linkPage('/invitations/{token}', "A partner contact's invitation at its current onboarding step");
  linkPage('/reviews/{token}', "A focal point's review form with their indicators");
  linkPage('/approvals/{token}', "An approver's open tasks of one kind, to decide several at once");
  registry.registerPath({
    method: 'get', path: '/invitations/{token}/agreement', summary: 'The partnership agreement to sign (HTML)',
    request: { params: tokenParam },
    responses: { 200: { description: 'The agreement', content: { 'text/html': { schema: z.string() } } }, 403: { description: 'Not this contact or link' }, 404: { description: 'Not ready yet' } },
  });
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Liveness: the store and Temporal answer (no token)', responses: { 200: { description: '`{ok: true}`' }, 503: { description: 'Temporal is not reachable' } } });
  registry.registerPath({ method: 'get', path: '/metrics', summary: 'Prometheus metrics (no token)', responses: { 200: { description: 'Text exposition format' } } });
  registry.registerPath({ method: 'get', path: '/openapi.json', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.0' } } });
  api('put', '/api/documents/{id}', 'Store a generated document (idempotent)', { params: idParam, body: json(DocumentUpsertSchema) }, [201, 'Stored', false], [200, 'Already stored']);
  api('get', '/api/documents/{id}', 'Download a document (PDF, or ?format=html)', { params: idParam }, [200, 'The document', false]);
  const GuideBullet = z.object({
    id: z.string(),
    kind: z.enum(['bullet', 'passage']),
    section: z.enum(['II.2.A', 'II.2.B', 'II.2.C', 'II.2.D']),
    heading: z.string().openapi({ description: "The guide's heading, as that section writes it" }),
    subheading: z.string().optional(),
    paraphrase: z.string().openapi({ description: 'The bullet in our own words' }),
    parts: z.array(z.string()).optional(),
    note: z.string().optional().openapi({ description: 'How a shared item serves it, or why it is advice' }),
  });
  const Catalogue = registry.register(
    'Catalogue',
    z.object({
      phases: z.array(z.object({ id: z.enum(PHASE_IDS), label: z.string(), guideRef: z.string() })),
      dimensions: z.array(z.object({ id: z.enum(DIMENSION_IDS), label: z.string() })),
      groups: z.array(z.object({ id: z.string(), label: z.string() })),
      capabilities: z.array(z.object({ id: z.string(), label: z.string() })),
      coverage: z.object({
        actionBullets: z.number().int(),
        covered: z.number().int(),
        passages: z.number().int(),
        notCounted: z.object({ subPoints: z.number().int(), descriptive: z.number().int() }),
      }),
      items: z.array(
        z.object({
          id: z.string(),
          phase: z.enum(PHASE_IDS),
          dimension: z.enum(DIMENSION_IDS),
          group: z.string().optional(),
          title: z.string(),
          guideRef: z.string().openapi({ example: 'II.2.B Resources' }),
          capability: z.string().optional(),
          requiresCapability: z.boolean().optional(),
          edition: z.number().int(),
          bullets: z.array(GuideBullet),
        }),
      ),
    }),
  );
  registry.registerPath({
    method: 'get',
    path: '/api/catalogue',
    security,
    summary: 'The phase catalogue: every checklist item with the guide bullets it serves, and the coverage of guide II.2.A–D',
    responses: { 200: { description: 'The catalogue', ...json(Catalogue) }, 401: errors[401] },
  });
  api('put', '/api/registry/transitions/{id}', 'Record a phase decision in the registry (idempotent)', { params: idParam, body: json(TransitionRecordSchema) }, [201, 'Recorded', false], [200, 'Already recorded']);
  // What the worker asks of the API's database (it opens none of its own).
  const messageIdParam = z.object({ messageId: z.string().openapi({ description: 'The Message-ID with its angle brackets, percent-encoded', example: '<0123abcd@msp-orchestrator>' }) });
  api('get', '/api/registry/sent-mail/{messageId}', 'Whether an email was sent (the mail sent-log the worker checks before sending)', { params: messageIdParam }, [200, '`{messageId, sent}` (`sent: false` for a message never recorded)', true]);
  api('put', '/api/registry/sent-mail/{messageId}', 'Record an email the SMTP server accepted (written by the worker; idempotent)', { params: messageIdParam, body: json(SentMailRecordSchema) }, [201, 'Recorded', true], [200, 'Already recorded']);
  api('get', '/api/registry/out-of-office/{email}', "Whom a person's tasks go to on a day: their out-of-office if it covers `on` (read by the worker)", { params: z.object({ email: z.string() }), query: OutOfOfficeOnQuerySchema }, [200, '`{email, on, outOfOffice}` (`outOfOffice: null` when none covers the day)', true]);

  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    // The API's version is the product's (package.json), and CHANGELOG.md says what each version changed for tools.
    info: { title: 'MSP Orchestrator API', version: PRODUCT_VERSION, description: 'Multi-Stakeholder Partnerships as durable workflows. What changed in each version, and what a client must do about it: CHANGELOG.md' },
    servers: [{ url: serverUrl }],
  });
}
