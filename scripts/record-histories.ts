import { mkdirSync } from 'node:fs';
import { HISTORIES_DIR, saveHistory } from './history-file';
import { PartnershipService } from '../api/partnership-service';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { APPROVER_1, APPROVER_2, completePhase, decideTask, eventually, partnershipInput } from '../test/support/fixtures';
import { startStack } from '../test/support/stack';
import { contactFor, onboardPartner } from '../test/support/partners';
import { activityInput, channelInput, decideChannel } from '../test/support/funding';

/**
 * `npm run record-histories [-- file.json …]`: drives one partnership through
 * a full cycle on a real dev server and saves the histories the replay test
 * checks (only the files named, when some are). Re-record
 * only on purpose: the point of the checked-in files is that today's workflow
 * code must still replay what yesterday's code wrote.
 */

async function main(): Promise<void> {
  process.env.TEMPORAL_CLI ??= ensureTemporalCli();
  const stack = await startStack('record');
  const service = new PartnershipService(stack.env.client, stack.taskQueue);
  const client = stack.env.client;
  try {
    const p = await service.start(
      partnershipInput({
        slug: 'recorded-cycle',
        timings: { reminderAfter: '1s', escalateAfter: '2s', deadline: '1 hour', reviewEvery: '2s' },
      }),
    );
    const until = (pred: (v: Awaited<ReturnType<PartnershipService['get']>>) => boolean) =>
      eventually(async () => {
        const v = await service.get(p.id);
        return pred(v) && v;
      }, 60_000);

    await completePhase(service, p.id, 'initiating');
    // A rejection first, then an approval after a reminder and an escalation.
    const rejected = await service.requestAdvance(p.id, { note: 'first try' });
    await decideTask(stack.mail, service, rejected.id, APPROVER_1, 'reject', 'Add the private sector to the map');
    await until((v) => v.pendingTasks.length === 0 && v.decisions.length === 1);
    const escalated = await service.requestAdvance(p.id, {});
    await stack.mail.waitFor((m) => m.to.includes(APPROVER_2.email) && m.subject.startsWith('Escalated'), 30_000);
    await service.decide(escalated.id, { approverEmail: APPROVER_2.email, decision: 'approve' });
    await until((v) => v.phase === 'adaptive-planning');
    await onboardPartner(stack.mail, service, p.id, 'Ministry of Labour', 'government');
    await onboardPartner(stack.mail, service, p.id, 'Youth Network', 'civil-society');
    await onboardPartner(stack.mail, service, p.id, 'Workers Union', 'workers-organisation');
    await service.upsertActivity(p.id, activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'));
    const channel = await decideChannel(stack.mail, service, p.id, 'green-jobs-pilot', channelInput('50000.00'));
    // The planning checklist needs the roadmap's SMART targets, so it is ticked once the activity is there.
    await completePhase(service, p.id, 'adaptive-planning');
    await decideTask(stack.mail, service, (await service.requestAdvance(p.id, {})).id, APPROVER_1);
    await until((v) => v.phase === 'reflective-monitoring');
    await completePhase(service, p.id, 'reflective-monitoring');
    // The review opened on entering monitoring: partners answer, governance chooses "continue".
    const review = (await service.get(p.id)).reviews[0];
    const answer = (email: string, values: Record<string, string>) =>
      service.answerReview(review.id, { email, values, treatedFairly: 4, importantIssuesDiscussed: 4, feedbackOnOrganisation: 'Clear', learning: 'Pilots work' });
    await answer(contactFor('Ministry of Labour').email, { 'green-jobs-pilot/0': '120' });
    await answer(contactFor('Youth Network').email, {});
    await answer(contactFor('Workers Union').email, {});
    const firstRunId = (await client.workflow.getHandle(p.id).describe()).runId;
    await stack.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && m.text.includes('/tasks/') && m.subject.includes('Review 1'), 30_000);
    await completePhase(service, p.id, 'reflective-monitoring');
    await service.decide(`${review.id}.decision`, { approverEmail: APPROVER_1.email, decision: 'approve', choice: 'continue' });
    await until((v) => v.cycle === 2 && v.documents.some((d) => d.kind === 'review-record'));

    mkdirSync(HISTORIES_DIR, { recursive: true });
    // The CLI's JSON is the format Worker.runReplayHistory documents (and what operators export from prod).
    // `npm run record-histories -- partnership-full-cycle.json` saves only the files named (keep the older ones as they are).
    const only = process.argv.slice(2);
    const save = async (file: string, workflowId: string, runId?: string) => {
      if (only.length === 0 || only.includes(file)) saveHistory(stack.env.address, workflowId, file, runId);
    };
    await save('partnership-full-cycle.json', p.id, firstRunId);
    // approval-rejected.json and approval-escalated.json hold a gate's approval child, which only runs from before
    // `gate-decided-on-partnership` started: they stay as they were recorded then; today's gates have none to save.
    await save('onboarding-accepted.json', `${p.id}.partner.ministry-of-labour`);
    await save('funding-channel-approved.json', channel.channelId);
    await save('review-decided.json', review.id);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
