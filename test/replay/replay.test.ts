import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { quietRuntime, workflowBundle } from '../support/stack';

quietRuntime();

/**
 * Recorded histories (npm run record-histories) must replay against today's
 * workflow code: a change that running partnerships would replay differently
 * fails here, and needs `patched()` before it can ship.
 */
const DIR = join(__dirname, '..', 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

test('histories are checked in', () => {
  expect(files).toEqual(expect.arrayContaining([
      // Written before partners existed: running partnerships from then must still replay.
      'partnership-full-cycle-before-partners.json',
      // Written before resources (roadmap, channels) existed.
      'partnership-full-cycle-before-funding.json',
      // Written before reviews opened themselves on entering reflective monitoring (patch "auto-review-on-monitoring").
      'partnership-full-cycle-before-reviews.json',
      // Written when every publish wrote the search attributes (patch "publish-changed-search-attributes-only").
      'partnership-full-cycle-before-publish-patch.json',
      // Each gate's document, record and manager email one after another, before patch "gate-side-effects-together".
      'partnership-full-cycle-before-side-effects-together.json',
      // Before this round's patches (sections, open work closing with the partnership, reminders, decisions through the gate, …).
      'partnership-full-cycle-before-sections.json',
      'partnership-full-cycle.json',
      // Stakeholders whose ids changed with patch "unicode-stakeholder-ids", invited before and after it
      // (scripts/record-stakeholder-history.ts): the onboarding children's workflow ids must match.
      'partnership-names-before-unicode-ids.json',
      'partnership-names.json',
      // A gate handed to the next approver past its escalation time, on and back (scripts/record-handover-history.ts),
      // before and after patches "escalation-skips-holders" and "delegated-email-per-handover".
      'partnership-handover-before-patches.json',
      'partnership-handover.json',
      'approval-rejected.json',
      'approval-escalated.json',
      'onboarding-accepted.json',
      'funding-channel-approved.json',
      'review-decided.json',
      // The same children before they closed with their partnership (patches "*-closes-with-partnership", "resend-invitation",
      // "partner-approval-reported", "review-reminders-on-request"): both sides of each patch are checked in.
      'onboarding-accepted-before-closing.json',
      'funding-channel-approved-before-closing.json',
      'review-decided-before-closing.json',
    ]));
});

test.each(files)('%s replays without nondeterminism', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
  expect(history.events?.length).toBeGreaterThan(5);
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: file }, history, file);
});
