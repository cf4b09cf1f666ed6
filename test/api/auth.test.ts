import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZApiToken, ZCreatedApiToken, ZGroup, ZMe, ZUser } from '../../src/shared/schemas/auth.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { createTestApp, PASSWORD, type TTestApp } from '../app.ts';

// Time the app sees: real time plus an offset the tests move forward (lockout, session expiry).
// It stays near real time because cookies refuse expiry dates too far ahead of the real one.
let offset = 0;
const clock = () => new Date(Date.now() + offset);
const MINUTE = 60_000;
const DAY = 86_400_000;
const advance = (ms: number) => {
  offset += ms;
};

const ZTokenList = z.object({ items: z.array(ZApiToken.strict()), nextCursor: z.null() });
const ZGroupPage = ZPage(ZGroup);
const ZValidationDetails = z.array(z.object({ path: z.string(), message: z.string() }));

let t: TTestApp;
beforeAll(async () => {
  // Scenarios keep apart by client address, which the app takes from X-Forwarded-For behind a proxy.
  t = await createTestApp({ clock, config: { trustProxy: true } });
});
afterAll(async () => t?.close());

// The login limit is per client address; each scenario signs in from its own address so that
// the scenarios do not spend one another's budget.
let addressSeq = 0;
const newAddress = () => `198.51.100.${++addressSeq}`;

type TCookie = { name: string; value: string; attributes: Map<string, string> };

/** One Set-Cookie header, split into name, value and lower-cased attributes. */
const parseSetCookie = (header: string): TCookie => {
  const [pair, ...attrs] = header.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const a of attrs) {
    const i = a.indexOf('=');
    attributes.set((i < 0 ? a : a.slice(0, i)).toLowerCase(), i < 0 ? '' : a.slice(i + 1));
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
};

const cookiesOf = (headers: Headers) =>
  new Map(headers.getSetCookie().map((h) => [parseSetCookie(h).name, parseSetCookie(h)]));

const login = (email: string, password: string, address: string, headers: Record<string, string> = {}) =>
  t.request('POST', '/api/v1/auth/login', {
    body: { email, password },
    headers: { 'x-forwarded-for': address, ...headers },
  });

type TSession = { cookie: string; csrf: string; session: string; headers: Record<string, string> };

/** Signs in and returns the cookies a browser would send, plus headers for a write. */
const signIn = async (email: string, password = PASSWORD, address = newAddress()): Promise<TSession> => {
  const res = await login(email, password, address);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const cookies = cookiesOf(res.headers);
  const session = cookies.get('tourdesk_session')?.value ?? '';
  const csrf = cookies.get('tourdesk_csrf')?.value ?? '';
  expect(session).not.toBe('');
  expect(csrf).not.toBe('');
  const cookie = `tourdesk_session=${session}; tourdesk_csrf=${csrf}`;
  return { cookie, csrf, session, headers: { cookie, 'x-csrf-token': csrf } };
};

const me = (s: TSession) => t.request('GET', '/api/v1/me', { headers: { cookie: s.cookie } });

