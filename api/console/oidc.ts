import type * as OpenId from 'openid-client';
import type { OidcSettings } from '../../infra/config';

/**
 * Sign-in through the organisation's OpenID provider with openid-client
 * (v6): discovery, authorization code with PKCE (S256) and state, the code
 * exchanged with the client secret. openid-client is an ES module only; it is
 * loaded on first sign-in, so processes that never sign anyone in (the API
 * tests) never load it.
 */
let library: Promise<typeof OpenId> | undefined;
const openid = () => (library ??= import('openid-client'));

export interface OidcClient {
  /** Where to send the browser, and what to keep in the session until the callback. */
  start(redirectUri: string, options?: { chooseAgain?: boolean }): Promise<{ url: string; verifier: string; state: string }>;
  /** Exchanges the callback's code; answers the person's claims (see `ProviderClaims`). */
  finish(callbackUrl: URL, verifier: string, state: string): Promise<ProviderClaims>;
}

/** What the console reads of a person from their provider: OIDC Core's `iss`, `sub`, `name`, `email`, `email_verified` and `locale`. */
export interface ProviderClaims {
  issuer: string;
  sub: string;
  name?: string;
  email?: string;
  /** `email_verified` as sent (true, false), or undefined when the provider sent no such claim. */
  emailVerified?: boolean;
  locale?: string;
}

/**
 * `email_verified` is a boolean in OIDC Core; some providers (older Cognito
 * pools) send the string "true". Undefined only when the claim is absent: any
 * other value present counts as not verified.
 */
function verifiedClaim(claims: Record<string, unknown>): boolean | undefined {
  if (!('email_verified' in claims) || claims.email_verified === undefined) return undefined;
  return claims.email_verified === true || claims.email_verified === 'true';
}

/** A profile claim as a string, or undefined when absent or of another type (a provider's mistake is not our crash). */
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length <= 1000 ? value : undefined);

export function oidcClient(settings: OidcSettings): OidcClient {
  let discovered: Promise<OpenId.Configuration> | undefined;
  const configuration = async () => {
    const client = await openid();
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        // Only the embedded development provider is plain http.
        settings.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined; // try again on the next sign-in
        throw err;
      });
    return discovered;
  };
  return {
    async start(redirectUri, { chooseAgain = false } = {}) {
      const client = await openid();
      const config = await configuration();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        // After signing out, the provider asks again who is signing in (OIDC `prompt=login`) instead of
        // returning the person still signed in there: a shared computer, or a second person, gets a choice.
        ...(chooseAgain ? { prompt: 'login' } : {}),
      });
      return { url: url.href, verifier, state };
    },
    async finish(callbackUrl, verifier, state) {
      const client = await openid();
      const config = await configuration();
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: verifier, expectedState: state });
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider sent no ID token');
      let email = text(claims.email);
      let name = text(claims.name);
      let locale = text(claims.locale);
      let emailVerified = email ? verifiedClaim(claims) : undefined;
      if (!email || !name) {
        // Some providers put profile claims only in userinfo; its email_verified speaks for its email only.
        const info = (await client.fetchUserInfo(config, tokens.access_token, claims.sub)) as Record<string, unknown>;
        if (!email && text(info.email)) {
          email = text(info.email);
          emailVerified = verifiedClaim(info);
        }
        name ??= text(info.name);
        locale ??= text(info.locale);
      }
      return { issuer: claims.iss, sub: claims.sub, name, email, emailVerified, ...(locale ? { locale } : {}) };
    },
  };
}
