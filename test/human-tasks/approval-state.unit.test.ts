import {
  approvalTaskKind,
  checkDecision,
  checkDelegation,
  coversDay,
  decide,
  delegate,
  escalate,
  expire,
  initialApprovalState,
  MAX_HANDOVERS,
  nextApprover,
  type ApprovalRequest,
  type DelegateInput,
} from '../../domain/human-tasks/approval-state';
import { APPROVER_1, APPROVER_2 } from '../support/fixtures';

const request: ApprovalRequest = {
  taskId: 't-1',
  partnershipId: 'msp-x',
  partnershipTitle: 'X',
  taskKind: 'gate',
  summary: 'Move on',
  details: [],
  requestedBy: 'm',
  approvers: [APPROVER_1, APPROVER_2],
  timings: { reminderAfter: '1s', escalateAfter: '2s', deadline: '10s', onDeadline: 'reject' },
};
const T = Date.parse('2026-01-01T00:00:00Z');

test('only assignees may decide, once, before the deadline', () => {
  const s = initialApprovalState(request, T, 10_000);
  expect(() => checkDecision(s, { approverEmail: APPROVER_2.email, decision: 'approve' }, T)).toThrow(
    expect.objectContaining({ kind: 'Forbidden' }),
  );
  expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'approve' }, T + 10_001)).toThrow(
    expect.objectContaining({ kind: 'Expired' }),
  );
  expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'reject' }, T)).toThrow(/refusals:task.commentNeeded/);
  decide(s, { approverEmail: APPROVER_1.email.toUpperCase(), decision: 'approve' }, T + 1);
  expect(s.decision).toMatchObject({ outcome: 'approved', by: APPROVER_1 });
  expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'approve' }, T + 2)).toThrow(
    expect.objectContaining({ kind: 'Conflict' }),
  );
});

test('escalation adds the next approver; the earlier one may still decide; expiry rejects', () => {
  const s = initialApprovalState(request, T, 10_000);
  expect(escalate(s, T + 2000)).toEqual(APPROVER_2);
  expect(escalate(s, T + 4000)).toBeUndefined();
  expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'approve' }, T + 5000)).not.toThrow();
  expire(s, T + 10_000);
  expect(s.decision).toMatchObject({ outcome: 'rejected', by: null });
  expect(s.events.map((e) => e.type)).toEqual(['assigned', 'escalated', 'expired']);
});

