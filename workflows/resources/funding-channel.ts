import { CancellationScope, condition, defineSignal, executeChild, getExternalWorkflowHandle, log, patched, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { ApprovalDecision } from '../../domain/human-tasks/approval-state';
import type { ChannelProposal, FundingChannelRequest, FundingChannelResult } from '../../domain/resources/funding';
import { registry } from '../activity-proxies';
import { approvalWorkflow } from '../human-tasks/approval';
import { partnershipClosedSignal, type PartnershipClosed } from '../partnership/messages';

/**
 * Since this patch the channel's approval runs in a scope of its own, so that
 * the partnership closing meanwhile (`partnershipClosed`) cancels it and the
 * channel is recorded as rejected with the reason; before it, the approvers
 * could still approve funding for a closed partnership.
 */
const CHANNEL_CLOSES_WITH_PARTNERSHIP_PATCH = 'channel-closes-with-partnership';

/** Sent to the partnership (by id, reaching its current run) when a channel is decided. */
export const channelStatusSignal = defineSignal<[{ activityId: string; version: number } & FundingChannelResult]>('channelStatus');

function describeSource(p: ChannelProposal): string {
  return p.source.kind === 'organisation'
    ? `the organisation's ${p.source.name}`
    : p.source.kind === 'partner'
      ? `partner ${p.source.partnerId}`
      : `external financial partner ${p.source.name}`;
}

/**
 * A financial channel for one roadmap activity (guide II.2.B "Resources"):
 * the financial partner and the fiduciary agent are put, with the amount and
 * disbursement schedule, to the finance approvers; an approved channel gets a
 * funding agreement and is registered. A change to an approved channel is a
 * new version that goes through this workflow again.
 */
export async function fundingChannelWorkflow(req: FundingChannelRequest): Promise<FundingChannelResult> {
  const p = req.proposal;
  const summary = `${req.previous ? 'Change' : 'Approve'} the financial channel of "${req.activity.title}" (v${req.version})`;
  setCurrentDetails(`**${summary}**\n\n${p.amount} ${p.currency} from ${describeSource(p)} · fiduciary agent ${req.fiduciaryAgent}`);

  let closedWith: PartnershipClosed | undefined;
  setHandler(partnershipClosedSignal, (c) => {
    closedWith ??= c;
  });

  let decision: ApprovalDecision;
  const approvalScope = new CancellationScope();
  const approval = approvalScope.run(() =>
    executeChild(approvalWorkflow, {
      workflowId: `${req.channelId}.approval`,
      staticSummary: `${req.partnershipTitle}: ${summary}`,
      args: [
        {
          taskId: `${req.channelId}.approval`,
          partnershipId: req.partnershipId,
          partnershipTitle: req.partnershipTitle,
          kind: 'advance',
          taskKind: 'funding-channel',
          summary,
          details: [
            `Activity: ${req.activity.title} (lead partner ${req.activity.leadPartner}, ${req.activity.start} → ${req.activity.end})`,
            `Source: ${describeSource(p)}; amount ${p.amount} ${p.currency}`,
            `Fiduciary agent: ${req.fiduciaryAgent} (${req.fiduciaryRule === 'lead-partner' ? 'the lead partner' : `rotating among core partners, cycle ${req.cycle}`})`,
            `Disbursements: ${p.disbursements.map((d) => `${d.date}: ${d.amount}`).join('; ')}`,
            ...(req.previous ? [`Replaces the approved channel of ${req.previous.amount} ${req.previous.currency} via ${req.previous.fiduciaryAgent}`] : []),
          ],
          requestedBy: req.proposedBy,
          approvers: req.approvers,
          timings: req.timings,
        },
      ],
    }),
  );
  if (patched(CHANNEL_CLOSES_WITH_PARTNERSHIP_PATCH)) {
    await Promise.race([approval.catch(() => undefined), condition(() => closedWith !== undefined)]);
    if (closedWith) {
      approvalScope.cancel();
      await approval.catch(() => undefined);
    }
  }
  try {
    decision = closedWith
      ? { outcome: 'rejected', by: null, at: closedWith.at, comment: `the partnership closed (${closedWith.reason}) before the channel was decided` }
      : await approval;
  } catch (err) {
    decision = { outcome: 'rejected', by: null, at: new Date(Date.now()).toISOString(), comment: `approval ended without a decision: ${String(err)}` };
  }

  const result: FundingChannelResult = {
    status: decision.outcome,
    decidedBy: decision.by ? `${decision.by.name} <${decision.by.email}>` : 'deadline (no decision)',
    at: decision.at,
    ...(decision.comment ? { comment: decision.comment } : {}),
  };
  try {
    if (result.status === 'approved') {
      const doc = await registry.createFundingAgreement.executeWithOptions({ summary: 'create the funding agreement' }, [{ request: req, decidedBy: result.decidedBy, at: result.at }]);
      result.documentId = doc.id;
    }
    await registry.recordFundingChannel.executeWithOptions({ summary: 'register the channel' }, [
      {
        id: req.channelId,
        record: {
          partnershipId: req.partnershipId,
          activityId: req.activity.id,
          version: req.version,
          status: result.status,
          fiduciaryAgent: req.fiduciaryAgent,
          source: describeSource(p),
          amount: p.amount,
          currency: p.currency,
          documentId: result.documentId ?? null,
          decidedBy: result.decidedBy,
          at: result.at,
        },
      },
    ]);
  } catch (err) {
    log.error('recording the channel failed', { err: String(err) });
  }
  // A partnership that closed told us so, and takes no more news.
  if (!closedWith) {
    try {
      await getExternalWorkflowHandle(req.partnershipId).signal(channelStatusSignal, { activityId: req.activity.id, version: req.version, ...result });
    } catch (err) {
      log.warn('the partnership did not take the channel decision (closed?)', { err: String(err) });
    }
  }
  setCurrentDetails(`**${summary}**\n\n**${result.status}** by ${result.decidedBy}${result.comment ? ` — “${result.comment}”` : ''}`);
  return result;
}
