import { createServices } from '../api/services';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { eventually, partnershipInput } from '../test/support/fixtures';
import { startStack } from '../test/support/stack';
import { refuseToOverwrite, replaceFlag, saveHistory } from './history-file';

/**
 * `npx tsx scripts/record-stakeholder-history.ts [--replace] <file>`: maps and invites
 * organisations whose ids changed with the `unicode-stakeholder-ids` patch
 * (letters outside ASCII, two long names sharing their first 60 characters),
 * and saves the partnership's history to test/histories/<file>. Recorded once
 * with the code before the patch and once after, so the replay test covers both
 * branches: each invitation's id is an onboarding child's workflow id.
 */
const ORGANISATIONS = [
  'Œuvre',
  'Bộ Lao động',
  'Ministère du Travail, de l’Emploi et de la Formation professionnelle — Direction générale du travail',
  'Ministère du Travail, de l’Emploi et de la Formation professionnelle — Direction de la sécurité sociale',
];

async function main(): Promise<void> {
  const { replace, rest: [file] } = replaceFlag(process.argv.slice(2));
  const usage = `npx tsx scripts/record-stakeholder-history.ts [--replace] <new-name>.json`;
  if (!file?.endsWith('.json')) throw new Error(`usage: ${usage} (saved under test/histories/)`);
  refuseToOverwrite([file], replace, usage);
  process.env.TEMPORAL_CLI ??= ensureTemporalCli();
  const stack = await startStack('record-ids');
  const service = createServices(stack.env.client, stack.taskQueue);
  try {
    const p = await service.partnership.start(partnershipInput({ slug: 'recorded-names' }));
    const ids = new Set<string>();
    for (const [n, organisation] of ORGANISATIONS.entries()) {
      const s = await service.partners.upsertStakeholder(p.id, {
        organisation,
        group: 'government',
        whyEngage: 'Sets labour policy',
        potentialRoles: [],
        engagementStrategy: 'Bilateral meeting',
        coreGroup: false,
        contact: { name: `Focal point ${n}`, email: `focal-${n}@partners.example.org` },
      });
      ids.add(s.id);
    }
    // Before the patch the two long names were one stakeholder: invite each id once.
    for (const id of ids) await service.partners.invitePartner(p.id, id, {});
    await eventually(async () => (await service.partnership.get(p.id)).stakeholders.every((s) => s.status === 'invited'));
    saveHistory(stack.env.address, p.id, file, { replace });
    process.stdout.write(`stakeholders ${[...ids].join(', ')}\n`);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
