import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { urlencoded } from 'express';
import nunjucks from 'nunjucks';
import { z } from 'zod';
import { DEMO_PEOPLE, DEV_OIDC, type DemoPerson } from './dev-oidc-people';

/**
 * The embedded OpenID provider for development and tests (`oidc-provider`,
 * the certified implementation the openid-client author maintains): one
 * confidential client, the console, and the demo people of dev-oidc-people.ts,
 * who sign in by choosing their name. The console talks to it exactly as to
 * Entra ID, Google or Keycloak: discovery, authorization code with PKCE,
 * token endpoint with the client secret.
 *
 * Run as its own process: `node --import tsx scripts/dev-oidc.ts`, configured by
 * OIDC_DEV_PORT (default 3900), OIDC_DEV_ISSUER (default http://localhost:<port>)
 * and OIDC_DEV_REDIRECT_URIS (the console's callback URLs, comma-separated).
 * OIDC_DEV_PEOPLE_FILE names a JSON file of more people (DemoPerson[]), read
 * again at every sign-in: the identity tests change a person's address, or
 * send an unverified one, at a real provider between two sign-ins.
 */

// oidc-provider ships no type declarations; this is the part we use.
interface InteractionDetails {
  uid: string;
  prompt: { name: string };
}
interface OidcProvider {
  callback(): (req: unknown, res: unknown) => void;
  interactionDetails(req: unknown, res: unknown): Promise<InteractionDetails>;
  interactionFinished(req: unknown, res: unknown, result: unknown, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
  proxy: boolean;
}
interface GrantContext {
  oidc: {
    client: { clientId: string };
    session: { accountId: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: { Grant: { find(id: string): Promise<unknown> } } & Pick<OidcProvider, 'Grant'>;
  };
}

const Settings = z.object({
  OIDC_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(3900),
  OIDC_DEV_ISSUER: z.url().optional(),
  OIDC_DEV_REDIRECT_URIS: z.string().min(1, { error: 'name the console callback URL(s), e.g. http://localhost:3000/console/auth/callback' }),
  OIDC_DEV_PEOPLE_FILE: z.string().min(1).optional(),
});

const PeopleFileSchema = z.array(
  z.object({ sub: z.string().min(1), name: z.string().min(1), email: z.string(), role: z.string().default('test person'), locale: z.string().optional(), emailVerified: z.boolean().nullable().optional() }),
);

/** The demo people, then those of the people file as it is now (a later entry with the same `sub` wins). */
function peopleNow(file: string | undefined): DemoPerson[] {
  const extra = file ? PeopleFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : [];
  const bySub = new Map<string, DemoPerson>();
  for (const p of [...DEMO_PEOPLE, ...extra]) bySub.set(p.sub, p);
  return [...bySub.values()];
}

/** The claims the provider releases for a person: `email_verified` as configured (absent when null). */
function claimsOf(person: DemoPerson) {
  const verified = person.emailVerified === undefined ? true : person.emailVerified;
  return {
    sub: person.sub,
    name: person.name,
    email: person.email,
    ...(verified === null ? {} : { email_verified: verified }),
    ...(person.locale ? { locale: person.locale } : {}),
  };
}

/** Starts the provider on `port`; resolves with the issuer URL once it listens. */
export async function startDevOidcProvider(port: number, issuer: string, redirectUris: string[], peopleFile?: string): Promise<{ issuer: string; close(): Promise<void> }> {
  const people = () => peopleNow(peopleFile);
  // ES module only: loaded with import(), which tsx keeps as a real dynamic import.
  const { default: Provider } = (await import('oidc-provider')) as unknown as { default: new (issuer: string, config: unknown) => OidcProvider };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEV_OIDC.clientId,
        client_secret: DEV_OIDC.clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    findAccount: (_ctx: unknown, sub: string) => {
      const person = people().find((p) => p.sub === sub);
      return person && { accountId: sub, claims: () => claimsOf(person) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'locale'] },
    // Put name and email in the ID token too, as Entra ID and Google do.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['dev-oidc-provider-cookie-key-change-me'] },
    // The console is the organisation's own application: no consent screen, as a company IdP would configure it.
    loadExistingGrant: async (ctx: GrantContext) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  const views = nunjucks.configure(resolve(__dirname, 'templates'), { autoescape: true, throwOnUndefined: false });
  const app = express();
  app.disable('x-powered-by');
  app.get('/dev-sign-in.css', (_req, res) => {
    res.type('css').send(SIGN_IN_CSS);
  });
  app.get('/interaction/:uid', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      res.type('html').send(views.render('dev-oidc-sign-in.njk', { uid: details.uid, people: people() }));
    } catch (err) {
      next(err);
    }
  });
  app.post('/interaction/:uid/login', urlencoded({ extended: false }), async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const everyone = people();
      const parsed = z.object({ login: z.enum(everyone.map((p) => p.sub) as [string, ...string[]]) }).safeParse(req.body ?? {});
      if (!parsed.success) {
        res.status(400).type('html').send(views.render('dev-oidc-sign-in.njk', { uid: details.uid, people: everyone, error: 'Choose who you are to sign in.' }));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: parsed.data.login } }, { mergeWithLastSubmission: false });
    } catch (err) {
      next(err);
    }
  });
  app.use(provider.callback());

  const server = app.listen(port);
  await new Promise<void>((ok, fail) => server.once('listening', ok).once('error', fail));
  return { issuer, close: () => new Promise((r) => server.close(() => r())) };
}

const SIGN_IN_CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#0b0c0c;line-height:1.5}
.page{max-width:36rem;margin:0 auto;padding:1.5rem 1rem}.tag{display:inline-block;background:#fff7bf;padding:.1rem .5rem;font-weight:700}
fieldset{border:0;padding:0;margin:1rem 0}legend{font-weight:700;font-size:1.2rem}.choice{margin:.6rem 0;display:flex;gap:.6rem;align-items:flex-start}
.choice input{width:1.5rem;height:1.5rem;margin:0}.hint{color:#505a5f}.error{color:#d4351c;font-weight:700}
button{background:#00703c;color:#fff;border:0;padding:.6rem 1.2rem;font-size:1.1rem;box-shadow:0 2px 0 #002d18;cursor:pointer}
button:focus,input:focus{outline:3px solid #fd0;outline-offset:0}`;

if (require.main === module) {
  const s = Settings.safeParse(process.env);
  if (!s.success) {
    process.stderr.write(`dev-oidc: ${s.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
    process.exit(1);
  }
  const issuer = s.data.OIDC_DEV_ISSUER ?? `http://localhost:${s.data.OIDC_DEV_PORT}`;
  startDevOidcProvider(s.data.OIDC_DEV_PORT, issuer, s.data.OIDC_DEV_REDIRECT_URIS.split(',').map((u) => u.trim()), s.data.OIDC_DEV_PEOPLE_FILE)
    .then(() => process.stdout.write(`dev OpenID provider listening at ${issuer}\n`))
    .catch((err) => {
      process.stderr.write(`dev-oidc failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
  // Started by `npm run dev` or the tests (EXIT_WITH_PARENT=1): stop when they have gone, as the API and worker do.
  if (process.env.EXIT_WITH_PARENT === '1') {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) process.exit(0);
    }, 1000).unref();
  }
}
