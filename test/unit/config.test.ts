import { loadConfig, loadWorkerConfig } from '../../infra/config';

test('development defaults make the service start with no environment', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ port: 3000, publicBaseUrl: 'http://localhost:3000', apiKeys: ['dev-api-key'], databaseUrl: 'sqlite:data/msp.db' });
  expect(c.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'msp-orchestrator', unreachableExitAfterMs: 300_000 });
});

test('production refuses development secrets and names what to set', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
    'refusing to start in production with development defaults; set API_KEYS, TASK_LINK_SECRET, PUBLIC_BASE_URL, SESSION_SECRET',
  );
  expect(
    loadConfig({ NODE_ENV: 'production', API_KEYS: 'k1, k2', TASK_LINK_SECRET: 'x'.repeat(32), SESSION_SECRET: 's'.repeat(32), PUBLIC_BASE_URL: 'https://msp.example.org/' }),
  ).toMatchObject({ production: true, apiKeys: ['k1', 'k2'], publicBaseUrl: 'https://msp.example.org' });
});

test('console sign-in: the three OIDC variables come together, admins are lowercased, session secrets are long', () => {
  expect(loadConfig({}).oidc).toBeUndefined();
  expect(() => loadConfig({ OIDC_ISSUER: 'https://id.example.org' })).toThrow('missing OIDC_CLIENT_ID, OIDC_CLIENT_SECRET');
  const c = loadConfig({ OIDC_ISSUER: 'https://id.example.org', OIDC_CLIENT_ID: 'msp', OIDC_CLIENT_SECRET: 'shh', ADMIN_EMAILS: ' Ada@Example.org ,lee@example.org' });
  expect(c.oidc).toEqual({ issuer: 'https://id.example.org', clientId: 'msp', clientSecret: 'shh', assumeEmailVerified: false });
  // Sessions: an absolute and an idle lifetime; an email claim without email_verified counts only when said so.
  expect(c.console).toMatchObject({ sessionMaxAgeMs: 8 * 3_600_000, sessionIdleMs: 60 * 60_000 });
  const assumed = loadConfig({ OIDC_ISSUER: 'https://id.example.org', OIDC_CLIENT_ID: 'msp', OIDC_CLIENT_SECRET: 'shh', OIDC_ASSUME_EMAIL_VERIFIED: 'true', SESSION_IDLE_MINUTES: '15' });
  expect(assumed.oidc?.assumeEmailVerified).toBe(true);
  expect(assumed.console.sessionIdleMs).toBe(15 * 60_000);
  expect(() => loadConfig({ OIDC_ASSUME_EMAIL_VERIFIED: 'yes' })).toThrow('OIDC_ASSUME_EMAIL_VERIFIED: must be "true" or "false"');
  expect(c.console.adminEmails).toEqual(['ada@example.org', 'lee@example.org']);
  expect(() => loadConfig({ ADMIN_EMAILS: 'ada' })).toThrow('ADMIN_EMAILS must be comma-separated email addresses');
  expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow('SESSION_SECRET: must be one or more secrets of at least 32 characters');
});

test('bad values are reported by variable name', () => {
  expect(() => loadConfig({ PORT: 'eighty', SMTP_URL: 'mail.example.org' })).toThrow(/PORT: .*; SMTP_URL: must look like smtp:\/\/host:port/);
});

test('TRUST_PROXY: unset trusts no proxy; a hop count, addresses, CIDRs or named ranges go to Express', () => {
  expect(loadConfig({}).trustProxy).toBe(false);
  expect(loadConfig({ TRUST_PROXY: ' ' }).trustProxy).toBe(false);
  expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback']);
  expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,fd00::/8, uniquelocal' }).trustProxy).toEqual(['10.0.0.5', '192.168.0.0/16', 'fd00::/8', 'uniquelocal']);
});

test('TRUST_PROXY: anything else is refused with the forms it accepts', () => {
  const forms = /must be left unset \(trust no proxy\), a number of proxy hops such as 1, or a comma-separated list of proxy addresses, CIDR ranges or loopback\/linklocal\/uniquelocal/;
  for (const bad of ['0', 'true', 'nginx', '10.0.0.0/33', '10.0.0.1/8/8', '300.1.1.1', 'loopback,', '::1/129', '1.5']) {
    expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/invalid configuration: TRUST_PROXY: /);
    expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(forms);
  }
  expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow('"true" would believe any X-Forwarded-For a client sends');
  expect(() => loadConfig({ TRUST_PROXY: 'loopback, proxy.local' })).toThrow('TRUST_PROXY: "proxy.local" not understood;');
});

test('TASK_LINK_SECRETS is a key ring: the current secret first, then previous ones; each must be long enough', () => {
  const ring = loadConfig({ TASK_LINK_SECRETS: 'new-secret-0123456789abcdef, old-secret-0123456789abcdef' });
  expect(ring.taskLinkSecret).toBe('new-secret-0123456789abcdef');
  expect(ring.taskLinkSecrets).toEqual(['new-secret-0123456789abcdef', 'old-secret-0123456789abcdef']);
  expect(() => loadConfig({ TASK_LINK_SECRETS: 'new-secret-0123456789abcdef, short' })).toThrow(/TASK_LINK_SECRETS: must list one or more secrets of at least 16 characters/);
  expect(loadConfig({ TASK_LINK_SECRET: 'single-secret-0123456789' }).taskLinkSecrets).toEqual(['single-secret-0123456789']);
});

test("the worker's configuration leaves DATABASE_URL out: the database is the API's alone", () => {
  const unusable = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/not-the-workers' };
  expect(loadConfig(unusable).databaseUrl).toBe(unusable.DATABASE_URL);
  const worker = loadWorkerConfig({ ...unusable, API_BASE_URL: 'http://api:3000', API_TOKEN: 'worker-token' });
  expect(worker).not.toHaveProperty('databaseUrl');
  expect(JSON.stringify(worker)).not.toContain('not-the-workers');
  expect(worker).toMatchObject({ apiBaseUrl: 'http://api:3000', apiToken: 'worker-token' });
  const { databaseUrl: _d, ...withoutDatabase } = loadConfig({});
  expect(loadWorkerConfig({})).toEqual(withoutDatabase);
});