let userSeq = 0;
/** A fresh agent (or other role) with the test password, created by the admin token. */
const createUser = async (role: 'agent' | 'supervisor' | 'admin' = 'agent') => {
  const email = `person.${++userSeq}@auth.test`;
  const res = await t.request('POST', '/api/v1/users', {
    token: t.tokens.admin,
    body: { email, name: `Person ${userSeq}`, role, password: PASSWORD },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { ...res.parse(ZUser), email };
};

describe('login', () => {
  it('sets an httpOnly SameSite=Lax session cookie and a readable CSRF cookie equal to the token in the body', async () => {
    const before = clock().getTime();
    const res = await login(t.users.agent.email, PASSWORD, newAddress());
    expect(res.status).toBe(200);
    const body = res.parse(ZMe);
    expect(body.user?.email).toBe(t.users.agent.email);
    expect(body.actor).toEqual({ kind: 'user', role: 'agent', name: 'Test agent' });
    expect(body.permissions).toContain('ticket.reply');
    expect(body.permissions).not.toContain('user.manage');

    const cookies = cookiesOf(res.headers);
    const session = cookies.get('tourdesk_session');
    const csrf = cookies.get('tourdesk_csrf');
    if (!session || !csrf) throw new Error(`missing cookies: ${res.headers.getSetCookie().join(' | ')}`);

    expect(session.value.length).toBeGreaterThanOrEqual(40);
    expect(session.attributes.has('httponly')).toBe(true);
    expect(session.attributes.get('samesite')).toBe('Lax');
    expect(session.attributes.get('path')).toBe('/');
    // Not over https in tests: TOURDESK_COOKIE_SECURE is off unless the public URL is https.
    expect(session.attributes.has('secure')).toBe(false);
    const expires = Date.parse(session.attributes.get('expires') ?? '');
    // Expires: 14 days (TOURDESK_SESSION_DAYS) after sign-in, to the second.
    expect(Math.abs(expires - (before + 14 * DAY))).toBeLessThan(5_000);

    expect(csrf.value).toBe(body.csrfToken);
    expect(csrf.value).not.toBe(session.value);
    expect(csrf.attributes.has('httponly')).toBe(false);
    expect(csrf.attributes.get('samesite')).toBe('Lax');
    expect(csrf.attributes.get('path')).toBe('/');

    // The session cookie alone identifies the person on reads; /me repeats the CSRF token.
    const read = await t.request('GET', '/api/v1/me', {
      headers: { cookie: `tourdesk_session=${session.value}` },
    });
    expect(read.status).toBe(200);
    const again = read.parse(ZMe);
    expect(again.user?.id).toBe(t.users.agent.id);
    expect(again.csrfToken).toBe(csrf.value);
  });

  it('accepts the email in any case and with surrounding spaces', async () => {
    const res = await login(`  ${t.users.supervisor.email.toUpperCase()} `, PASSWORD, newAddress());
    expect(res.status).toBe(200);
    expect(res.parse(ZMe).user?.id).toBe(t.users.supervisor.id);
  });

  it('refuses a wrong password and an unknown email alike: 401 INVALID_CREDENTIALS, no cookie', async () => {
    const address = newAddress();
    const wrong = await login(t.users.agent.email, 'not-the-password', address);
    expect(wrong.status).toBe(401);
    expect(wrong.errorCode).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers.getSetCookie()).toEqual([]);

    const unknown = await login('nobody@auth.test', PASSWORD, address);
    expect(unknown.status).toBe(401);
    expect(unknown.errorCode).toBe('INVALID_CREDENTIALS');
    // The same message: the answer does not tell whether the account exists.
    expect(unknown.json).toEqual(wrong.json);
  });

  it('refuses a body without a password (400, field named)', async () => {
    const res = await t.request('POST', '/api/v1/auth/login', {
      body: { email: t.users.agent.email },
      headers: { 'x-forwarded-for': newAddress() },
    });
    expect(res.status).toBe(400);
    expect(res.errorCode).toBe('VALIDATION_FAILED');
    const details = ZValidationDetails.parse((res.json as { error: { details: unknown } }).error.details);
    expect(details.map((d) => d.path)).toContain('password');
  });
});

describe('lockout', () => {
  it('locks the account after 5 wrong passwords for 15 minutes, refusing even the right one, then unlocks', async () => {
    const user = await createUser();
    const address = newAddress();
    for (let i = 1; i <= 5; i++) {
      const res = await login(user.email, `wrong-${i}`, address);
      expect(res.status, `attempt ${i}`).toBe(401);
      expect(res.errorCode).toBe('INVALID_CREDENTIALS');
    }
    const lockedAt = clock().getTime();

    const locked = await login(user.email, PASSWORD, address);
    expect(locked.status).toBe(423);
    expect(locked.errorCode).toBe('ACCOUNT_LOCKED');
    expect(locked.headers.getSetCookie()).toEqual([]);
    const { lockedUntil } = z
      .object({ error: z.object({ details: z.object({ lockedUntil: z.string() }) }) })
      .parse(locked.json).error.details;
    expect(Math.abs(Date.parse(lockedUntil) - (lockedAt + 15 * MINUTE))).toBeLessThan(5_000);

    advance(14 * MINUTE);
    const stillLocked = await login(user.email, PASSWORD, address);
    expect(stillLocked.status).toBe(423);
    expect(stillLocked.errorCode).toBe('ACCOUNT_LOCKED');

    advance(MINUTE + 5_000);
    const unlocked = await login(user.email, PASSWORD, address);
    expect(unlocked.status).toBe(200);
    expect(unlocked.parse(ZMe).user?.id).toBe(user.id);
  });

  it('four wrong passwords do not lock, and a success resets the count', async () => {
    const user = await createUser();
    const address = newAddress();
    for (let i = 0; i < 4; i++) expect((await login(user.email, 'wrong-password', address)).status).toBe(401);
    expect((await login(user.email, PASSWORD, address)).status).toBe(200);
    // Counting starts again: four more wrong ones still leave the account open.
    for (let i = 0; i < 4; i++) expect((await login(user.email, 'wrong-password', address)).status).toBe(401);
    expect((await login(user.email, PASSWORD, address)).status).toBe(200);
  });

  it('counts only failures within 15 minutes, and a lock that ran out starts the count afresh', async () => {
    const user = await createUser();
    const address = newAddress();
    // Four typos, then a fifth 16 minutes later: the first four have aged out.
    for (let i = 0; i < 4; i++) expect((await login(user.email, 'wrong-password', address)).status).toBe(401);
    advance(16 * MINUTE);
    expect((await login(user.email, 'wrong-password', address)).status).toBe(401);
    expect((await login(user.email, PASSWORD, address)).status).toBe(200);

    // Locked, then the lock runs out: one more typo is one failure, not a sixth.
    for (let i = 0; i < 5; i++) await login(user.email, 'wrong-password', address);
    expect((await login(user.email, PASSWORD, address)).errorCode).toBe('ACCOUNT_LOCKED');
    advance(15 * MINUTE + 5_000);
    expect((await login(user.email, 'wrong-password', address)).status).toBe(401);
    expect((await login(user.email, PASSWORD, address)).status).toBe(200);
  });

  it('an admin setting a new password unlocks the account at once', async () => {
    const user = await createUser();
    const address = newAddress();
    for (let i = 0; i < 5; i++) await login(user.email, 'wrong-password', address);
    expect((await login(user.email, PASSWORD, address)).errorCode).toBe('ACCOUNT_LOCKED');

    const reset = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { password: 'a-brand-new-one' },
    });
    expect(reset.status).toBe(200);
    expect((await login(user.email, 'a-brand-new-one', address)).status).toBe(200);
  });
});

