import { randomBytes } from 'node:crypto';
import { createServices } from '../../api/services';
import type { PartnershipReadModel } from '../../api/partnership/service';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import type { LocalService } from '../../scripts/local-service';
import { allianceReviewAnswer, allianceStakeholderInput, allianceWithRegionalOffices, type AllianceMember } from '../../test/support/alliance';
import { APPROVER_1, APPROVER_2, FIRST_MAPPED, MANAGER, completePhase, decideTask, eventually, isTaskEmailFor, partnershipInput, taskLinkOf } from '../../test/support/fixtures';
import { activityInput, channelInput, decideChannel } from '../../test/support/funding';
import { writeSections } from '../../test/support/sections';
import { inPool, timed, type LatencySummary } from '../stats';
import { runsOf, totalOf, type RunFigures } from './histories';
import { emailFigures, findingsInRuns, timedReads, type EmailFigures } from './measure';

/**
 * Large: one partnership the size of a real global alliance (300 members by
 * default, long names in several scripts) through a whole cycle and into the
 * next, driven through the service layer the API uses. Measured against
 * Temporal's limits: events and bytes of every run of the partnership (it
 * continues as new when the server suggests it, and at the new cycle), the
 * largest payload and search attribute value written, the same for the review
 * and the onboardings; the read model's size and read latency; emails per partner.
 * The histories are read in ./histories.ts, the rest measured in ./measure.ts,
 * printed by ./tables.ts.
 */

export interface LargeResult {
  partners: number;
  concurrency: number;
  partnershipId: string;
  seconds: number;
  stages: Array<{ stage: string; seconds: number }>;
  partnershipRuns: RunFigures[];
  review: RunFigures[];
  /** The first member's onboarding, and the largest of all by history bytes. */
  onboardingFirst: RunFigures[];
  onboardingLargest: RunFigures[];
  onboardings: number;
  readModel: { bytes: number; latencyMs: LatencySummary };
  partnerFilter: { name: string; found: boolean; latencyMs: LatencySummary };
  emails: EmailFigures;
  /** Anything that went wrong or came near a limit; empty when nothing did. */
  findings: string[];
}

const TITLE = 'Alliance against forced and child labour — Партнёрство «Зелёные рабочие места» 绿色就业 شراكة';

