import { describe, expect, it } from 'vitest';
import { wantsDemo } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';

/** The ConfigError that loadConfig throws for this environment. */
const failure = (env: Record<string, string>): ConfigError => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('loadConfig', () => {
  it('defaults: port 3000 on all interfaces, ./data, embedded, 14-day sessions, info logs', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: './data',
      role: 'all',
      demo: undefined,
      adminEmail: undefined,
      adminPassword: undefined,
      publicUrl: undefined,
      maxBodyBytes: 10 * 1024 * 1024,
      sessionDays: 14,
      cookieSecure: false,
      trustProxy: false,
      secretKey: undefined,
      logLevel: 'info',
      imap: { pollSeconds: 60 },
      smtp: { port: 2525, host: '0.0.0.0', maxBytes: 25 * 1024 * 1024, tls: null, auth: null },
    });
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', TOURDESK_DEMO: '' });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demo).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://care@db.internal:5432/tourdesk',
      TOURDESK_DATA_DIR: '/var/lib/tourdesk',
      TOURDESK_ROLE: 'worker',
      TOURDESK_DEMO: 'yes',
      TOURDESK_ADMIN_EMAIL: 'owner@tours.example',
      TOURDESK_ADMIN_PASSWORD: 'long-enough',
      TOURDESK_PUBLIC_URL: 'https://care.tours.example',
      TOURDESK_MAX_BODY_BYTES: '2048',
      TOURDESK_SESSION_DAYS: '30',
      TOURDESK_TRUST_PROXY: 'true',
      TOURDESK_SECRET_KEY: 'k'.repeat(32),
      LOG_LEVEL: 'debug',
      TOURDESK_IMAP_POLL_SECONDS: '15',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://care@db.internal:5432/tourdesk',
      dataDir: '/var/lib/tourdesk',
      role: 'worker',
      demo: true,
      adminEmail: 'owner@tours.example',
      adminPassword: 'long-enough',
      publicUrl: 'https://care.tours.example',
      maxBodyBytes: 2048,
      sessionDays: 30,
      // An https public URL makes cookies Secure unless said otherwise.
      cookieSecure: true,
      trustProxy: true,
      secretKey: 'k'.repeat(32),
      logLevel: 'debug',
      imap: { pollSeconds: 15 },
      smtp: { port: 2525, host: '0.0.0.0', maxBytes: 25 * 1024 * 1024, tls: null, auth: null },
    });
  });

  it('SMTP listener: port (0 disables), host, size limit, TLS files and AUTH pair', () => {
    const smtp = loadConfig({
      TOURDESK_SMTP_PORT: '0',
      TOURDESK_SMTP_HOST: '127.0.0.1',
      TOURDESK_SMTP_MAX_BYTES: '1048576',
      TOURDESK_SMTP_TLS_KEY: 'package.json',
      TOURDESK_SMTP_TLS_CERT: 'package.json',
      TOURDESK_SMTP_AUTH_USER: 'relay',
      TOURDESK_SMTP_AUTH_PASSWORD: 'relay-password',
    }).smtp;
    expect(smtp).toEqual({
      port: 0,
      host: '127.0.0.1',
      maxBytes: 1048576,
      tls: { keyPath: 'package.json', certPath: 'package.json' },
      auth: { user: 'relay', password: 'relay-password' },
    });
    expect(
      failure({ TOURDESK_SMTP_TLS_KEY: '/nonexistent/key.pem', TOURDESK_SMTP_TLS_CERT: 'package.json' })
        .message,
    ).toBe(
      'Invalid environment variable TOURDESK_SMTP_TLS_KEY="/nonexistent/key.pem": must name a readable file',
    );
    expect(failure({ TOURDESK_SMTP_TLS_CERT: 'package.json' }).message).toBe(
      'Invalid environment variable TOURDESK_SMTP_TLS_KEY: must be set together with TOURDESK_SMTP_TLS_CERT',
    );
    const password = failure({ TOURDESK_SMTP_AUTH_USER: 'relay', TOURDESK_SMTP_AUTH_PASSWORD: 'short' });
    expect(password.message).toMatch(/^Invalid environment variable TOURDESK_SMTP_AUTH_PASSWORD:/);
    expect(password.message).not.toContain('short');
    expect(failure({ TOURDESK_SMTP_AUTH_USER: 'relay' }).message).toContain(
      'TOURDESK_SMTP_AUTH_PASSWORD: must be set together with TOURDESK_SMTP_AUTH_USER',
    );
  });

  it('Secure cookies follow the public URL unless TOURDESK_COOKIE_SECURE says otherwise', () => {
    expect(loadConfig({ TOURDESK_PUBLIC_URL: 'http://localhost:3000' }).cookieSecure).toBe(false);
    expect(
      loadConfig({ TOURDESK_PUBLIC_URL: 'https://care.example', TOURDESK_COOKIE_SECURE: 'false' })
        .cookieSecure,
    ).toBe(false);
    expect(loadConfig({ TOURDESK_COOKIE_SECURE: '1' }).cookieSecure).toBe(true);
  });

  it('demo: on for embedded by default, off on PostgreSQL unless forced; TOURDESK_DEMO=false never', () => {
    const pg = 'postgres://postgres@127.0.0.1:5432/tourdesk';
    expect(wantsDemo(loadConfig({}))).toBe(true);
    expect(wantsDemo(loadConfig({ TOURDESK_DEMO: 'false' }))).toBe(false);
    expect(wantsDemo(loadConfig({ TOURDESK_DEMO: '0' }))).toBe(false);
    expect(wantsDemo(loadConfig({ DATABASE_URL: pg }))).toBe(false);
    expect(wantsDemo(loadConfig({ DATABASE_URL: pg, TOURDESK_DEMO: 'true' }))).toBe(true);
    expect(wantsDemo(loadConfig({ DATABASE_URL: pg, TOURDESK_DEMO: 'no' }))).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['TOURDESK_DEMO', 'maybe'],
    ['TOURDESK_ROLE', 'leader'],
    ['LOG_LEVEL', 'loud'],
    ['TOURDESK_ADMIN_EMAIL', 'not-an-email'],
    ['TOURDESK_PUBLIC_URL', 'care.example'],
    ['TOURDESK_SESSION_DAYS', '0'],
    ['TOURDESK_MAX_BODY_BYTES', '10'],
    ['TOURDESK_COOKIE_SECURE', 'sometimes'],
    ['TOURDESK_SMTP_PORT', '65536'],
    ['TOURDESK_SMTP_MAX_BYTES', '100'],
  ])('%s=%s throws a ConfigError: one line naming the variable and the value', (name, value) => {
    const error = failure({ TOURDESK_DATA_DIR: '/tmp/x', [name]: value });
    expect(error.message).toMatch(new RegExp(`^Invalid environment variable ${name}=`));
    expect(error.message).toContain(value);
    expect(error.message).not.toContain('\n');
  });

  it('says what a value must be', () => {
    expect(failure({ DATABASE_URL: 'mysql://x' }).message).toBe(
      'Invalid environment variable DATABASE_URL="mysql://x": must start with postgres:// or postgresql://',
    );
    expect(failure({ LOG_LEVEL: 'loud' }).message).toMatch(/LOG_LEVEL="loud": .*silent/);
  });

  it('names the first bad variable when several are bad', () => {
    expect(failure({ PORT: 'abc', LOG_LEVEL: 'loud' }).message).toMatch(
      /^Invalid environment variable PORT=/,
    );
  });

  it('never repeats a secret: the admin password or the password inside a database URL', () => {
    const short = failure({ TOURDESK_ADMIN_PASSWORD: 'hunter2' });
    expect(short.message).toMatch(/^Invalid environment variable TOURDESK_ADMIN_PASSWORD/);
    expect(short.message).toContain('must be at least 8 characters');
    expect(short.message).not.toContain('hunter2');

    const key = failure({ TOURDESK_SECRET_KEY: 'too-short-master-key' });
    expect(key.message).toMatch(/^Invalid environment variable TOURDESK_SECRET_KEY:/);
    expect(key.message).not.toContain('too-short-master-key');

    const url = failure({ DATABASE_URL: 'mysql://care:s3cr3t-pw@db.internal/tourdesk' });
    expect(url.message).toMatch(/^Invalid environment variable DATABASE_URL=/);
    expect(url.message).toContain('db.internal');
    expect(url.message).not.toContain('s3cr3t-pw');
  });

  it('a value with a line break stays on one line', () => {
    const error = failure({ TOURDESK_ADMIN_EMAIL: 'admin@x\nINJECTED' });
    expect(error.message).toMatch(/^Invalid environment variable TOURDESK_ADMIN_EMAIL=/);
    expect(error.message).not.toContain('\n');
  });
});
