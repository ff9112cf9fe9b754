import type { Person } from '../../domain/schemas';
import type { SignedInUser } from './session';

/** Why a person may act on a partnership, or why not (shown on the 403 page and in the JSON API's 403). */
export type Access = { allowed: true; as: 'manager' | 'co-manager' | 'administrator' } | { allowed: false; reason: string };

interface Managed {
  id: string;
  title: string;
  manager: Person;
  coManagers?: Person[];
}

/** Whether `email` is one the person holds (bound to their issuer and subject after their provider verified it). */
export function holds(user: SignedInUser, email: string): boolean {
  const wanted = email.normalize('NFC').toLowerCase();
  return user.emails.includes(wanted);
}

/** How the person is named in a refusal: their verified address, else their name. */
export function shownAs(user: SignedInUser): string {
  return user.email ?? user.emails[0] ?? user.name;
}

/**
 * A person manages the partnerships that name, as manager or co-manager, an
 * address they hold (never an address merely claimed: see SignedInUser);
 * ADMIN_EMAILS manage all.
 */
export function accessTo(user: SignedInUser, partnership: Managed, adminEmails: readonly string[]): Access {
  if (holds(user, partnership.manager.email)) return { allowed: true, as: 'manager' };
  if ((partnership.coManagers ?? []).some((p) => holds(user, p.email))) return { allowed: true, as: 'co-manager' };
  if (isAdmin(user, adminEmails)) return { allowed: true, as: 'administrator' };
  return {
    allowed: false,
    reason: `You are signed in as ${shownAs(user)}. “${partnership.title}” is managed by ${partnership.manager.name} (${partnership.manager.email})${
      partnership.coManagers?.length ? ` with ${partnership.coManagers.map((p) => `${p.name} (${p.email})`).join(', ')}` : ''
    }. Only its manager, its co-managers and administrators can see it or act on it. Ask ${partnership.manager.name} to add you as a co-manager.`,
  };
}

/** Whether the person holds an address listed in ADMIN_EMAILS. */
export function isAdmin(user: SignedInUser, adminEmails: readonly string[]): boolean {
  return user.emails.some((e) => adminEmails.includes(e));
}

/**
 * The `by` recorded for an action taken by a signed-in person: name, email and
 * the provider's subject, marked as a signed-in person so the audit trail tells
 * it apart from the free text an API-key tool sends. At most 200 characters
 * (the schemas' limit for `by`): a long name is shortened, never the email.
 */
export function actor(user: SignedInUser): string {
  const address = user.email ?? user.emails[0];
  const tail = `${address ? ` <${address}>` : ''} [signed in, sub ${user.sub.slice(0, 60)}]`;
  const room = Math.max(1, 200 - tail.length);
  const name = user.name.length > room ? `${user.name.slice(0, room - 1)}…` : user.name;
  return `${name}${tail}`;
}
