/**
 * Who acted, as the audit trail records it (`by` on checklist ticks, gate
 * requests, invitations, role changes). A person signed in to the console is
 * recorded as `Name <email> [signed in, sub <subject>]`, so the trail tells
 * them apart from an API-key tool, whose free-text `by` is kept as sent.
 */
const SIGNED_IN = /^(.*) <([^<>\s]+@[^<>\s]+)> \[signed in, sub [^\]]*\]$/s;

/** The person's name and email in a recorded `by`, or undefined for a tool's free text. */
export function signedInActor(by: string): { name: string; email: string } | undefined {
  const m = SIGNED_IN.exec(by);
  return m ? { name: m[1]!, email: m[2]! } : undefined;
}

/**
 * `by` as a person reads it: "Mona Lind (mona@example.org)" for a signed-in
 * person (the subject is for auditors, not for approvers), the free text as it
 * was sent otherwise; `withEmail: false` gives the name alone.
 */
export function actorDisplay(by: string, withEmail = true): string {
  const who = signedInActor(by);
  if (!who) return by;
  return withEmail ? `${who.name} (${who.email})` : who.name;
}
