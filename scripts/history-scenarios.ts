import { createServices, type Services } from '../api/services';
import { approverDigestWorkflowId } from '../domain/names';
import { PRINCIPLE_IDS } from '../domain/partners/principles';
import type { StakeholderGroup } from '../domain/partners/stakeholders';
import { APPROVER_1, APPROVER_2, completePhase, decideTask, eventually, partnershipInput, taskLinkOf } from '../test/support/fixtures';
import { activityInput, channelInput, decideChannel } from '../test/support/funding';
import { startInMonitoring } from '../test/support/monitoring';
import { contactFor, isInvitationEmailFor, onboardPartner, stakeholderInput } from '../test/support/partners';
import { startStack, type Stack } from '../test/support/stack';

/**
 * The runs scripts/record-histories.ts drives on a real dev server, one per
 * scenario, each naming the histories it can save. Every run uses today's
 * workflow code, so each history holds the markers of every patch its run
 * asked (the "after" side, docs/patches.md). `save(stack, file, workflowId, runId?)`
 * is called for every file; the script decides which it writes.
 */
export type Save = (stack: Stack, file: string, workflowId: string, runId?: string) => void;

export interface Scenario {
  /** The histories this scenario saves, test/histories/<file>. */
  files: readonly string[];
  /** Drives the runs on a fresh stack and saves the histories. */
  record(save: Save): Promise<void>;
}

type Service = Services;