export async function runLarge(svc: LocalService, partners: number, concurrency: number, log: (msg: string) => void): Promise<LargeResult> {
  const service = createServices(svc.client, svc.config.TEMPORAL_TASK_QUEUE);
  const members = allianceWithRegionalOffices(partners);
  const findings: string[] = [];
  const finding = (msg: string) => {
    findings.push(msg);
    log(`!! FINDING: ${msg}`);
  };
  const until = (id: string, what: string, pred: (v: PartnershipReadModel) => boolean, timeoutMs = 600_000, everyMs = 250) =>
    eventually(async () => {
      const v = await service.partnership.get(id);
      if (v.status !== 'active' && v.status !== 'closed') throw new Error(`the partnership is ${v.status}: ${JSON.stringify(v.ended)}`);
      return pred(v) && v;
    }, timeoutMs, everyMs).catch((err: Error) => {
      throw new Error(`waiting for ${what}: ${err.message}`);
    });
  const mailBefore = svc.mail.messages.length;
  const stages: LargeResult['stages'] = [];
  const stage = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    log(`  large: ${name}`);
    const r = await timed(work);
    stages.push({ stage: name, seconds: Math.round(r.ms / 100) / 10 });
    return r.value;
  };
  const all = await timed(async () => {
    const timings = { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', reviewEvery: '1s' };
    const id = await stage('start + initiating gate', async () => {
      const p = await service.partnership.start(partnershipInput({ slug: `large-${randomBytes(4).toString('hex')}`, title: TITLE, timings }));
      // The stakeholder-map item needs someone on the map (mapped only, never invited).
      await service.partners.upsertStakeholder(p.id, FIRST_MAPPED);
      await writeSections(service, p.id, 'initiating');
      await Promise.all(itemsOfPhase('initiating').map((item) => service.partnership.completeItem(p.id, item.id, { by: MANAGER.name })));
      await decideTask(svc.mail, service, (await service.partnership.requestAdvance(p.id, {})).id, APPROVER_1);
      await until(p.id, 'adaptive planning', (v) => v.phase === 'adaptive-planning');
      return p.id;
    });

    const ids = await stage(`map ${partners} stakeholders (one at a time)`, async () => {
      const mapped: string[] = [];
      for (const m of members) {
        const s = await service.partners.upsertStakeholder(id, allianceStakeholderInput(m));
        mapped.push(s.id);
      }
      if (new Set(mapped).size !== partners) finding(`${partners} organisations were mapped to ${new Set(mapped).size} stakeholder ids`);
      return mapped;
    });

    const onboard = async (m: AllianceMember, stakeholderId: string) => {
      const onboardingId = `${id}.partner.${stakeholderId}`;
      await service.partners.invitePartner(id, stakeholderId, {});
      await svc.mail.waitFor((mail) => mail.to.includes(m.contact.email) && /\/invitations\//.test(mail.text), 120_000);
      await service.partners.answerOnboarding(onboardingId, m.contact.email, { step: 'respond', answer: 'accept' });
      await service.partners.answerOnboarding(onboardingId, m.contact.email, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' });
      const task = await svc.mail.waitFor(
        (mail) => mail.to.includes(APPROVER_1.email) && /\/tasks\//.test(mail.text) && taskLinkOf(mail).taskId.startsWith(`${onboardingId}.`),
        120_000,
      );
      await service.tasks.decide(taskLinkOf(task).taskId, { approverEmail: APPROVER_1.email, decision: 'approve' });
      await eventually(async () => (await service.partners.onboarding(onboardingId)).step === 'signature', 120_000, 250);
      await service.partners.answerOnboarding(onboardingId, m.contact.email, { step: 'signature', signatory: `${m.contact.name}, director` });
    };
    await stage(`onboard ${partners} (${concurrency} contacts at a time)`, async () => {
      let done = 0;
      await inPool(members, concurrency, async (m, i) => {
        await onboard(m, ids[i]);
        if (++done % 50 === 0) log(`    ${done} of ${partners} signed`);
      });
      await until(id, `${partners} active partners`, (v) => v.stakeholders.filter((s) => s.status === 'active').length === partners, 600_000, 1000);
    });

    await stage('planning: one funded activity, channel approval, gate', async () => {
      await service.resources.upsertActivity(id, { ...activityInput('child-labour-free-zones', ids[0], 'Child-labour-free zones'), participatingPartners: ids.slice(1, 4) });
      await decideChannel(svc.mail, service, id, 'child-labour-free-zones', channelInput('250000.00'));
      await writeSections(service, id, 'adaptive-planning');
      await Promise.all(itemsOfPhase('adaptive-planning').map((item) => service.partnership.completeItem(id, item.id, { by: MANAGER.name })));
      await decideTask(svc.mail, service, (await service.partnership.requestAdvance(id, {})).id, APPROVER_1);
      await until(id, 'collaborative action', (v) => v.phase === 'collaborative-action');
    });

    const reviewId = await stage('collaborative action → reflective monitoring (review cadence), review open', async () => {
      const v = await until(id, 'an open review', (x) => x.phase === 'reflective-monitoring' && x.reviews.some((r) => r.status === 'in-progress'));
      return v.reviews.find((r) => r.status === 'in-progress')!.id;
    });

    await stage(`${partners} review answers (${concurrency} at a time)`, async () => {
      const asked = (await service.reviews.review(reviewId)).request.partners.length;
      if (asked !== partners) finding(`the review asked ${asked} partners, not ${partners}`);
      await inPool(members, concurrency, async (m, i) => {
        await service.reviews.answerReview(reviewId, allianceReviewAnswer(m, i));
      });
    });

    await stage('governance "continue" → cycle 2 in adaptive planning', async () => {
      await completePhase(service, id, 'reflective-monitoring');
      await svc.mail.waitFor(isTaskEmailFor(`${reviewId}.decision`, APPROVER_1.email), 300_000);
      await service.tasks.decide(`${reviewId}.decision`, { approverEmail: APPROVER_1.email, decision: 'approve', choice: 'continue' });
      const v = await until(id, 'cycle 2', (x) => x.cycle === 2 && x.phase === 'adaptive-planning');
      const active = v.stakeholders.filter((s) => s.status === 'active').length;
      if (active !== partners) finding(`cycle 2 began with ${active} active partners, not ${partners}`);
      const r = v.reviews.find((x) => x.id === reviewId);
      if (r?.status !== 'decided' || r.answered !== partners) finding(`review ${reviewId} reads ${JSON.stringify({ status: r?.status, answered: r?.answered, asked: r?.asked })}`);
    });
    return { id, ids, reviewId };
  });
  const { id, ids, reviewId } = all.value;
  const mail = svc.mail.messages.slice(mailBefore);

  log('  large: reading histories and the read model');
  const partnershipRuns = await runsOf(svc.client, id);
  const review = await runsOf(svc.client, reviewId);
  const onboardingRuns = await inPool(ids, 4, (s) => runsOf(svc.client, `${id}.partner.${s}`));
  const biggest = onboardingRuns.reduce((a, b) => (totalOf(b, 'bytes') > totalOf(a, 'bytes') ? b : a));
  await findingsInRuns(svc.client, id, [...partnershipRuns, ...review, ...onboardingRuns.flat()], finding);

  const readModel = await timedReads(svc, `/api/partnerships/${encodeURIComponent(id)}`, 30);
  const withApostrophe = [...members].reverse().find((m) => m.organisation.includes("'"))!;
  const filter = await timedReads(svc, `/api/partnerships?partner=${encodeURIComponent(withApostrophe.organisation)}`, 10);
  const found = (JSON.parse(filter.body) as { partnerships: Array<{ id: string }> }).partnerships.some((x) => x.id === id);
  if (!found) finding(`GET /api/partnerships?partner=${withApostrophe.organisation} does not list ${id}`);

  const emails = emailFigures(mail, {
    title: TITLE,
    partners,
    organisations: members.map((m) => m.organisation),
    contacts: members.map((m) => m.contact.email),
    approvers: [APPROVER_1.email, APPROVER_2.email],
    manager: MANAGER.email,
  });

  return {
    partners,
    concurrency,
    partnershipId: id,
    seconds: Math.round(all.ms / 100) / 10,
    stages,
    partnershipRuns,
    review,
    onboardingFirst: onboardingRuns[0],
    onboardingLargest: biggest,
    onboardings: onboardingRuns.length,
    readModel: { bytes: Buffer.byteLength(readModel.body), latencyMs: readModel.latencyMs },
    partnerFilter: { name: withApostrophe.organisation, found, latencyMs: filter.latencyMs },
    emails,
    findings,
  };
}
