/**
 * The people of the embedded development OpenID provider (scripts/dev-oidc.ts).
 * They sign in by choosing their name: there is no password, because this
 * provider exists only so `npm run dev` and the tests need nothing else.
 */
export interface DemoPerson {
  /** The subject (`sub`) the provider asserts. */
  sub: string;
  name: string;
  email: string;
  /** What the person is for in a walkthrough, shown on the sign-in page. */
  role: string;
  /** The `locale` claim the provider sends for them (the console's language until they pick one). */
  locale?: string;
  /** The `email_verified` claim: true unless said otherwise; null sends no such claim (as Entra ID does). */
  emailVerified?: boolean | null;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { sub: 'mona', name: 'Mona Lind', email: 'mona@example.org', role: 'manager' },
  { sub: 'sam', name: 'Sam Okafor', email: 'sam@example.org', role: 'another manager' },
  { sub: 'ari', name: 'Ari Approver', email: 'ari@example.org', role: 'approver' },
  { sub: 'ada', name: 'Ada Admin', email: 'ada@example.org', role: 'administrator, in ADMIN_EMAILS' },
  { sub: 'nadia', name: 'نادية حداد', email: 'nadia@example.org', role: 'co-manager who reads Arabic, locale ar', locale: 'ar' },
];

/** What `npm run dev` and the tests configure: the client the API uses and the admin among the demo people. */
export const DEV_OIDC = {
  clientId: 'msp-console',
  clientSecret: 'dev-oidc-client-secret-change-me',
  adminEmails: 'ada@example.org',
} as const;