describe('hand-over (delegation)', () => {
  const CAL = { name: 'Cal Colleague', email: 'Cal@Example.org' };
  const DEE = { name: 'Dee Deputy', email: 'dee@example.org' };

  it('puts the delegate in the assignee’s place, records who, why and when, and queues their email', () => {
    const s = initialApprovalState(request, T, 10_000);
    const h = delegate(s, { fromEmail: APPROVER_1.email, to: CAL, reason: 'on mission until Friday', kind: 'hand-over' }, T + 5);
    expect(h).toMatchObject({ from: APPROVER_1, to: { name: CAL.name, email: 'cal@example.org' }, reason: 'on mission until Friday' });
    expect(s.assignees.map((p) => p.email)).toEqual(['cal@example.org']);
    expect(s.events.at(-1)).toMatchObject({ type: 'delegated', from: APPROVER_1.email, to: 'cal@example.org', reason: 'on mission until Friday' });
    expect(s.toNotify).toEqual([{ to: h.to, handover: 0 }]);
  });

  it('refuses the one who handed it on, naming who holds it now, across a chain of hand-overs', () => {
    const s = initialApprovalState(request, T, 10_000);
    delegate(s, { fromEmail: APPROVER_1.email, to: CAL, reason: 'away', kind: 'hand-over' }, T + 1);
    delegate(s, { fromEmail: CAL.email, to: DEE, reason: 'conflict of interest', kind: 'hand-over' }, T + 2);
    expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'approve' }, T + 3)).toThrow(/refusals:task.handedOver/);
    expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'approve' }, T + 3)).toThrow(expect.objectContaining({ said: { code: 'refusals:task.handedOver', params: { to: 'Cal Colleague', holder: 'Dee Deputy' } } }));
    expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'approve' }, T + 3)).toThrow(expect.objectContaining({ kind: 'Forbidden' }));
    decide(s, { approverEmail: DEE.email, decision: 'approve' }, T + 4);
    expect(s.decision?.by).toMatchObject({ email: DEE.email });
  });

  it('names the latest hand-over of the one refused and follows the chain in order, even within one millisecond', () => {
    const s = initialApprovalState(request, T, 10_000);
    const hand = (from: string, to: typeof CAL, at: number) => delegate(s, { fromEmail: from, to, reason: 'r', kind: 'hand-over' }, at);
    hand(APPROVER_1.email, CAL, T + 1);
    hand(CAL.email, APPROVER_1, T + 2);
    hand(APPROVER_1.email, DEE, T + 3);
    expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'approve' }, T + 4)).toThrow(
      // People are named by their names only: no addresses in a refusal.
      expect.objectContaining({ said: { code: 'refusals:task.handedOver', params: { to: 'Dee Deputy', holder: 'Dee Deputy' } } }),
    );

    // Hand-overs handled in one workflow activation share its clock: order, not time, says which came after which.
    const same = initialApprovalState(request, T, 10_000);
    delegate(same, { fromEmail: APPROVER_1.email, to: CAL, reason: 'r', kind: 'hand-over' }, T + 1);
    delegate(same, { fromEmail: CAL.email, to: APPROVER_1, reason: 'r', kind: 'hand-over' }, T + 1);
    delegate(same, { fromEmail: APPROVER_1.email, to: DEE, reason: 'r', kind: 'hand-over' }, T + 1);
    expect(() => checkDecision(same, { approverEmail: CAL.email, decision: 'approve' }, T + 2)).toThrow(expect.objectContaining({ said: expect.objectContaining({ params: expect.objectContaining({ holder: 'Dee Deputy' }) }) }));
  });

  it('escalation skips approvers who hold the task already (a delegate who is also a later approver) or handed it on; runs from before keep list order', () => {
    const three = { ...request, approvers: [APPROVER_1, APPROVER_2, CAL] };
    const s = initialApprovalState(three, T, 10_000);
    delegate(s, { fromEmail: APPROVER_1.email, to: APPROVER_2, reason: 'r', kind: 'hand-over' }, T + 1);
    expect(nextApprover(s, true)).toEqual(CAL);
    expect(escalate(s, T + 2, true)).toEqual(CAL);
    expect(s.assignees.map((p) => p.email)).toEqual([APPROVER_2.email, CAL.email]);
    expect(s.level).toBe(2);
    expect(nextApprover(s, true)).toBeUndefined();
    expect(escalate(s, T + 3, true)).toBeUndefined();

    // Nor is the task escalated back to a later approver who handed it on.
    const passed = initialApprovalState(three, T, 10_000);
    delegate(passed, { fromEmail: APPROVER_1.email, to: APPROVER_2, reason: 'r', kind: 'hand-over' }, T + 1);
    delegate(passed, { fromEmail: APPROVER_2.email, to: DEE, reason: 'conflict of interest', kind: 'hand-over' }, T + 2);
    expect(escalate(passed, T + 3, true)).toEqual(CAL);
    expect(passed.assignees.map((p) => p.email)).toEqual([DEE.email, CAL.email]);

    const before = initialApprovalState(three, T, 10_000);
    delegate(before, { fromEmail: APPROVER_1.email, to: APPROVER_2, reason: 'r', kind: 'hand-over' }, T + 1);
    expect(escalate(before, T + 2)).toEqual(APPROVER_2);
    expect(before.assignees.map((p) => p.email)).toEqual([APPROVER_2.email, APPROVER_2.email]);
  });

  it('refuses a hand-over with no reason, to oneself, to a current holder, by a non-holder, after the decision or the deadline', () => {
    const s = initialApprovalState(request, T, 10_000);
    const bad = (input: Partial<DelegateInput>, at = T + 1) =>
      () => checkDelegation(s, { fromEmail: APPROVER_1.email, to: CAL, reason: 'away', kind: 'hand-over', ...input }, at);
    expect(bad({ reason: '  ' })).toThrow(/refusals:task.handoverReason/);
    expect(bad({ to: { ...APPROVER_1, email: APPROVER_1.email.toUpperCase() } })).toThrow(/refusals:task.handoverToSelf/);
    expect(bad({ fromEmail: APPROVER_2.email })).toThrow(expect.objectContaining({ kind: 'Forbidden' }));
    expect(bad({}, T + 10_001)).toThrow(expect.objectContaining({ kind: 'Expired' }));
    escalate(s, T + 2);
    expect(bad({ to: APPROVER_2 })).toThrow(/refusals:task.alreadyHolds/);
    decide(s, { approverEmail: APPROVER_2.email, decision: 'approve' }, T + 3);
    expect(bad({})).toThrow(expect.objectContaining({ kind: 'Conflict' }));
  });

  it(`stops after ${MAX_HANDOVERS} hand-overs`, () => {
    const s = initialApprovalState(request, T, 10_000);
    let from = APPROVER_1.email;
    for (let i = 0; i < MAX_HANDOVERS; i++) {
      const to = { name: `P${i}`, email: `p${i}@example.org` };
      delegate(s, { fromEmail: from, to, reason: 'r', kind: 'hand-over' }, T + i);
      from = to.email;
    }
    expect(() => checkDelegation(s, { fromEmail: from, to: CAL, reason: 'r', kind: 'hand-over' }, T + 20)).toThrow(expect.objectContaining({ said: { code: 'refusals:task.tooManyHandovers', params: { count: 10 } } }));
  });
});

