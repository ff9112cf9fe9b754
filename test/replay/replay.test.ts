import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { quietRuntime, workflowBundle } from '../support/stack';

quietRuntime();

/**
 * Recorded histories (npm run record-histories) must replay against today's
 * workflow code: a change that running partnerships would replay differently
 * fails here, and needs `patched()` before it can ship (docs/patches.md).
 */
const DIR = join(__dirname, '..', 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

test('histories are checked in', () => {
  expect(files).toEqual(expect.arrayContaining([
      // Written before partners, then resources (roadmap, channels), existed: running partnerships from then must still replay.
      'partnership-full-cycle-before-partners.json',
      'partnership-full-cycle-before-funding.json',
      // Each `<name>-before-<patch-id>.json` was recorded by the code before that patch (and the ones after it in
      // workflows/patches.ts); patch-coverage.test.ts checks each patch has a history on both sides.
      'partnership-full-cycle-before-auto-review-on-monitoring.json',
      'partnership-full-cycle-before-publish-changed-search-attributes-only.json',
      'partnership-full-cycle-before-gate-side-effects-together.json',
      'partnership-full-cycle-before-partnership-sections.json',
      'partnership-full-cycle.json',
      // Stakeholders whose ids changed with "unicode-stakeholder-ids" (scripts/record-stakeholder-history.ts).
      'partnership-names-before-unicode-stakeholder-ids.json',
      'partnership-names.json',
      // A gate handed to the next approver past its escalation time, on and back (scripts/record-handover-history.ts),
      // before and after "escalation-skips-holders" and "delegated-email-per-handover".
      'partnership-handover-before-escalation-skips-holders.json',
      'partnership-handover.json',
      // A partnership closing by an approved exit with an invitation and a review open (scripts/history-scenarios.ts).
      'partnership-closed.json',
      // Phase gates' approval children, from before gates were decided on the partnership.
      'approval-rejected-before-approver-inbox-and-digest.json',
      'approval-escalated-before-approver-inbox-and-digest.json',
      'approval-partner-approved.json',
      'approver-digest-sent.json',
      'onboarding-accepted-before-withdrawal-cancels-approval.json',
      'onboarding-accepted.json',
      'onboarding-approval-expired.json',
      'onboarding-closed-with-partnership.json',
      'funding-channel-approved-before-channel-closes-with-partnership.json',
      'funding-channel-approved.json',
      'review-decided-before-review-emails-in-batches.json',
      'review-decided.json',
      'review-decided-by-gate.json',
    ]));
});

test.each(files)('%s replays without nondeterminism', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
  expect(history.events?.length).toBeGreaterThan(5);
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: file }, history, file);
});
