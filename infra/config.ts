import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../domain/names';
import { durationMs } from '../domain/durations';
import type { DigestSettings } from '../domain/human-tasks/digest';
import { MIN_WORKER_MEMORY_MIB } from './workflow-cache';

/**
 * Configuration from the environment, validated once at start-up. Development
 * defaults let `npm run dev` work out of the box; in production the secrets
 * must be set or the process refuses to start.
 */
const DEV_API_KEY = 'dev-api-key';
const DEV_TASK_LINK_SECRET = 'dev-task-link-secret-change-me';
const DEV_SESSION_SECRET = 'dev-console-session-secret-change-me';

/** Comma-separated email addresses, trimmed and lowercased (ADMIN_EMAILS). */
const EmailListSchema = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.email({ error: 'ADMIN_EMAILS must be comma-separated email addresses, e.g. "ada@example.org, lee@example.org"' })));

/**
 * Which proxies in front of the API to believe about the client's address
 * (Express's `trust proxy`). `false`: none, the socket address is the client;
 * a number: that many proxy hops; a list: proxies at these addresses, CIDR
 * ranges or the named ranges loopback, linklocal and uniquelocal.
 */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const TRUST_PROXY_FORMS =
  'must be left unset (trust no proxy), a number of proxy hops such as 1, or a comma-separated list of proxy addresses, CIDR ranges or loopback/linklocal/uniquelocal, e.g. "loopback" or "10.0.0.5, 192.168.0.0/16"';

/** True for an IPv4 or IPv6 address, optionally with a /prefix that fits it (10.0.0.0/8, fd00::/8). */
function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const TrustProxySchema = z
  .string()
  .optional()
  .transform((raw, ctx): TrustProxy => {
    const value = raw?.trim() ?? '';
    if (value === '') return false;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1 && hops <= 100) return hops;
      ctx.addIssue({ code: 'custom', message: `${value} hops: ${TRUST_PROXY_FORMS}` });
      return z.NEVER;
    }
    if (value === 'true') {
      // Trusting every hop lets any client name its own address and so escape the per-client limit.
      ctx.addIssue({ code: 'custom', message: `"true" would believe any X-Forwarded-For a client sends; ${TRUST_PROXY_FORMS}` });
      return z.NEVER;
    }
    const entries = value.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !NAMED_RANGES.includes(e) && !isAddressOrCidr(e));
    if (bad.length === 0) return entries;
    ctx.addIssue({ code: 'custom', message: `${bad.map((b) => JSON.stringify(b)).join(', ')} not understood; ${TRUST_PROXY_FORMS}` });
    return z.NEVER;
  });