describe('login rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After past 20 attempts a minute from one address, even for a right password', async () => {
    const address = newAddress();
    // Unknown emails: the attempts lock nobody out, so only the limiter can refuse.
    for (let i = 1; i <= 20; i++) {
      const res = await login(`ghost.${i}@auth.test`, 'whatever', address);
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const limited = await login(t.users.admin.email, PASSWORD, address);
    expect(limited.status).toBe(429);
    expect(limited.errorCode).toBe('RATE_LIMITED');
    expect(limited.headers.getSetCookie()).toEqual([]);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another address has its own budget.
    expect((await login(t.users.admin.email, PASSWORD, newAddress())).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless a trusted proxy is configured, so a new header each time gains nothing', async () => {
    const direct = await createTestApp();
    try {
      const statuses: number[] = [];
      for (let i = 1; i <= 21; i++) {
        const res = await direct.request('POST', '/api/v1/auth/login', {
          body: { email: `ghost.${i}@auth.test`, password: 'whatever' },
          headers: { 'x-forwarded-for': `10.9.0.${i}` },
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
      expect(statuses[20]).toBe(429);
    } finally {
      await direct.close();
    }
  });
});

describe('CSRF (double submit)', () => {
  // A supervisor: they may create groups, a write of another module than their own profile.
  let s: TSession;
  beforeAll(async () => {
    s = await signIn(t.users.supervisor.email);
  });
  const groupNames = async () =>
    (await t.request('GET', '/api/v1/groups', { token: t.tokens.admin }))
      .parse(ZGroupPage)
      .items.map((g) => g.name);

  it('refuses a cookie-authenticated write without X-CSRF-Token: 403 CSRF_FAILED, nothing changed', async () => {
    const res = await t.request('PATCH', '/api/v1/me', {
      headers: { cookie: s.cookie },
      body: { name: 'Hijacked' },
    });
    expect(res.status).toBe(403);
    expect(res.errorCode).toBe('CSRF_FAILED');
    const after = (await me(s)).parse(ZMe);
    expect(after.user?.name).toBe('Test supervisor');

    const group = await t.request('POST', '/api/v1/groups', {
      headers: { cookie: s.cookie },
      body: { name: 'Forged group' },
    });
    expect(group.status).toBe(403);
    expect(group.errorCode).toBe('CSRF_FAILED');
    expect(await groupNames()).not.toContain('Forged group');
  });

  it('refuses a header that does not match the cookie, or a cookie missing from the request', async () => {
    const other = await signIn(t.users.agent.email);
    const cases: Record<string, string>[] = [
      { cookie: s.cookie, 'x-csrf-token': 'guessed-token' },
      // Another session's CSRF pair, sent along with this session: must not pass.
      { cookie: `tourdesk_session=${s.session}; tourdesk_csrf=${other.csrf}`, 'x-csrf-token': other.csrf },
      // The right token in the header but no CSRF cookie: double submit needs both.
      { cookie: `tourdesk_session=${s.session}`, 'x-csrf-token': s.csrf },
    ];
    for (const headers of cases) {
      const res = await t.request('PATCH', '/api/v1/me', { headers, body: { name: 'Hijacked' } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.errorCode).toBe('CSRF_FAILED');
    }
  });

  it('lets a write through with the header, and reads need none', async () => {
    expect((await me(s)).status).toBe(200);
    const res = await t.request('POST', '/api/v1/groups', {
      headers: s.headers,
      body: { name: 'Weekend shift' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.parse(ZGroup).name).toBe('Weekend shift');
    const renamed = await t.request('PATCH', '/api/v1/me', {
      headers: s.headers,
      body: { name: 'Team lead' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.parse(ZMe).user?.name).toBe('Team lead');
  });

  it('bearer-token writes need no CSRF header', async () => {
    const res = await t.request('POST', '/api/v1/groups', {
      token: t.tokens.supervisor,
      body: { name: 'Night shift' },
    });
    expect(res.status).toBe(201);
    expect(await groupNames()).toContain('Night shift');
    const tokenMe = (await t.request('GET', '/api/v1/me', { token: t.tokens.agent })).parse(ZMe);
    expect(tokenMe.actor.kind).toBe('token');
    expect(tokenMe.user).toBeNull();
    expect(tokenMe.csrfToken).toBeNull();
  });

  it('an invalid bearer token is refused outright (401), never falling back to the cookie', async () => {
    for (const authorization of ['Bearer tdk_not-a-real-token', 'Bearer nonsense', 'Basic dXNlcjpwYXNz']) {
      const res = await t.request('GET', '/api/v1/me', { headers: { authorization, cookie: s.cookie } });
      expect(res.status, authorization).toBe(401);
      expect(res.errorCode).toBe('UNAUTHENTICATED');
    }
  });
});

describe('sessions end', () => {
  it('logout deletes the session: the old cookie no longer works and the cookies are cleared', async () => {
    const s = await signIn(t.users.agent.email);
    expect((await me(s)).status).toBe(200);

    const withoutCsrf = await t.request('POST', '/api/v1/auth/logout', { headers: { cookie: s.cookie } });
    expect(withoutCsrf.status).toBe(403);
    expect(withoutCsrf.errorCode).toBe('CSRF_FAILED');

    const res = await t.request('POST', '/api/v1/auth/logout', { headers: s.headers });
    expect(res.status).toBe(204);
    const cleared = cookiesOf(res.headers);
    expect(cleared.get('tourdesk_session')?.value).toBe('');
    expect(cleared.get('tourdesk_session')?.attributes.get('max-age')).toBe('0');
    expect(cleared.get('tourdesk_csrf')?.attributes.get('max-age')).toBe('0');

    const after = await me(s);
    expect(after.status).toBe(401);
    expect(after.errorCode).toBe('UNAUTHENTICATED');
    const write = await t.request('PATCH', '/api/v1/me', { headers: s.headers, body: { locale: 'en' } });
    expect(write.status).toBe(401);
  });

  it('logout ends only that session', async () => {
    const first = await signIn(t.users.agent.email);
    const second = await signIn(t.users.agent.email);
    expect((await t.request('POST', '/api/v1/auth/logout', { headers: first.headers })).status).toBe(204);
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);
  });

  it('a deactivated user’s session stops working and they cannot sign in again', async () => {
    const user = await createUser();
    const s = await signIn(user.email);
    expect((await me(s)).status).toBe(200);

    const off = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { isActive: false },
    });
    expect(off.status).toBe(200);
    expect(off.parse(ZUser).isActive).toBe(false);

    const res = await me(s);
    expect(res.status).toBe(401);
    expect(res.errorCode).toBe('UNAUTHENTICATED');
    expect(
      (await t.request('PATCH', '/api/v1/me', { headers: s.headers, body: { locale: 'en' } })).status,
    ).toBe(401);
    const again = await login(user.email, PASSWORD, newAddress());
    expect(again.status).toBe(401);
    expect(again.errorCode).toBe('INVALID_CREDENTIALS');

    // Reactivation does not revive the old session; signing in again does.
    await t.request('PATCH', `/api/v1/users/${user.id}`, { token: t.tokens.admin, body: { isActive: true } });
    expect((await me(s)).status).toBe(401);
    expect((await me(await signIn(user.email))).status).toBe(200);
  });

  it('a role change applies to a live session at once', async () => {
    const user = await createUser();
    const s = await signIn(user.email);
    const group = { name: `Night shift ${user.id}` };
    const denied = await t.request('POST', '/api/v1/groups', { headers: s.headers, body: group });
    expect(denied.status).toBe(403);
    expect(denied.errorCode).toBe('FORBIDDEN');

    await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { role: 'supervisor' },
    });
    expect((await me(s)).parse(ZMe).actor.role).toBe('supervisor');
    expect((await t.request('POST', '/api/v1/groups', { headers: s.headers, body: group })).status).toBe(201);
  });

  it('expires after 14 days without use; use within that slides the expiry', async () => {
    const idle = await signIn(t.users.agent.email);
    const busy = await signIn(t.users.agent.email);

    advance(10 * DAY);
    expect((await me(busy)).status).toBe(200);

    // 14 days and a minute after sign-in: the idle session is gone, the busy one was renewed 4 days ago.
    advance(4 * DAY + MINUTE);
    const expired = await me(idle);
    expect(expired.status).toBe(401);
    expect(expired.errorCode).toBe('UNAUTHENTICATED');
    expect((await me(busy)).status).toBe(200);

    advance(14 * DAY + MINUTE);
    expect((await me(busy)).status).toBe(401);
  });
});

describe('PATCH /me', () => {
  it('changes name and language', async () => {
    const user = await createUser();
    const s = await signIn(user.email);
    expect(user.locale).toBe('ru');

    const res = await t.request('PATCH', '/api/v1/me', {
      headers: s.headers,
      body: { locale: 'en', name: 'Мария' },
    });
    expect(res.status).toBe(200);
    const body = res.parse(ZMe);
    expect(body.user?.locale).toBe('en');
    expect(body.user?.name).toBe('Мария');
    expect(body.user?.version).toBe(user.version + 1);
    expect(body.csrfToken).toBe(s.csrf);
    expect((await me(s)).parse(ZMe).user?.locale).toBe('en');

    const bad = await t.request('PATCH', '/api/v1/me', { headers: s.headers, body: { locale: 'de' } });
    expect(bad.status).toBe(400);
    expect(bad.errorCode).toBe('VALIDATION_FAILED');
    const details = ZValidationDetails.parse((bad.json as { error: { details: unknown } }).error.details);
    expect(details.map((d) => d.path)).toEqual(['locale']);
  });

  it('changes the password only with the right current password', async () => {
    const user = await createUser();
    const s = await signIn(user.email);

    const wrongOld = await t.request('PATCH', '/api/v1/me', {
      headers: s.headers,
      body: { currentPassword: 'not-my-password', newPassword: 'correct-horse-battery' },
    });
    expect(wrongOld.status).toBe(401);
    expect(wrongOld.errorCode).toBe('INVALID_CREDENTIALS');

    const noOld = await t.request('PATCH', '/api/v1/me', {
      headers: s.headers,
      body: { newPassword: 'correct-horse-battery' },
    });
    expect(noOld.status).toBe(401);
    expect(noOld.errorCode).toBe('INVALID_CREDENTIALS');

    const tooShort = await t.request('PATCH', '/api/v1/me', {
      headers: s.headers,
      body: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.errorCode).toBe('VALIDATION_FAILED');

    // None of the refused attempts changed anything.
    const address = newAddress();
    expect((await login(user.email, 'correct-horse-battery', address)).status).toBe(401);
    expect((await login(user.email, PASSWORD, address)).status).toBe(200);

    const ok = await t.request('PATCH', '/api/v1/me', {
      headers: s.headers,
      body: { currentPassword: PASSWORD, newPassword: 'correct-horse-battery' },
    });
    expect(ok.status).toBe(200);
    expect(ok.parse(ZMe).user?.id).toBe(user.id);

    const old = await login(user.email, PASSWORD, address);
    expect(old.status).toBe(401);
    expect(old.errorCode).toBe('INVALID_CREDENTIALS');
    expect((await login(user.email, 'correct-horse-battery', address)).status).toBe(200);
  });

  it('is refused for API tokens: they have no profile (403)', async () => {
    const res = await t.request('PATCH', '/api/v1/me', { token: t.tokens.admin, body: { locale: 'en' } });
    expect(res.status).toBe(403);
    expect(res.errorCode).toBe('FORBIDDEN');
    const pw = await t.request('PATCH', '/api/v1/me', {
      token: t.tokens.agent,
      body: { currentPassword: PASSWORD, newPassword: 'correct-horse-battery' },
    });
    expect(pw.status).toBe(403);
    expect(pw.errorCode).toBe('FORBIDDEN');
  });

  it('needs a signed-in person (401)', async () => {
    const res = await t.request('PATCH', '/api/v1/me', { body: { locale: 'en' } });
    expect(res.status).toBe(401);
    expect(res.errorCode).toBe('UNAUTHENTICATED');
  });
});

describe('API tokens', () => {
  const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
  const listTokens = async (token = t.tokens.admin) => {
    const res = await t.request('GET', '/api/v1/api-tokens', { token });
    expect(res.status).toBe(200);
    return { items: res.parse(ZTokenList).items, text: JSON.stringify(res.json) };
  };

  it('shows the secret once on creation; lists without it; stores only its SHA-256', async () => {
    const res = await t.request('POST', '/api/v1/api-tokens', {
      token: t.tokens.admin,
      body: { name: 'Booking site', role: 'integration' },
    });
    expect(res.status).toBe(201);
    const created = res.parse(ZCreatedApiToken);
    expect(created.token).toMatch(/^tdk_[A-Za-z0-9_-]{40}$/);
    expect(created.prefix).toBe(created.token.slice(0, 10));
    expect(created).toMatchObject({
      name: 'Booking site',
      role: 'integration',
      lastUsedAt: null,
      revokedAt: null,
    });

    const { items, text } = await listTokens();
    const listed = items.find((i) => i.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: 'Booking site',
      role: 'integration',
      prefix: created.prefix,
      createdAt: created.createdAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(text).not.toContain(created.token.slice(10));

    const row = await t.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(created.token));
    expect(row.prefix).toBe(created.prefix);
    expect(JSON.stringify(row)).not.toContain(created.token.slice(10));
    // Created with a token: no person is recorded as its creator.
    expect(row.created_by).toBeNull();
  });

  it('records the admin who created it through a session, and when it was last used', async () => {
    const s = await signIn(t.users.admin.email);
    const res = await t.request('POST', '/api/v1/api-tokens', {
      headers: s.headers,
      body: { name: 'Reporting', role: 'agent' },
    });
    expect(res.status).toBe(201);
    const created = res.parse(ZCreatedApiToken);
    const row = await t.database.db
      .selectFrom('api_tokens')
      .select('created_by')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.created_by).toBe(t.users.admin.id);

    expect((await t.request('GET', '/api/v1/users', { token: created.token })).status).toBe(200);
    const listed = (await listTokens()).items.find((i) => i.id === created.id);
    expect(listed?.lastUsedAt).not.toBeNull();
  });

  it('a token bound to role agent works as an agent and cannot do admin things', async () => {
    const created = (
      await t.request('POST', '/api/v1/api-tokens', {
        token: t.tokens.admin,
        body: { name: 'Bot', role: 'agent' },
      })
    ).parse(ZCreatedApiToken);
    const who = (await t.request('GET', '/api/v1/me', { token: created.token })).parse(ZMe);
    expect(who.actor).toEqual({ kind: 'token', role: 'agent', name: 'Bot' });

    const users = await t.request('GET', '/api/v1/users', { token: created.token });
    expect(users.status).toBe(200);
    expect(users.parse(ZPage(ZUser)).items.map((u) => u.id)).toContain(t.users.admin.id);
    const adminThings: [string, string, unknown][] = [
      [
        'POST',
        '/api/v1/users',
        { email: 'sneaky@auth.test', name: 'Sneaky', role: 'admin', password: PASSWORD },
      ],
      ['POST', '/api/v1/api-tokens', { name: 'Escalate', role: 'admin' }],
      ['POST', '/api/v1/groups', { name: 'Bot group' }],
      ['GET', '/api/v1/api-tokens', undefined],
      ['PATCH', '/api/v1/settings', { name: 'Taken over' }],
      ['PATCH', `/api/v1/users/${t.users.agent.id}`, { role: 'admin' }],
      ['DELETE', `/api/v1/api-tokens/${created.id}`, undefined],
    ];
    for (const [method, url, body] of adminThings) {
      const res = await t.request(method, url, { token: created.token, body });
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.errorCode).toBe('FORBIDDEN');
    }
    const agentUser = (
      await t.request('GET', `/api/v1/users/${t.users.agent.id}`, { token: t.tokens.admin })
    ).parse(ZUser);
    expect(agentUser.role).toBe('agent');
  });

  it('DELETE revokes it: the token then answers 401, and it is listed as revoked', async () => {
    const created = (
      await t.request('POST', '/api/v1/api-tokens', {
        token: t.tokens.admin,
        body: { name: 'Old', role: 'admin' },
      })
    ).parse(ZCreatedApiToken);
    expect((await t.request('GET', '/api/v1/users', { token: created.token })).status).toBe(200);

    const del = await t.request('DELETE', `/api/v1/api-tokens/${created.id}`, { token: t.tokens.admin });
    expect(del.status).toBe(204);

    const after = await t.request('GET', '/api/v1/users', { token: created.token });
    expect(after.status).toBe(401);
    expect(after.errorCode).toBe('UNAUTHENTICATED');
    const listed = (await listTokens()).items.find((i) => i.id === created.id);
    expect(listed?.revokedAt).not.toBeNull();

    const again = await t.request('DELETE', `/api/v1/api-tokens/${created.id}`, { token: t.tokens.admin });
    expect(again.status).toBe(404);
    expect(again.errorCode).toBe('TOKEN_NOT_FOUND');
    for (const id of ['999999', 'abc', '0']) {
      const res = await t.request('DELETE', `/api/v1/api-tokens/${id}`, { token: t.tokens.admin });
      expect(res.status, id).toBe(404);
      expect(res.errorCode).toBe('TOKEN_NOT_FOUND');
    }
  });

  it('refuses an unknown role or an empty name (400, field named)', async () => {
    for (const [body, path] of [
      [{ name: 'x', role: 'root' }, 'role'],
      [{ name: '  ', role: 'agent' }, 'name'],
    ] as const) {
      const res = await t.request('POST', '/api/v1/api-tokens', { token: t.tokens.admin, body });
      expect(res.status).toBe(400);
      const details = ZValidationDetails.parse((res.json as { error: { details: unknown } }).error.details);
      expect(details.map((d) => d.path)).toEqual([path]);
    }
  });

  it('only admins manage tokens; anonymous is 401', async () => {
    expect((await t.request('GET', '/api/v1/api-tokens')).status).toBe(401);
    for (const role of ['supervisor', 'agent', 'department_member', 'integration'] as const) {
      const res = await t.request('POST', '/api/v1/api-tokens', {
        token: t.tokens[role],
        body: { name: 'Mine', role: 'admin' },
      });
      expect(res.status, role).toBe(403);
      expect(res.errorCode).toBe('FORBIDDEN');
    }
  });
});

describe('cookie flags behind https', () => {
  it('marks both cookies Secure when TOURDESK_COOKIE_SECURE is on', async () => {
    const secure = await createTestApp({ config: { cookieSecure: true } });
    try {
      const res = await secure.request('POST', '/api/v1/auth/login', {
        body: { email: secure.users.agent.email, password: PASSWORD },
      });
      expect(res.status).toBe(200);
      const cookies = cookiesOf(res.headers);
      expect(cookies.get('tourdesk_session')?.attributes.has('secure')).toBe(true);
      expect(cookies.get('tourdesk_csrf')?.attributes.has('secure')).toBe(true);
      expect(cookies.get('tourdesk_session')?.attributes.has('httponly')).toBe(true);
    } finally {
      await secure.close();
    }
  });
});