/** Brings one partner's onboarding to its internal approval; answers the onboarding id. */
async function toApproval(service: Service, partnershipId: string, organisation: string, group: StakeholderGroup): Promise<string> {
  const s = await service.partners.upsertStakeholder(partnershipId, stakeholderInput(organisation, group));
  await service.partners.invitePartner(partnershipId, s.id, {});
  const onboardingId = `${partnershipId}.partner.${s.id}`;
  const contact = contactFor(organisation);
  await service.partners.answerOnboarding(onboardingId, contact.email, { step: 'respond', answer: 'accept' });
  await service.partners.answerOnboarding(onboardingId, contact.email, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' });
  return onboardingId;
}

/** The latest approval child an onboarding started (`<onboardingId>.approval-<n>`). */
async function approvalOf(stack: Stack, onboardingId: string): Promise<string> {
  for await (const wf of stack.env.client.workflow.list({ query: `WorkflowType = 'approvalWorkflow'` })) {
    if (wf.workflowId.startsWith(`${onboardingId}.approval`)) return wf.workflowId;
  }
  throw new Error(`no approval workflow for ${onboardingId}`);
}

/**
 * One partnership through a full cycle: a gate rejected, one approved after a
 * reminder and an escalation, three partners onboarded, an activity with
 * an approved channel, a review answered and decided "continue".
 */
export const fullCycle: Scenario = {
  files: ['partnership-full-cycle.json', 'approval-partner-approved.json', 'onboarding-accepted.json', 'funding-channel-approved.json', 'review-decided.json'],
  async record(save) {
    const stack = await startStack('record');
    const service = createServices(stack.env.client, stack.taskQueue);
    try {
      const p = await service.partnership.start(
        partnershipInput({ slug: 'recorded-cycle', timings: { reminderAfter: '1s', escalateAfter: '2s', deadline: '1 hour', reviewEvery: '2s' } }),
      );
      const until = (pred: (v: Awaited<ReturnType<Service['partnership']['get']>>) => boolean) =>
        eventually(async () => {
          const v = await service.partnership.get(p.id);
          return pred(v) && v;
        }, 60_000);

      await completePhase(service, p.id, 'initiating');
      // A rejection first, then an approval after a reminder and an escalation.
      const rejected = await service.partnership.requestAdvance(p.id, { note: 'first try' });
      await decideTask(stack.mail, service, rejected.id, APPROVER_1, 'reject', 'Add the private sector to the map');
      await until((v) => v.pendingTasks.length === 0 && v.decisions.length === 1);
      const escalated = await service.partnership.requestAdvance(p.id, {});
      await stack.mail.waitFor((m) => m.to.includes(APPROVER_2.email) && m.subject.startsWith('Escalated'), 30_000);
      await service.tasks.decide(escalated.id, { approverEmail: APPROVER_2.email, decision: 'approve' });
      await until((v) => v.phase === 'adaptive-planning');
      await onboardPartner(stack.mail, service, p.id, 'Ministry of Labour', 'government');
      await onboardPartner(stack.mail, service, p.id, 'Youth Network', 'civil-society');
      await onboardPartner(stack.mail, service, p.id, 'Workers Union', 'workers-organisation');
      await service.resources.upsertActivity(p.id, activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'));
      const channel = await decideChannel(stack.mail, service, p.id, 'green-jobs-pilot', channelInput('50000.00'));
      // The planning checklist needs the roadmap's SMART targets, so it is ticked once the activity is there.
      await completePhase(service, p.id, 'adaptive-planning');
      await decideTask(stack.mail, service, (await service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
      await until((v) => v.phase === 'reflective-monitoring');
      await completePhase(service, p.id, 'reflective-monitoring');
      // The review opened on entering monitoring: partners answer, governance chooses "continue".
      const review = (await service.partnership.get(p.id)).reviews[0];
      const answer = (email: string, values: Record<string, string>) =>
        service.reviews.answerReview(review.id, { email, values, treatedFairly: 4, importantIssuesDiscussed: 4, feedbackOnOrganisation: 'Clear', learning: 'Pilots work' });
      await answer(contactFor('Ministry of Labour').email, { 'green-jobs-pilot/0': '120' });
      await answer(contactFor('Youth Network').email, {});
      await answer(contactFor('Workers Union').email, {});
      const firstRunId = (await stack.env.client.workflow.getHandle(p.id).describe()).runId;
      await stack.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && m.text.includes('/tasks/') && m.subject.includes('Review 1'), 30_000);
      await completePhase(service, p.id, 'reflective-monitoring');
      await service.tasks.decide(`${review.id}.decision`, { approverEmail: APPROVER_1.email, decision: 'approve', choice: 'continue' });
      await until((v) => v.cycle === 2 && v.documents.some((d) => d.kind === 'review-record'));

      save(stack, 'partnership-full-cycle.json', p.id, firstRunId);
      // Gates have no approval child since `gate-decided-on-partnership`: a partner's internal approval is today's approvalWorkflow.
      save(stack, 'approval-partner-approved.json', await approvalOf(stack, `${p.id}.partner.ministry-of-labour`));
      save(stack, 'onboarding-accepted.json', `${p.id}.partner.ministry-of-labour`);
      save(stack, 'funding-channel-approved.json', channel.channelId);
      save(stack, 'review-decided.json', review.id);
    } finally {
      await stack.stop();
    }
  },
};

/**
 * A partnership in reflective monitoring records progress on an activity,
 * then closes by an approved "exit" while work is open: an invitation (sent
 * again on the manager's request) and a review (its partners reminded on the
 * manager's request), whose decision the gate's takes over.
 */
export const closing: Scenario = {
  files: ['partnership-closed.json', 'onboarding-closed-with-partnership.json', 'review-decided-by-gate.json'],
  async record(save) {
    const stack = await startStack('record-closing');
    const service = createServices(stack.env.client, stack.taskQueue);
    try {
      const id = await startInMonitoring(stack, { active: [['Ministry of Labour', 'government']], mapped: [['Youth Network', 'civil-society']] });
      await service.resources.upsertActivity(id, activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'));
      await service.resources.recordActivityProgress(id, 'green-jobs-pilot', { status: 'under-way', note: 'Site visits planned', doneBy: [], by: 'Mona' }, 0);
      await service.partners.invitePartner(id, 'youth-network', {});
      const youth = contactFor('Youth Network').email;
      await stack.mail.waitFor(isInvitationEmailFor(youth, 'invitation'), 30_000);
      await service.partners.resendInvitation(`${id}.partner.youth-network`, { key: 'recorded-resend', by: 'Mona' });
      const review = await service.reviews.startReview(id, 'Mona');
      await service.reviews.remindReview(review.id, { key: 'recorded-reminder', by: 'Mona' });
      const gate = await service.partnership.requestReviewDecision(id, { decision: 'exit' });
      await decideTask(stack.mail, service, gate.id, APPROVER_1);
      await eventually(async () => (await stack.env.client.workflow.getHandle(id).describe()).status.name === 'COMPLETED', 60_000);
      const ended = (wid: string) => eventually(async () => (await stack.env.client.workflow.getHandle(wid).describe()).status.name === 'COMPLETED', 60_000);
      await ended(`${id}.partner.youth-network`);
      await ended(review.id);
      save(stack, 'partnership-closed.json', id);
      save(stack, 'onboarding-closed-with-partnership.json', `${id}.partner.youth-network`);
      save(stack, 'review-decided-by-gate.json', review.id);
    } finally {
      await stack.stop();
    }
  },
};

const WINDOW_MS = 8000;

/**
 * Digests on (one email per window at once, the rest in the digest): two
 * partner approvals for the first approver, the second digested, and a third
 * from a partnership whose tasks expire before the window ends, sent at once;
 * that partner's onboarding then ends without approval.
 */
export const digest: Scenario = {
  files: ['approver-digest-sent.json', 'onboarding-approval-expired.json'],
  async record(save) {
    const stack = await startStack('record-digest', [], { digest: { after: 1, windowMs: WINDOW_MS } });
    const service = createServices(stack.env.client, stack.taskQueue);
    try {
      const a = await service.partnership.start(partnershipInput({ slug: 'recorded-digest' }));
      await toApproval(service, a.id, 'Ministry of Labour', 'government');
      await toApproval(service, a.id, 'Youth Network', 'civil-society');
      const b = await service.partnership.start(
        partnershipInput({ slug: 'recorded-digest-short', timings: { reminderAfter: '2s', escalateAfter: '3s', deadline: '4s', reviewEvery: '1 day' } }),
      );
      const short = await toApproval(service, b.id, 'Workers Union', 'workers-organisation');
      await stack.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && taskLinkOf(m).taskId.startsWith(short), 30_000);
      await stack.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /decisions? waiting for you/.test(m.subject), WINDOW_MS + 30_000);
      const digestId = approverDigestWorkflowId(APPROVER_1.email);
      const firstRun = await eventually(async () => {
        for await (const wf of stack.env.client.workflow.list({ query: `WorkflowId = '${digestId}' AND ExecutionStatus = 'ContinuedAsNew'` })) return wf.runId;
        return false;
      }, 30_000);
      save(stack, 'approver-digest-sent.json', digestId, firstRun);
      await eventually(async () => (await stack.env.client.workflow.getHandle(short).describe()).status.name === 'COMPLETED', 30_000);
      save(stack, 'onboarding-approval-expired.json', short);
    } finally {
      await stack.stop();
    }
  },
};

export const SCENARIOS: readonly Scenario[] = [fullCycle, closing, digest];