const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: z.url().optional(),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default(DEFAULT_TASK_QUEUE),
  /** The worker exits (1) once the Temporal server has not answered this long without a break (docs/operations.md, "Stopping"). */
  TEMPORAL_UNREACHABLE_EXIT_AFTER: z
    .string()
    .refine((v) => (durationMs(v) ?? 0) >= 10_000, { error: 'must be a duration of at least 10 seconds, e.g. "5 minutes"' })
    .default('5 minutes'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, { error: 'must look like smtp://host:port' }).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('MSP Orchestrator <no-reply@msp-orchestrator.local>'),
  /** The API's database; the worker never reads it (see `loadWorkerConfig`). */
  DATABASE_URL: z.string().default('sqlite:data/msp.db'),
  API_KEYS: z.string().default(DEV_API_KEY),
  TASK_LINK_SECRET: z.string().min(16, { error: 'must be at least 16 characters' }).default(DEV_TASK_LINK_SECRET),
  /**
   * A key ring for rotating the link secret: the current secret first, then
   * previous ones, comma-separated. Takes the place of TASK_LINK_SECRET when set.
   */
  TASK_LINK_SECRETS: z
    .string()
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .refine((keys) => keys.length > 0 && keys.every((k) => k.length >= 16), {
      error: 'must list one or more secrets of at least 16 characters each, comma-separated, the current one first',
    })
    .optional(),
  /** Where the worker's activities reach the API (registry, documents). */
  API_BASE_URL: z.url().optional(),
  API_TOKEN: z.string().optional(),
  /** Requests per minute per client address on the public link pages (/tasks, /invitations, /reviews). */
  LINK_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  /** Which reverse proxies to believe about the client address (X-Forwarded-For); see `TrustProxy`. */
  TRUST_PROXY: TrustProxySchema,
  /** Task emails per approver and window sent one by one; the rest wait for one digest email. 0 sends every task email on its own. */
  DIGEST_AFTER: z.coerce.number({ error: 'must be a whole number, e.g. 5 (0 turns digests off)' }).int().min(0).max(1000).default(5),
  /** How long a digest window lasts, from the first task email in it. */
  DIGEST_WINDOW: z
    .string()
    .refine((v) => (durationMs(v) ?? 0) >= 1000, { error: 'must be a duration of at least a second, e.g. "1 day" or "12 hours"' })
    .default('1 day'),
  /** The OpenID Connect provider managers sign in with (its issuer URL, discovered at /.well-known/openid-configuration). */
  OIDC_ISSUER: z.url({ error: 'must be the issuer URL of your OpenID provider, e.g. https://login.microsoftonline.com/<tenant>/v2.0' }).optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1, { error: 'must not be empty' }).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1, { error: 'must not be empty' }).optional(),
  /**
   * Only for a provider that never sends `email_verified` and whose addresses
   * only its administrators can set (a single-tenant Entra ID, say): its
   * `email` claim counts as verified when the claim is absent. An explicit
   * `email_verified: false` is never trusted.
   */
  OIDC_ASSUME_EMAIL_VERIFIED: z.enum(['true', 'false'], { error: 'must be "true" or "false"' }).default('false'),
  /** People who may see and act on every partnership. */
  ADMIN_EMAILS: EmailListSchema,
  /** Signs the console's session cookies; a comma-separated ring (current first) lets an old secret's sessions live on while it is rotated out. */
  SESSION_SECRET: z
    .string()
    .default(DEV_SESSION_SECRET)
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .refine((keys) => keys.length > 0 && keys.every((k) => k.length >= 32), {
      error: 'must be one or more secrets of at least 32 characters, comma-separated, the current one first',
    }),
  /** How long a console session lasts after sign-in at most, however busy (its absolute lifetime). */
  SESSION_HOURS: z.coerce.number({ error: 'must be a number of hours, e.g. 8' }).min(0.1).max(24 * 30).default(8),
  /** How long a console session lasts without a request (its idle lifetime); each request starts it again. */
  SESSION_IDLE_MINUTES: z.coerce.number({ error: 'must be a number of minutes, e.g. 60' }).min(1).max(24 * 60).default(60),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Memory the worker may use, MiB: sizes its workflow cache (infra/workflow-cache.ts). Unset: its container's limit, else the machine's memory. */
  WORKER_MEMORY_MB: z.coerce
    .number({ error: 'must be a whole number of MiB, e.g. 1024' })
    .int({ error: 'must be a whole number of MiB, e.g. 1024' })
    .min(MIN_WORKER_MEMORY_MIB, { error: `must be at least ${MIN_WORKER_MEMORY_MIB} (a worker holding no workflow uses most of that)` })
    .optional(),
  /** The workflow cache size itself, overriding WORKER_MEMORY_MB; 0 turns the cache off (every task replays its history). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number({ error: 'must be a whole number, e.g. 2000 (0 turns the cache off)' })
    .int({ error: 'must be a whole number, e.g. 2000 (0 turns the cache off)' })
    .min(0)
    .refine((n) => n !== 1, { error: 'must be 0 (no cache) or at least 2' })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  production: boolean;
  port: number;
  publicBaseUrl: string;
  /** `unreachableExitAfterMs` (TEMPORAL_UNREACHABLE_EXIT_AFTER) is the worker's; `createApp` callers may leave it out. */
  temporal: { address: string; namespace: string; taskQueue: string; unreachableExitAfterMs?: number };
  smtpUrl: string;
  mailFrom: string;
  /** The API's database (`DATABASE_URL`); only the API opens it. */
  databaseUrl: string;
  apiKeys: string[];
  /** The current link secret: new links are signed with it (the first of `taskLinkSecrets`). */
  taskLinkSecret: string;
  /** Every secret whose links are still accepted, the current one first. */
  taskLinkSecrets: string[];
  apiBaseUrl: string;
  apiToken: string;
  workerMetricsPort: number;
  /** What sizes the worker's workflow cache (see `workflowCacheSize`). */
  workflowCache: { memoryMiB?: number; maxCachedWorkflows?: number };
  logLevel: string;
  linkRateLimit: number;
  /** Express's `trust proxy` setting; `false` when TRUST_PROXY is unset. */
  trustProxy: TrustProxy;
  digest: DigestSettings;
  /** Sign-in for the console; absent when OIDC_ISSUER is unset (the console then says sign-in is not configured). */
  oidc?: OidcSettings;
  console: ConsoleSettings;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** OIDC_ASSUME_EMAIL_VERIFIED: an `email` claim without `email_verified` counts as verified. */
  assumeEmailVerified?: boolean;
}

