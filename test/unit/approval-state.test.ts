import { checkDecision, decide, escalate, expire, initialApprovalState, type ApprovalRequest } from '../../domain/approval-state';
import { APPROVER_1, APPROVER_2 } from '../support/fixtures';

const request: ApprovalRequest = {
  taskId: 't-1',
  partnershipId: 'msp-x',
  partnershipTitle: 'X',
  kind: 'advance',
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
  expect(() => checkDecision(s, { approverEmail: APPROVER_1.email, decision: 'reject' }, T)).toThrow(/needs a comment/);
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
