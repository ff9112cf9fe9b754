import { z } from 'zod';
import type { IdentityTable } from '../../infra/store/console-identity';
import type { ProviderClaims } from './oidc';
import { SignedInUserSchema, type SignedInUser } from './session';

const EmailSchema = z.email().max(254);

/**
 * The address as the console keeps it: lowercased, when it is a plain ASCII
 * address (RFC 5321 without internationalised parts); undefined otherwise.
 * ASCII only, because lowercasing other scripts can land on ASCII (the Kelvin
 * sign U+212A lowercases to "k") and full-width or decomposed forms look
 * like someone else's address: an address that is bound for good must be
 * exactly what a person reads.
 */
export function plainAddress(email: string): string | undefined {
  if (!/^[\x21-\x7e]+$/.test(email)) return undefined;
  const lower = email.toLowerCase();
  return EmailSchema.safeParse(lower).success ? lower : undefined;
}

/**
 * Turns the provider's claims into the console's person. Identity is the
 * issuer and subject; the `email` claim counts only when the provider says it
 * is verified (`email_verified: true`, or absent with OIDC_ASSUME_EMAIL_VERIFIED),
 * and then only if no other person already holds that address here. Every
 * address the person has held before stays theirs, so a changed address at
 * the provider keeps their partnerships. Answers undefined when the claims
 * cannot name a person (no subject, or neither a name nor an email).
 */
export async function signedInUserFrom(claims: ProviderClaims, identities: IdentityTable, options: { assumeEmailVerified?: boolean } = {}): Promise<SignedInUser | undefined> {
  const raw = claims.email?.trim();
  const claimed = raw === undefined ? undefined : plainAddress(raw);
  const verified = claims.emailVerified === true || (claims.emailVerified === undefined && options.assumeEmailVerified === true);
  const who = { issuer: claims.issuer, subject: claims.sub };
  const name = (claims.name ?? raw ?? '').trim().normalize('NFC');
  if (!claims.sub || !name) return undefined;
  // Only a plain address the provider verified is ever bound: binding is first come and for good.
  const held = await identities.signIn(who, name.slice(0, 200), verified && claimed ? claimed : undefined);
  const refused =
    raw && !claimed
      ? ({ email: raw.slice(0, 254), why: 'invalid' } as const)
      : claimed && !verified
        ? ({ email: claimed, why: 'unverified' } as const)
        : held.heldByAnother
          ? ({ email: held.heldByAnother, why: 'held-by-another' } as const)
          : undefined;
  const parsed = SignedInUserSchema.safeParse({
    issuer: claims.issuer,
    sub: claims.sub,
    name: name.slice(0, 200),
    ...(verified && claimed && !held.heldByAnother ? { email: claimed } : {}),
    // An address bound before a rule tightened stays in the table but opens nothing it would not pass now.
    emails: held.emails.filter((e) => plainAddress(e) === e),
    ...(refused ? { emailRefused: refused } : {}),
    locale: claims.locale,
  });
  return parsed.success ? parsed.data : undefined;
}
