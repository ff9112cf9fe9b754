/**
 * The registry of human-task kinds: every kind of thing the product asks a
 * person — an approver's decision (a phase gate, a partner's approval, a
 * funding channel, a review's governance decision) or a partner contact's
 * form (the invitation, due diligence, the signature, a review form) — is one
 * file in domain/human-tasks/kinds/ describing it, registered by one line in
 * kinds/index.ts, with its words under `tasks:<id>.*` in the six catalogues.
 *
 * Workflows and activities pass only the kind's id (a code); the API's task
 * pages, the task emails and the approver's inbox read everything else here:
 * who answers, which link opens it, how it is answered, which document is
 * behind the decision, and what happens at the deadline. Adding a kind is
 * its file, its registration line and its catalogue keys
 * (test/human-tasks/new-task-kind.test.ts does exactly that).
 */

/** Which page a link opens (and which pages refuse it): see infra/task-token.ts. */
export type LinkKind = 'approval' | 'onboarding' | 'review' | 'inbox';

/**
 * What the page behind the link lets the person read before answering:
 * `phase-draft` the draft of the document the phase gate issues (built from
 * the partnership as it is now), `mel-report` the review's MEL report,
 * `none` nothing beyond the facts on the page itself.
 */
export type TaskDocument = 'phase-draft' | 'mel-report' | 'none';

export interface HumanTaskKind {
  /** Stable code: written to the `MspTaskKind` search attribute and to links; lower-case words joined by hyphens. */
  readonly id: string;
  /** Who answers: approvers named on the request (escalation, delegation, digest), or the partner's contact. */
  readonly answeredBy: 'approvers' | 'contact';
  /** The link the person receives. */
  readonly link: LinkKind;
  /** Approve or reject (a rejection needs a comment), one of a set of choices, or a form of its own. */
  readonly answer: 'approve-reject' | 'choice' | 'form';
  /** The document the page offers to read, if any (see TaskDocument). */
  readonly document: TaskDocument;
  /** Whether an approver may decide many open tasks of this kind on one page (their inbox). */
  readonly inbox: boolean;
  /**
   * What the deadline does: `reject` decides "rejected" for nobody (approvals),
   * `expire` ends the request unanswered (contact forms), `escalate` hands it
   * to the next approver with a fresh deadline when the request asks so.
   */
  readonly atDeadline: 'reject' | 'expire';
  /** The guide section the task comes from, e.g. "II.1.B". */
  readonly guideRef: string;
}

/**
 * Catalogue keys every kind has, under `tasks:<id>.`: `title` (what it is, as a
 * heading), `asks` (one sentence: what the person is asked), and for
 * approvals `approves` / `rejects` (what each answer does next).
 */
export const TASK_KIND_KEYS = { approvers: ['title', 'asks', 'approves', 'rejects'], contact: ['title', 'asks'] } as const;

const kinds = new Map<string, HumanTaskKind>();

/**
 * Adds a kind to the registry.
 * @throws Error when the id is malformed or already registered (two files claiming one code)
 */
export function registerTaskKind(kind: HumanTaskKind): HumanTaskKind {
  if (!/^[a-z]+(-[a-z]+)*$/.test(kind.id)) throw new Error(`task kind id "${kind.id}" must be lower-case words joined by hyphens`);
  if (kinds.has(kind.id)) throw new Error(`task kind "${kind.id}" is registered twice`);
  kinds.set(kind.id, kind);
  return kind;
}

/**
 * The registered kind `id`, or undefined when this process does not know it:
 * a task written by a newer worker than this API during a rolling deploy.
 * Readers that show or route a task use it and go without the kind's parts.
 */
export function knownTaskKind(id: string): HumanTaskKind | undefined {
  return kinds.get(id);
}

/** Every registered kind, in registration order. */
export function taskKinds(): readonly HumanTaskKind[] {
  return [...kinds.values()];
}
