import { applyApproval } from '../../domain/partnership/gates';
import { decisionFromTransition, gateTarget, transitionRecord } from '../../domain/partnership/registry-record';
import { initialState, type DecisionRecord, type PartnershipState, type ReviewDecision } from '../../domain/partnership/state';
import { startScheduledReview } from '../../domain/reviews/review-gates';
import { TransitionRecordSchema } from '../../domain/partnership/schemas';
import { partnershipInput } from '../support/fixtures';

/**
 * A decision a run no longer carries is read back from the registry (the
 * read model, `allDecisions`): what the workflow records of each kind of
 * decision must pass the registry route's schema, and read back as the
 * decision the run had.
 */
const input = partnershipInput({ slug: 'registry-round-trip' });
const now = '2027-03-01T10:00:00.000Z';
/** Names are up to 200 characters and addresses as long as zod takes them: the record says who decided with both. */
const longName = 'Ana María de los Ángeles Fernández-Castillo y Rodríguez de la Fuente, Coordinadora Regional de Políticas de Empleo Juvenil y Transición Justa para América Latina y el Caribe, Oficina Reg.'.slice(0, 200);
const longEmail = `${'a'.repeat(60)}@${'employment-policy-coordination'.repeat(2)}.regional-office.example.org`;

function decided(state: PartnershipState): DecisionRecord {
  return state.decisions[state.decisions.length - 1];
}

/** A gate of `kind` pending on the state as the request would leave it (the checklist is not the point here). */
function gate(state: PartnershipState, kind: 'advance' | 'review', proposedDecision?: ReviewDecision): void {
  state.pendingTask = {
    id: `${state.id}.gate-${state.decisions.length + 1}`,
    kind,
    fromPhase: state.phase,
    toPhase: gateTarget(kind, state.phase, proposedDecision),
    ...(proposedDecision ? { proposedDecision } : {}),
    requestedBy: 'Manager',
    requestedAt: now,
  };
  state.status = 'awaiting-approval';
}

/** Through the route's schema, as the API stores it, and back. */
function roundTrip(d: DecisionRecord, cycle = d.cycle): DecisionRecord {
  const parsed = TransitionRecordSchema.safeParse(transitionRecord('msp-registry-round-trip', cycle, d));
  if (!parsed.success) throw new Error(`the registry refuses the record: ${parsed.error.message}`);
  return decisionFromTransition(parsed.data);
}

test('every kind of decision comes back from the registry as the run had it', () => {
  const state = initialState('msp-registry-round-trip', input, now);
  const all: DecisionRecord[] = [];
  // An advance rejected with a comment by someone with a long name and address, then approved.
  gate(state, 'advance');
  applyApproval(state, { outcome: 'rejected', decidedBy: { name: longName, email: longEmail }, at: now, comment: 'Map the employers first.' });
  all.push(decided(state));
  gate(state, 'advance');
  applyApproval(state, { outcome: 'approved', decidedBy: { name: 'Approver One', email: 'approver1@example.org' }, at: now });
  all.push(decided(state));
  // Through planning into action, where the review cadence moves it on.
  state.phase = 'collaborative-action';
  startScheduledReview(state, now);
  all.push(decided(state));
  // Review decisions: "exit" rejected, "adapt" approved (a new cycle).
  gate(state, 'review', 'exit');
  applyApproval(state, { outcome: 'rejected', decidedBy: { name: 'Approver One', email: 'approver1@example.org' }, at: now, comment: 'Not yet.' });
  all.push(decided(state));
  gate(state, 'review', 'adapt');
  applyApproval(state, { outcome: 'approved', decidedBy: { name: 'Approver One', email: 'approver1@example.org' }, at: now });
  all.push(decided(state));
  expect(all.map((d) => `${d.kind}:${d.outcome}`)).toEqual(['advance:rejected', 'advance:approved', 'scheduled-review:approved', 'review:rejected', 'review:approved']);
  for (const d of all) expect(roundTrip(d)).toEqual(d);
});

test('a hand-over between people with long names and addresses is kept in the record', () => {
  const d: DecisionRecord = {
    taskId: 'msp-registry-round-trip.gate-1',
    kind: 'advance',
    cycle: 1,
    fromPhase: 'initiating',
    toPhase: 'adaptive-planning',
    outcome: 'approved',
    by: `${longName} <${longEmail}>`,
    at: now,
    handovers: [{ from: `${longName} <${longEmail}>`, to: `${longName} <x.${longEmail}>`, reason: 'On mission', kind: 'out-of-office', at: now }],
  };
  expect(roundTrip(d)).toEqual(d);
});

test('a record from before the registry kept the kind reads back with the kind its other columns show', () => {
  const state = initialState('msp-registry-round-trip', input, now);
  state.phase = 'collaborative-action';
  startScheduledReview(state, now);
  gate(state, 'review', 'continue');
  applyApproval(state, { outcome: 'rejected', decidedBy: { name: 'Approver One', email: 'approver1@example.org' }, at: now, comment: 'Not yet.' });
  state.phase = 'adaptive-planning';
  gate(state, 'advance');
  applyApproval(state, { outcome: 'rejected', decidedBy: { name: 'Approver One', email: 'approver1@example.org' }, at: now, comment: 'Not yet.' });
  for (const d of state.decisions) {
    const { kind: _kind, comment: _comment, handovers: _handovers, ...before0005 } = transitionRecord(state.id, d.cycle, d);
    const { comment: _c, ...expected } = d;
    expect(decisionFromTransition(TransitionRecordSchema.parse(before0005))).toEqual(expected);
  }
});
