import { TASK_KINDS } from '../../domain/human-tasks/kinds';
import { CancellationScope, condition, executeChild, getExternalWorkflowHandle, log, patched, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { ApprovalDecision } from '../../domain/human-tasks/approval-state';
import type { ChannelProposal, FundingChannelRequest, FundingChannelResult } from '../../domain/resources/funding';
import { registry } from '../activity-proxies';
import { approvalWorkflow } from '../human-tasks/approval';
import { partnershipClosedSignal, type PartnershipClosed } from '../partnership/messages';
import { channelStatusSignal } from './messages';
import { patch } from '../patches';
import { day, money, nested, said, type Said } from '../../domain/said';
import { closingReasonText } from '../../domain/partnership/open-work';

/** Where the money comes from, as operators read it in the Web UI. */
function describeSource(p: ChannelProposal): string {
  return p.source.kind === 'organisation'
    ? `the organisation's ${p.source.name}`
    : p.source.kind === 'partner'
      ? `partner ${p.source.partnerId}`
      : `external financial partner ${p.source.name}`;
}

/** Where the money comes from, as the approver reads it. */
function sourceSaid(p: ChannelProposal): Said {
  return p.source.kind === 'organisation'
    ? said('pages:request.sourceOrganisation', { name: p.source.name })
    : p.source.kind === 'partner'
      ? said('pages:request.sourcePartner', { name: p.source.partnerId })
      : said('pages:request.sourceExternal', { name: p.source.name });
}

/** What the finance approvers are asked, and the facts they decide on (the task page and email say them in the reader's language). */
function channelRequest(req: FundingChannelRequest): { summary: Said; details: Said[] } {
  const p = req.proposal;
  return {
    summary: said(req.previous ? 'pages:request.changeChannel' : 'pages:request.approveChannel', { activity: req.activity.title, version: req.version }),
    details: [
      said('pages:request.activity', { activity: req.activity.title, lead: req.activity.leadPartner, start: day(req.activity.start), end: day(req.activity.end) }),
      said('pages:request.source', { source: nested(sourceSaid(p)), amount: money(p.amount, p.currency) }),
      req.fiduciaryRule === 'lead-partner'
        ? said('pages:request.agentLead', { agent: req.fiduciaryAgent })
        : said('pages:request.agentRotating', { agent: req.fiduciaryAgent, cycle: req.cycle }),
      // Dates and amounts as the proposal writes them: a schedule's length has no bound a sentence's parameters should carry one by one.
      said('pages:request.disbursements', { list: p.disbursements.map((d) => `${d.date}: ${d.amount}`).join('; ') }),
      ...(req.previous ? [said('pages:request.replaces', { amount: money(req.previous.amount, req.previous.currency), agent: req.previous.fiduciaryAgent })] : []),
    ],
  };
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
  // For operators (the Web UI); the approvers read `channelRequest`.
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
          taskKind: TASK_KINDS.fundingChannel.id,
          ...channelRequest(req),
          requestedBy: req.proposedBy,
          approvers: req.approvers,
          timings: req.timings,
        },
      ],
    }),
  );
  if (patched(patch('channel-closes-with-partnership'))) {
    await Promise.race([approval.catch(() => undefined), condition(() => closedWith !== undefined)]);
    if (closedWith) {
      approvalScope.cancel();
      await approval.catch(() => undefined);
    }
  }
  try {
    decision = closedWith
      ? { outcome: 'rejected', by: null, at: closedWith.at, comment: closedBeforeDecision(closedWith) }
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

/** The decision's comment when the partnership closed first: kept on the channel's record as written (a comment, like an approver's). */
function closedBeforeDecision(closed: PartnershipClosed): string {
  return `the partnership closed (${closingReasonText(closed.reason)}) before the channel was decided`;
}