export interface ConsoleSettings {
  /** Lowercased emails of people who may see and act on every partnership. */
  adminEmails: string[];
  /** Session-cookie signing keys, the current one first. */
  sessionSecrets: string[];
  /** Absolute lifetime of a session from sign-in, ms (SESSION_HOURS). */
  sessionMaxAgeMs: number;
  /** Idle lifetime, ms (SESSION_IDLE_MINUTES): a session unused this long has ended. */
  sessionIdleMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const oidcParts = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    const missing = (['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((_, i) => !oidcParts[i]);
    throw new Error(`invalid configuration: console sign-in needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together; missing ${missing.join(', ')}`);
  }
  const production = e.NODE_ENV === 'production';
  const apiKeys = e.API_KEYS.split(',').map((k) => k.trim()).filter(Boolean);
  if (apiKeys.length === 0) throw new Error('invalid configuration: API_KEYS must name at least one token');
  if (production) {
    const unsafe = [
      apiKeys.includes(DEV_API_KEY) && 'API_KEYS',
      (e.TASK_LINK_SECRETS ?? [e.TASK_LINK_SECRET]).includes(DEV_TASK_LINK_SECRET) && 'TASK_LINK_SECRET',
      !e.PUBLIC_BASE_URL && 'PUBLIC_BASE_URL',
      e.SESSION_SECRET.includes(DEV_SESSION_SECRET) && 'SESSION_SECRET',
    ].filter(Boolean);
    if (unsafe.length > 0) {
      throw new Error(`refusing to start in production with development defaults; set ${unsafe.join(', ')}`);
    }
  }
  const localApi = `http://127.0.0.1:${e.PORT}`;
  return {
    production,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      unreachableExitAfterMs: durationMs(e.TEMPORAL_UNREACHABLE_EXIT_AFTER)!,
    },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    databaseUrl: e.DATABASE_URL,
    apiKeys,
    taskLinkSecret: (e.TASK_LINK_SECRETS ?? [e.TASK_LINK_SECRET])[0],
    taskLinkSecrets: e.TASK_LINK_SECRETS ?? [e.TASK_LINK_SECRET],
    apiBaseUrl: (e.API_BASE_URL ?? localApi).replace(/\/$/, ''),
    apiToken: e.API_TOKEN ?? apiKeys[0],
    workerMetricsPort: e.WORKER_METRICS_PORT,
    workflowCache: {
      ...(e.WORKER_MEMORY_MB !== undefined ? { memoryMiB: e.WORKER_MEMORY_MB } : {}),
      ...(e.WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS } : {}),
    },
    logLevel: e.LOG_LEVEL,
    linkRateLimit: e.LINK_RATE_LIMIT,
    trustProxy: e.TRUST_PROXY,
    digest: { after: e.DIGEST_AFTER, windowMs: durationMs(e.DIGEST_WINDOW)! },
    ...(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
      ? { oidc: { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, assumeEmailVerified: e.OIDC_ASSUME_EMAIL_VERIFIED === 'true' } }
      : {}),
    console: {
      adminEmails: e.ADMIN_EMAILS,
      sessionSecrets: e.SESSION_SECRET,
      sessionMaxAgeMs: e.SESSION_HOURS * 3_600_000,
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    },
  };
}

/** What the worker process is configured with: everything but the API's database, which it reaches only through the API. */
export type WorkerConfig = Omit<Config, 'databaseUrl'>;

/**
 * The worker's configuration: as `loadConfig`, without `DATABASE_URL`, so the
 * worker cannot open the API's database by mistake (the API owns it; the
 * worker's activities go through `API_BASE_URL`).
 *
 * @throws Error naming each invalid variable, as `loadConfig`
 */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const { DATABASE_URL: _apiOnly, ...rest } = env;
  const { databaseUrl: _unused, ...config } = loadConfig(rest);
  return config;
}