test('an out-of-office range covers its first and last days (UTC), both included', () => {
  const range = { firstDay: '2027-03-01', lastDay: '2027-03-05' };
  expect(coversDay(range, new Date('2027-02-28T23:59:59Z'))).toBe(false);
  expect(coversDay(range, new Date('2027-03-01T00:00:00Z'))).toBe(true);
  expect(coversDay(range, new Date('2027-03-05T23:59:59Z'))).toBe(true);
  expect(coversDay(range, new Date('2027-03-06T00:00:00Z'))).toBe(false);
});

test('a decision sent twice, the second after the deadline: "already decided" (who and when) comes before "expired" (issue 21)', () => {
  const s = initialApprovalState(request, T, 10_000);
  decide(s, { approverEmail: APPROVER_1.email, decision: 'approve' }, T + 9_999);
  const late = { approverEmail: APPROVER_1.email, decision: 'approve' } as const;
  expect(() => checkDecision(s, late, T + 10_001)).toThrow(
    expect.objectContaining({ kind: 'Conflict', said: { code: 'refusals:task.alreadyDecided', params: { outcome: { status: 'approved' }, by: 'Ari Approver', at: { at: expect.any(String) } } } }),
  );
  expect(() => checkDelegation(s, { fromEmail: APPROVER_1.email, to: APPROVER_2, reason: 'away', kind: 'hand-over' }, T + 10_001)).toThrow(
    expect.objectContaining({ kind: 'Conflict' }),
  );
  // Also for someone who is no longer (or never was) an assignee: the decision is the news.
  expect(() => checkDecision(s, { ...late, approverEmail: APPROVER_2.email }, T + 10_001)).toThrow(expect.objectContaining({ kind: 'Conflict' }));
});

test('a task from before kinds: review decisions by their kind, partner and channel approvals (sent as "advance" too) by their id, else a gate', () => {
  const legacy = (taskId: string, kind: 'advance' | 'review') => approvalTaskKind({ taskId, kind } as ApprovalRequest);
  // The ids of the checked-in histories from before kinds (test/histories/*-before-*.json).
  expect(legacy('msp-recorded-cycle.partner.ministry-of-labour.approval-3', 'advance')).toBe('partner-approval');
  expect(legacy('msp-recorded-cycle.partner.ministry-of-labour.invitation-2.approval-5', 'advance')).toBe('partner-approval');
  expect(legacy('msp-recorded-cycle.funding.green-jobs-pilot.v1.approval', 'advance')).toBe('funding-channel');
  expect(legacy('msp-recorded-cycle.c1.initiating.task-1', 'advance')).toBe('gate');
  expect(legacy('msp-recorded-cycle.review-1.decision', 'review')).toBe('review-decision');
  // A kind written on the task is the kind.
  expect(approvalTaskKind({ ...request, taskId: 'msp-x.partner.y.approval-3', kind: 'advance', taskKind: 'gate' })).toBe('gate');
});
