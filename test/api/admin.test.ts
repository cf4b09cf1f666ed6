import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TTokenRole } from '../../src/shared/enums.ts';
import { ZGroup, ZUser, ZWorkspaceSettings } from '../../src/shared/schemas/auth.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { createTestApp, PASSWORD, type TTestApp } from '../app.ts';

const ZUserPage = ZPage(ZUser);
const ZGroupPage = ZPage(ZGroup);
const ZValidationError = z.object({
  error: z.object({
    code: z.literal('VALIDATION_FAILED'),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

const ROLES: TTokenRole[] = ['admin', 'supervisor', 'agent', 'department_member', 'integration'];

let t: TTestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type TResponse = Awaited<ReturnType<TTestApp['request']>>;

/** A 400 VALIDATION_FAILED whose details name exactly these field paths. */
const expectInvalid = (res: TResponse, paths: string[]) => {
  expect(res.status, JSON.stringify(res.json)).toBe(400);
  const { details } = ZValidationError.parse(res.json).error;
  expect(details.map((d) => d.path)).toEqual(paths);
};

/** Each role gets `allowed` or 403 FORBIDDEN; anonymous gets 401 UNAUTHENTICATED. */
const expectRoles = async (
  method: string,
  url: string,
  allowedRoles: TTokenRole[],
  allowedStatus: number,
  body?: (role: TTokenRole) => unknown,
) => {
  const anonymous = await t.request(method, url, { body: body?.('admin') });
  expect(anonymous.status, `${method} ${url} anonymous`).toBe(401);
  expect(anonymous.errorCode).toBe('UNAUTHENTICATED');
  for (const role of ROLES) {
    const res = await t.request(method, url, { token: t.tokens[role], body: body?.(role) });
    if (allowedRoles.includes(role)) {
      expect(res.status, `${method} ${url} ${role}: ${JSON.stringify(res.json)}`).toBe(allowedStatus);
    } else {
      expect(res.status, `${method} ${url} ${role}`).toBe(403);
      expect(res.errorCode).toBe('FORBIDDEN');
    }
  }
};

let seq = 0;
const uniqueEmail = (name: string) => `${name}.${++seq}@admin.test`;

const createUser = async (body: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/api/v1/users', {
    token: t.tokens.admin,
    body: { email: uniqueEmail('user'), name: 'Someone', role: 'agent', ...body },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZUser);
};

const createGroup = async (body: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/api/v1/groups', {
    token: t.tokens.admin,
    body: { name: `Group ${++seq}`, ...body },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZGroup);
};

const login = (email: string, password: string) =>
  t.request('POST', '/api/v1/auth/login', { body: { email, password } });

describe('users', () => {
  it('creates a user with defaults, lower-cased email and groups; the password signs in', async () => {
    const group = await createGroup();
    const email = uniqueEmail('Olga.Smirnova');
    const res = await t.request('POST', '/api/v1/users', {
      token: t.tokens.admin,
      body: {
        email: email.toUpperCase(),
        name: '  Ольга Смирнова ',
        role: 'agent',
        password: 'olga-secret',
        groupIds: [group.id],
      },
    });
    expect(res.status).toBe(201);
    const user = res.parse(ZUser);
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: 'Ольга Смирнова',
      role: 'agent',
      department: null,
      locale: 'ru',
      isActive: true,
      groupIds: [group.id],
      version: 1,
    });
    expect(JSON.stringify(res.json)).not.toMatch(/password|hash/i);

    const fetched = await t.request('GET', `/api/v1/users/${user.id}`, { token: t.tokens.agent });
    expect(fetched.status).toBe(200);
    expect(fetched.parse(ZUser)).toEqual(user);
    const g = (await t.request('GET', `/api/v1/groups/${group.id}`, { token: t.tokens.admin })).parse(ZGroup);
    expect(g.memberIds).toEqual([user.id]);

    expect((await login(email, 'olga-secret')).status).toBe(200);
  });

  it('a user without a password cannot sign in', async () => {
    const user = await createUser();
    const res = await login(user.email, PASSWORD);
    expect(res.status).toBe(401);
    expect(res.errorCode).toBe('INVALID_CREDENTIALS');
  });

  it('creates a department member with a department and locale', async () => {
    const user = await createUser({ role: 'department_member', department: 'legal', locale: 'en' });
    expect(user).toMatchObject({ role: 'department_member', department: 'legal', locale: 'en' });
  });

  it('refuses a duplicate email, in any case: 409 EMAIL_TAKEN', async () => {
    const res = await t.request('POST', '/api/v1/users', {
      token: t.tokens.admin,
      body: { email: t.users.agent.email.toUpperCase(), name: 'Twin', role: 'agent' },
    });
    expect(res.status).toBe(409);
    expect(res.errorCode).toBe('EMAIL_TAKEN');
  });

  it('refuses bad fields with 400 naming each one', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ email: 'not-an-email', name: 'X', role: 'agent' }, ['email']],
      [{ email: uniqueEmail('x'), name: 'X', role: 'owner' }, ['role']],
      [{ email: uniqueEmail('x'), name: '   ', role: 'agent' }, ['name']],
      [{ email: uniqueEmail('x'), name: 'X', role: 'agent', password: 'short' }, ['password']],
      [{ email: uniqueEmail('x'), name: 'X', role: 'agent', locale: 'de' }, ['locale']],
      [{ email: uniqueEmail('x'), name: 'X', role: 'agent', groupIds: [0] }, ['groupIds.0']],
      [{ name: 'X', role: 'agent' }, ['email']],
    ];
    for (const [body, paths] of cases) {
      expectInvalid(await t.request('POST', '/api/v1/users', { token: t.tokens.admin, body }), paths);
    }
  });

  it('refuses an unknown group: 404 GROUP_NOT_FOUND, and no user is created', async () => {
    const email = uniqueEmail('grouped');
    const res = await t.request('POST', '/api/v1/users', {
      token: t.tokens.admin,
      body: { email, name: 'X', role: 'agent', groupIds: [999_999] },
    });
    expect(res.status).toBe(404);
    expect(res.errorCode).toBe('GROUP_NOT_FOUND');
    const row = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('a group listed twice is one membership, on create and on update', async () => {
    const group = await createGroup();
    const res = await t.request('POST', '/api/v1/users', {
      token: t.tokens.admin,
      body: { email: uniqueEmail('twice'), name: 'Twice', role: 'agent', groupIds: [group.id, group.id] },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const user = res.parse(ZUser);
    expect(user.groupIds).toEqual([group.id]);

    const other = await createGroup();
    const patched = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { groupIds: [other.id, group.id, other.id] },
    });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    expect(patched.parse(ZUser).groupIds).toEqual([group.id, other.id].sort((a, b) => a - b));
  });

  it('lists users by id with a role filter and cursor pages', async () => {
    const all = await t.request('GET', '/api/v1/users?limit=200', { token: t.tokens.supervisor });
    expect(all.status).toBe(200);
    const items = all.parse(ZUserPage).items;
    const ids = items.map((u) => u.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const role of ['admin', 'supervisor', 'agent', 'department_member'] as const) {
      expect(ids).toContain(t.users[role].id);
    }
    const member = items.find((u) => u.id === t.users.department_member.id);
    expect(member?.department).toBe('finance');

    const admins = (await t.request('GET', '/api/v1/users?role=admin', { token: t.tokens.agent })).parse(
      ZUserPage,
    );
    expect(admins.items.map((u) => u.role)).toEqual(admins.items.map(() => 'admin'));
    expect(admins.items.map((u) => u.id)).toContain(t.users.admin.id);

    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const url: string = `/api/v1/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = (await t.request('GET', url, { token: t.tokens.admin })).parse(ZUserPage);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((u) => u.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(ids);

    expectInvalid(await t.request('GET', '/api/v1/users?role=owner', { token: t.tokens.admin }), ['role']);
    expectInvalid(await t.request('GET', '/api/v1/users?limit=0', { token: t.tokens.admin }), ['limit']);
  });

  it('an unknown or malformed id is 404 USER_NOT_FOUND', async () => {
    for (const id of ['999999', 'abc', '0', '-1', '1.5', '99999999999']) {
      const get = await t.request('GET', `/api/v1/users/${id}`, { token: t.tokens.admin });
      expect(get.status, id).toBe(404);
      expect(get.errorCode).toBe('USER_NOT_FOUND');
      const patch = await t.request('PATCH', `/api/v1/users/${id}`, {
        token: t.tokens.admin,
        body: { name: 'X' },
      });
      expect(patch.status, id).toBe(404);
      expect(patch.errorCode).toBe('USER_NOT_FOUND');
    }
  });

  it('patches name, role, department, locale; each write bumps the version', async () => {
    const user = await createUser({ name: 'Pavel' });
    const res = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { name: 'Pavel Orlov', role: 'supervisor', locale: 'en' },
    });
    expect(res.status).toBe(200);
    const patched = res.parse(ZUser);
    expect(patched).toMatchObject({
      id: user.id,
      name: 'Pavel Orlov',
      role: 'supervisor',
      locale: 'en',
      version: 2,
    });
    expect(patched.email).toBe(user.email);

    const toDepartment = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { role: 'department_member', department: 'finance' },
    });
    expect(toDepartment.parse(ZUser)).toMatchObject({
      role: 'department_member',
      department: 'finance',
      version: 3,
    });

    const back = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { role: 'agent', department: null },
    });
    expect(back.parse(ZUser)).toMatchObject({ role: 'agent', department: null, version: 4 });

    const fetched = (await t.request('GET', `/api/v1/users/${user.id}`, { token: t.tokens.admin })).parse(
      ZUser,
    );
    expect(fetched).toMatchObject({
      name: 'Pavel Orlov',
      role: 'agent',
      department: null,
      locale: 'en',
      version: 4,
    });
  });

  it('refuses bad patch fields (400) and a stale If-Match (409 VERSION_CONFLICT)', async () => {
    const user = await createUser();
    expectInvalid(
      await t.request('PATCH', `/api/v1/users/${user.id}`, { token: t.tokens.admin, body: { role: 'root' } }),
      ['role'],
    );
    expectInvalid(
      await t.request('PATCH', `/api/v1/users/${user.id}`, {
        token: t.tokens.admin,
        body: { isActive: 'no' },
      }),
      ['isActive'],
    );

    const stale = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { name: 'Late' },
      headers: { 'if-match': String(user.version + 1) },
    });
    expect(stale.status).toBe(409);
    expect(stale.errorCode).toBe('VERSION_CONFLICT');

    const fresh = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { name: 'On time' },
      headers: { 'if-match': `"${user.version}"` },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.parse(ZUser).name).toBe('On time');
  });

  it('an admin password reset replaces the password and ends the user’s sessions', async () => {
    const user = await createUser({ password: 'first-password' });
    const signedIn = await login(user.email, 'first-password');
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    expect((await t.request('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(200);

    const res = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      token: t.tokens.admin,
      body: { password: 'second-password' },
    });
    expect(res.status).toBe(200);
    expect((await t.request('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(401);
    expect((await login(user.email, 'first-password')).status).toBe(401);
    expect((await login(user.email, 'second-password')).status).toBe(200);
  });

  it('GET is for staff, writes for admins; anonymous is 401', async () => {
    const target = await createUser();
    const staff: TTokenRole[] = ['admin', 'supervisor', 'agent'];
    await expectRoles('GET', '/api/v1/users', staff, 200);
    await expectRoles('GET', `/api/v1/users/${target.id}`, staff, 200);
    await expectRoles('POST', '/api/v1/users', ['admin'], 201, (role) => ({
      email: uniqueEmail(role),
      name: 'By role',
      role: 'agent',
    }));
    await expectRoles('PATCH', `/api/v1/users/${target.id}`, ['admin'], 200, () => ({ role: 'supervisor' }));
    const after = (await t.request('GET', `/api/v1/users/${target.id}`, { token: t.tokens.admin })).parse(
      ZUser,
    );
    // Only the admin's patch landed.
    expect(after).toMatchObject({ role: 'supervisor', version: 2 });
  });
});

describe('groups', () => {
  it('creates, lists, gets and patches a group with members', async () => {
    const a = await createUser();
    const b = await createUser();
    const res = await t.request('POST', '/api/v1/groups', {
      token: t.tokens.supervisor,
      body: { name: ' Refunds ', description: 'Money back', memberIds: [b.id, a.id, b.id] },
    });
    expect(res.status).toBe(201);
    const group = res.parse(ZGroup);
    expect(group).toEqual({
      id: group.id,
      name: 'Refunds',
      description: 'Money back',
      memberIds: [a.id, b.id].sort((x, y) => x - y),
      version: 1,
    });
    const member = (await t.request('GET', `/api/v1/users/${a.id}`, { token: t.tokens.admin })).parse(ZUser);
    expect(member.groupIds).toEqual([group.id]);

    const list = await t.request('GET', '/api/v1/groups', { token: t.tokens.agent });
    expect(list.status).toBe(200);
    const page = list.parse(ZGroupPage);
    expect(page.nextCursor).toBeNull();
    expect(page.items.find((g) => g.id === group.id)).toEqual(group);

    const got = await t.request('GET', `/api/v1/groups/${group.id}`, { token: t.tokens.agent });
    expect(got.parse(ZGroup)).toEqual(group);

    const patched = await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.tokens.admin,
      body: { name: 'Refunds and claims', memberIds: [a.id] },
    });
    expect(patched.status).toBe(200);
    expect(patched.parse(ZGroup)).toEqual({
      id: group.id,
      name: 'Refunds and claims',
      description: 'Money back',
      memberIds: [a.id],
      version: 2,
    });

    const emptied = await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.tokens.admin,
      body: { memberIds: [] },
    });
    expect(emptied.parse(ZGroup)).toMatchObject({ name: 'Refunds and claims', memberIds: [], version: 3 });
  });

  it('refuses a duplicate name in any case: 409 GROUP_NAME_TAKEN on create and on rename', async () => {
    const first = await createGroup({ name: 'Partners desk' });
    const dup = await t.request('POST', '/api/v1/groups', {
      token: t.tokens.admin,
      body: { name: 'PARTNERS DESK' },
    });
    expect(dup.status).toBe(409);
    expect(dup.errorCode).toBe('GROUP_NAME_TAKEN');

    const second = await createGroup({ name: 'Sales desk' });
    const rename = await t.request('PATCH', `/api/v1/groups/${second.id}`, {
      token: t.tokens.admin,
      body: { name: 'partners desk' },
    });
    expect(rename.status).toBe(409);
    expect(rename.errorCode).toBe('GROUP_NAME_TAKEN');
    const unchanged = (
      await t.request('GET', `/api/v1/groups/${second.id}`, { token: t.tokens.admin })
    ).parse(ZGroup);
    expect(unchanged).toMatchObject({ name: 'Sales desk', version: 1 });

    // Renaming a group to its own name in another case is no conflict.
    const recase = await t.request('PATCH', `/api/v1/groups/${first.id}`, {
      token: t.tokens.admin,
      body: { name: 'Partners Desk' },
    });
    expect(recase.status).toBe(200);
  });

  it('refuses unknown members (404 USER_NOT_FOUND), bad fields (400), unknown ids (404) and stale versions (409)', async () => {
    const group = await createGroup();
    const unknownMember = await t.request('POST', '/api/v1/groups', {
      token: t.tokens.admin,
      body: { name: 'Ghosts', memberIds: [999_999] },
    });
    expect(unknownMember.status).toBe(404);
    expect(unknownMember.errorCode).toBe('USER_NOT_FOUND');
    const list = (await t.request('GET', '/api/v1/groups', { token: t.tokens.admin })).parse(ZGroupPage);
    expect(list.items.map((g) => g.name)).not.toContain('Ghosts');

    expectInvalid(await t.request('POST', '/api/v1/groups', { token: t.tokens.admin, body: { name: ' ' } }), [
      'name',
    ]);
    expectInvalid(await t.request('POST', '/api/v1/groups', { token: t.tokens.admin, body: {} }), ['name']);
    expectInvalid(
      await t.request('PATCH', `/api/v1/groups/${group.id}`, {
        token: t.tokens.admin,
        body: { memberIds: ['x'] },
      }),
      ['memberIds.0'],
    );

    for (const id of ['999999', 'abc', '0']) {
      const get = await t.request('GET', `/api/v1/groups/${id}`, { token: t.tokens.admin });
      expect(get.status, id).toBe(404);
      expect(get.errorCode).toBe('GROUP_NOT_FOUND');
      const patch = await t.request('PATCH', `/api/v1/groups/${id}`, {
        token: t.tokens.admin,
        body: { name: 'X' },
      });
      expect(patch.status, id).toBe(404);
      expect(patch.errorCode).toBe('GROUP_NOT_FOUND');
    }

    const stale = await t.request('PATCH', `/api/v1/groups/${group.id}`, {
      token: t.tokens.admin,
      body: { description: 'Late' },
      headers: { 'if-match': '7' },
    });
    expect(stale.status).toBe(409);
    expect(stale.errorCode).toBe('VERSION_CONFLICT');
  });

  it('GET is for staff, writes for admins and supervisors; anonymous is 401', async () => {
    const group = await createGroup();
    const staff: TTokenRole[] = ['admin', 'supervisor', 'agent'];
    await expectRoles('GET', '/api/v1/groups', staff, 200);
    await expectRoles('GET', `/api/v1/groups/${group.id}`, staff, 200);
    await expectRoles('POST', '/api/v1/groups', ['admin', 'supervisor'], 201, (role) => ({
      name: `Made by ${role}`,
    }));
    await expectRoles('PATCH', `/api/v1/groups/${group.id}`, ['admin', 'supervisor'], 200, (role) => ({
      description: `Touched by ${role}`,
    }));
    const after = (await t.request('GET', `/api/v1/groups/${group.id}`, { token: t.tokens.admin })).parse(
      ZGroup,
    );
    expect(after).toMatchObject({ description: 'Touched by supervisor', version: 3 });
  });
});

describe('settings', () => {
  // Runs first in this block: the defaults of a fresh workspace.
  it('GET answers the defaults: Europe/Moscow, ru, KPI targets 4.8 / 15% / 97%', async () => {
    const res = await t.request('GET', '/api/v1/settings', { token: t.tokens.agent });
    expect(res.status).toBe(200);
    expect(res.parse(ZWorkspaceSettings)).toEqual({
      name: 'tourdesk',
      timeZone: 'Europe/Moscow',
      locale: 'ru',
      targets: { csat: 4.8, responseRate: 0.15, resolutionRate: 0.97 },
      autoCloseDays: 4,
      version: 1,
    });
  });

  it('PATCH changes name, time zone, locale and targets; a partial targets object keeps the rest', async () => {
    const before = (await t.request('GET', '/api/v1/settings', { token: t.tokens.admin })).parse(
      ZWorkspaceSettings,
    );
    const res = await t.request('PATCH', '/api/v1/settings', {
      token: t.tokens.admin,
      body: { name: ' Tours Care ', timeZone: 'Asia/Yekaterinburg', locale: 'en', targets: { csat: 4.9 } },
    });
    expect(res.status).toBe(200);
    expect(res.parse(ZWorkspaceSettings)).toEqual({
      name: 'Tours Care',
      timeZone: 'Asia/Yekaterinburg',
      locale: 'en',
      targets: { csat: 4.9, responseRate: 0.15, resolutionRate: 0.97 },
      autoCloseDays: 4,
      version: before.version + 1,
    });

    const rates = await t.request('PATCH', '/api/v1/settings', {
      token: t.tokens.admin,
      body: { targets: { responseRate: 0.2, resolutionRate: 0.95 }, autoCloseDays: 7, locale: 'ru' },
    });
    expect(rates.parse(ZWorkspaceSettings)).toMatchObject({
      name: 'Tours Care',
      timeZone: 'Asia/Yekaterinburg',
      locale: 'ru',
      targets: { csat: 4.9, responseRate: 0.2, resolutionRate: 0.95 },
      autoCloseDays: 7,
      version: before.version + 2,
    });
    const read = (await t.request('GET', '/api/v1/settings', { token: t.tokens.department_member })).parse(
      ZWorkspaceSettings,
    );
    expect(read.targets).toEqual({ csat: 4.9, responseRate: 0.2, resolutionRate: 0.95 });
  });

  it('refuses an unknown time zone, locale or out-of-range target (400, field named), changing nothing', async () => {
    const before = (await t.request('GET', '/api/v1/settings', { token: t.tokens.admin })).parse(
      ZWorkspaceSettings,
    );
    const cases: [Record<string, unknown>, string[]][] = [
      [{ timeZone: 'Mars/Olympus_Mons' }, ['timeZone']],
      [{ timeZone: '' }, ['timeZone']],
      [{ locale: 'de' }, ['locale']],
      [{ name: '' }, ['name']],
      [{ targets: { csat: 6 } }, ['targets.csat']],
      [{ targets: { csat: 0.5 } }, ['targets.csat']],
      // Rates are fractions: 15 is not 15 %.
      [{ targets: { responseRate: 15 } }, ['targets.responseRate']],
      [{ targets: { resolutionRate: -0.1 } }, ['targets.resolutionRate']],
      [{ autoCloseDays: 0 }, ['autoCloseDays']],
    ];
    for (const [body, paths] of cases) {
      expectInvalid(await t.request('PATCH', '/api/v1/settings', { token: t.tokens.admin, body }), paths);
    }
    const after = (await t.request('GET', '/api/v1/settings', { token: t.tokens.admin })).parse(
      ZWorkspaceSettings,
    );
    expect(after).toEqual(before);
  });

  it('a stale If-Match is 409 VERSION_CONFLICT; the current one passes', async () => {
    const current = (await t.request('GET', '/api/v1/settings', { token: t.tokens.admin })).parse(
      ZWorkspaceSettings,
    );
    const stale = await t.request('PATCH', '/api/v1/settings', {
      token: t.tokens.admin,
      body: { name: 'Stale' },
      headers: { 'if-match': String(current.version - 1) },
    });
    expect(stale.status).toBe(409);
    expect(stale.errorCode).toBe('VERSION_CONFLICT');
    const ok = await t.request('PATCH', '/api/v1/settings', {
      token: t.tokens.admin,
      body: { name: 'Fresh' },
      headers: { 'if-match': String(current.version) },
    });
    expect(ok.status).toBe(200);
    expect(ok.parse(ZWorkspaceSettings)).toMatchObject({ name: 'Fresh', version: current.version + 1 });
  });

  it('GET for every person role, PATCH for admins only; anonymous is 401', async () => {
    await expectRoles('GET', '/api/v1/settings', ['admin', 'supervisor', 'agent', 'department_member'], 200);
    await expectRoles('PATCH', '/api/v1/settings', ['admin'], 200, (role) => ({
      name: `Renamed by ${role}`,
    }));
    const after = (await t.request('GET', '/api/v1/settings', { token: t.tokens.admin })).parse(
      ZWorkspaceSettings,
    );
    expect(after.name).toBe('Renamed by admin');
  });
});
