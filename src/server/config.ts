import fs from 'node:fs';
import { z } from 'zod';

const ZReadableFile = z.string().refine((file) => {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}, 'must name a readable file');

const ZBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ZConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  TOURDESK_DATA_DIR: z.string().min(1).default('./data'),
  TOURDESK_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  TOURDESK_DEMO: ZBool.optional(),
  TOURDESK_ADMIN_EMAIL: z.email().optional(),
  TOURDESK_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  TOURDESK_PUBLIC_URL: z.url().optional(),
  TOURDESK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  TOURDESK_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  TOURDESK_COOKIE_SECURE: ZBool.optional(),
  /** Master key for stored secrets and reply tokens; at least 32 characters. */
  TOURDESK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. Off, the header is ignored. */
  TOURDESK_TRUST_PROXY: ZBool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Built-in SMTP listener for inbound mail; 0 disables it. */
  TOURDESK_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  TOURDESK_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  TOURDESK_SMTP_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  TOURDESK_SMTP_TLS_KEY: ZReadableFile.optional(),
  TOURDESK_SMTP_TLS_CERT: ZReadableFile.optional(),
  TOURDESK_SMTP_AUTH_USER: z.string().min(1).max(200).optional(),
  TOURDESK_SMTP_AUTH_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** IMAP mailboxes: polling interval without IDLE, and the safety re-sync interval with it. */
  TOURDESK_IMAP_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});

/** Both variables of a pair or neither: half a TLS or AUTH setting is a mistake, not a default. */
const PAIRS: [string, string][] = [
  ['TOURDESK_SMTP_TLS_KEY', 'TOURDESK_SMTP_TLS_CERT'],
  ['TOURDESK_SMTP_AUTH_USER', 'TOURDESK_SMTP_AUTH_PASSWORD'],
];

export type TConfig = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  role: 'web' | 'worker' | 'all';
  demo: boolean | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  publicUrl: string | undefined;
  maxBodyBytes: number;
  sessionDays: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  secretKey: string | undefined;
  logLevel: z.infer<typeof ZConfig>['LOG_LEVEL'];
  smtp: TSmtpConfig;
  imap: { pollSeconds: number };
};

/** The inbound SMTP listener; port 0 means it does not run. */
export type TSmtpConfig = {
  port: number;
  host: string;
  maxBytes: number;
  tls: { keyPath: string; certPath: string } | null;
  auth: { user: string; password: string } | null;
};

export class ConfigError extends Error {}

// Start-up errors land in logs: the admin password is never repeated, a URL's password is masked.
const shownValue = (name: string, value: string | undefined): string => {
  if (
    name === 'TOURDESK_ADMIN_PASSWORD' ||
    name === 'TOURDESK_SECRET_KEY' ||
    name === 'TOURDESK_SMTP_AUTH_PASSWORD'
  )
    return '';
  return `=${JSON.stringify(value?.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:).*@/i, '$1***@'))}`;
};

/** Parses the environment; a bad value throws one line that names the variable. */
export const loadConfig = (env: Record<string, string | undefined> = process.env): TConfig => {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ZConfig.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(
      `Invalid environment variable ${name}${shownValue(name, env[name])}: ${issue.message}`,
    );
  }
  const c = parsed.data;
  for (const [a, b] of PAIRS) {
    const missing = cleaned[a] === undefined ? a : cleaned[b] === undefined ? b : null;
    if (missing && (cleaned[a] !== undefined || cleaned[b] !== undefined)) {
      const other = missing === a ? b : a;
      throw new ConfigError(`Invalid environment variable ${missing}: must be set together with ${other}`);
    }
  }
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.TOURDESK_DATA_DIR,
    role: c.TOURDESK_ROLE,
    demo: c.TOURDESK_DEMO,
    adminEmail: c.TOURDESK_ADMIN_EMAIL,
    adminPassword: c.TOURDESK_ADMIN_PASSWORD,
    publicUrl: c.TOURDESK_PUBLIC_URL,
    maxBodyBytes: c.TOURDESK_MAX_BODY_BYTES,
    sessionDays: c.TOURDESK_SESSION_DAYS,
    cookieSecure: c.TOURDESK_COOKIE_SECURE ?? c.TOURDESK_PUBLIC_URL?.startsWith('https://') ?? false,
    trustProxy: c.TOURDESK_TRUST_PROXY,
    secretKey: c.TOURDESK_SECRET_KEY,
    logLevel: c.LOG_LEVEL,
    imap: { pollSeconds: c.TOURDESK_IMAP_POLL_SECONDS },
    smtp: {
      port: c.TOURDESK_SMTP_PORT,
      host: c.TOURDESK_SMTP_HOST,
      maxBytes: c.TOURDESK_SMTP_MAX_BYTES,
      tls:
        c.TOURDESK_SMTP_TLS_KEY && c.TOURDESK_SMTP_TLS_CERT
          ? { keyPath: c.TOURDESK_SMTP_TLS_KEY, certPath: c.TOURDESK_SMTP_TLS_CERT }
          : null,
      auth:
        c.TOURDESK_SMTP_AUTH_USER && c.TOURDESK_SMTP_AUTH_PASSWORD
          ? { user: c.TOURDESK_SMTP_AUTH_USER, password: c.TOURDESK_SMTP_AUTH_PASSWORD }
          : null,
    },
  };
};
