import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TTokenRole } from '../../src/shared/enums.ts';
import { ZGroup } from '../../src/shared/schemas/auth.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { ZMailbox, ZMailboxTestResult } from '../../src/shared/schemas/mailboxes.ts';
import { createTestApp, type TTestApp } from '../app.ts';
import { closedPort, startSmtpSink, type TSmtpSink } from '../smtp-sink.ts';

const ROLES: TTokenRole[] = ['admin', 'supervisor', 'agent', 'department_member', 'integration'];
const SMTP_SECRET = 'smtp-pa$$-Секрет-1';
const IMAP_SECRET = 'imap-pa$$-Секрет-2';

const ZValidationError = z.object({
  error: z.object({
    code: z.literal('VALIDATION_FAILED'),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

let t: TTestApp;
let sink: TSmtpSink;
beforeAll(async () => {
  t = await createTestApp();
  sink = await startSmtpSink({ auth: { user: 'relay', password: SMTP_SECRET } });
});
afterAll(async () => {
  await sink?.close();
  await t?.close();
});

let seq = 0;
const body = (over: Record<string, unknown> = {}) => ({
  address: `support${++seq}@tours.example`,
  name: 'Поддержка',
  inbound: { type: 'smtp' },
  outbound: { host: '127.0.0.1', port: sink.port, secure: false, user: 'relay', password: SMTP_SECRET },
  signature: 'Команда поддержки',
  ...over,
});

const admin = (method: string, url: string, b?: unknown, headers?: Record<string, string>) =>
  t.request(method, url, { token: t.tokens.admin, body: b, headers });

const create = async (over: Record<string, unknown> = {}) => {
  const res = await admin('POST', '/api/v1/mailboxes', body(over));
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZMailbox);
};

const stored = (id: number) =>
  t.database.db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const expectInvalid = (res: Awaited<ReturnType<TTestApp['request']>>, paths: string[]) => {
  expect(res.status, JSON.stringify(res.json)).toBe(400);
  expect(ZValidationError.parse(res.json).error.details.map((d) => d.path)).toEqual(paths);
};

describe('mailboxes API', () => {
  it('is for administrators only: 401 anonymous, 403 for every other role, on every route', async () => {
    const mailbox = await create();
    const routes: [string, string, unknown][] = [
      ['GET', '/api/v1/mailboxes', undefined],
      ['POST', '/api/v1/mailboxes', body()],
      ['GET', `/api/v1/mailboxes/${mailbox.id}`, undefined],
      ['PATCH', `/api/v1/mailboxes/${mailbox.id}`, { name: 'x' }],
      ['DELETE', `/api/v1/mailboxes/${mailbox.id}`, undefined],
      ['POST', `/api/v1/mailboxes/${mailbox.id}/test`, {}],
    ];
    for (const [method, url, b] of routes) {
      const anonymous = await t.request(method, url, { body: b });
      expect(anonymous.status, `${method} ${url}`).toBe(401);
      for (const role of ROLES.filter((r) => r !== 'admin')) {
        const res = await t.request(method, url, { token: t.tokens[role], body: b });
        expect(res.status, `${method} ${url} ${role}`).toBe(403);
        expect(res.errorCode).toBe('FORBIDDEN');
      }
    }
    expect((await stored(mailbox.id)).name).toBe('Поддержка');
  });

  it('creates, lists and gets a mailbox in the documented shape, passwords never returned', async () => {
    const group = (await admin('POST', '/api/v1/groups', { name: 'Почта' })).parse(ZGroup);
    const res = await admin(
      'POST',
      '/api/v1/mailboxes',
      body({
        address: 'Help@Tours.Example',
        groupId: group.id,
        inbound: {
          type: 'imap',
          host: 'imap.tours.example',
          port: 993,
          secure: true,
          user: 'help',
          password: IMAP_SECRET,
        },
        autoAcknowledge: true,
      }),
    );
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    const mailbox = res.parse(ZMailbox);
    expect(mailbox).toMatchObject({
      address: 'help@tours.example',
      name: 'Поддержка',
      groupId: group.id,
      inbound: {
        type: 'imap',
        host: 'imap.tours.example',
        port: 993,
        secure: true,
        user: 'help',
        folder: 'INBOX',
        moveTo: null,
        hasPassword: true,
      },
      outbound: { host: '127.0.0.1', port: sink.port, secure: false, user: 'relay', hasPassword: true },
      signature: 'Команда поддержки',
      autoAcknowledge: true,
      isActive: true,
      version: 1,
    });

    const list = await admin('GET', '/api/v1/mailboxes');
    const got = await admin('GET', `/api/v1/mailboxes/${mailbox.id}`);
    expect(got.parse(ZMailbox)).toEqual(mailbox);
    expect(list.parse(ZPage(ZMailbox)).items).toContainEqual(mailbox);
    for (const text of [JSON.stringify(res.json), JSON.stringify(list.json), JSON.stringify(got.json)]) {
      expect(text).not.toContain(SMTP_SECRET);
      expect(text).not.toContain(IMAP_SECRET);
      expect(text).not.toMatch(/"password"/i);
    }
  });

  it('stores passwords encrypted with the master key, never in clear', async () => {
    const mailbox = await create({
      inbound: {
        type: 'imap',
        host: 'imap.example',
        port: 143,
        secure: false,
        user: 'u',
        password: IMAP_SECRET,
      },
    });
    const row = await stored(mailbox.id);
    expect(row.smtp_password_enc).toMatch(/^v1\./);
    expect(row.imap_password_enc).toMatch(/^v1\./);
    const everything = JSON.stringify(row);
    expect(everything).not.toContain(SMTP_SECRET);
    expect(everything).not.toContain(IMAP_SECRET);
    expect(t.secrets.decrypt(row.smtp_password_enc!)).toBe(SMTP_SECRET);
    expect(t.services.mailboxes.imapSettingsOf(row)).toMatchObject({ user: 'u', password: IMAP_SECRET });
    expect(t.services.mailboxes.smtpSettingsOf(row)).toMatchObject({ user: 'relay', password: SMTP_SECRET });
  });

  it('keeps a stored password when a PATCH leaves it out, replaces it when given, drops it with null or the user', async () => {
    const mailbox = await create({
      inbound: {
        type: 'imap',
        host: 'imap.example',
        port: 993,
        secure: true,
        user: 'u',
        password: IMAP_SECRET,
      },
    });
    const before = await stored(mailbox.id);

    const renamed = await admin(
      'PATCH',
      `/api/v1/mailboxes/${mailbox.id}`,
      {
        name: 'Бронирования',
        outbound: { host: 'smtp.example', port: 587, secure: false, user: 'relay' },
        inbound: {
          type: 'imap',
          host: 'imap2.example',
          port: 993,
          secure: true,
          user: 'u2',
          folder: 'Support',
          moveTo: 'Support/Imported',
        },
      },
      { 'if-match': '"1"' },
    );
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    expect(renamed.parse(ZMailbox)).toMatchObject({
      name: 'Бронирования',
      version: 2,
      inbound: {
        host: 'imap2.example',
        user: 'u2',
        folder: 'Support',
        moveTo: 'Support/Imported',
        hasPassword: true,
      },
      outbound: { host: 'smtp.example', port: 587, hasPassword: true },
    });
    const kept = await stored(mailbox.id);
    expect(kept.smtp_password_enc).toBe(before.smtp_password_enc);
    expect(kept.imap_password_enc).toBe(before.imap_password_enc);

    await admin('PATCH', `/api/v1/mailboxes/${mailbox.id}`, {
      outbound: { host: 'smtp.example', port: 587, secure: false, user: 'relay', password: 'another-one' },
    });
    expect(t.secrets.decrypt((await stored(mailbox.id)).smtp_password_enc!)).toBe('another-one');

    const cleared = await admin('PATCH', `/api/v1/mailboxes/${mailbox.id}`, {
      outbound: { host: 'smtp.example', port: 587, secure: false, user: 'relay', password: null },
    });
    expect(cleared.parse(ZMailbox).outbound).toMatchObject({ user: 'relay', hasPassword: false });

    await admin('PATCH', `/api/v1/mailboxes/${mailbox.id}`, {
      outbound: { host: 'smtp.example', port: 587, secure: false, user: 'relay', password: 'third' },
    });
    const noUser = await admin('PATCH', `/api/v1/mailboxes/${mailbox.id}`, {
      outbound: { host: 'smtp.example', port: 25, secure: false },
    });
    expect(noUser.parse(ZMailbox).outbound).toEqual({
      host: 'smtp.example',
      port: 25,
      secure: false,
      user: null,
      hasPassword: false,
    });
    expect((await stored(mailbox.id)).smtp_password_enc).toBeNull();

    const toSmtp = await admin('PATCH', `/api/v1/mailboxes/${mailbox.id}`, { inbound: { type: 'smtp' } });
    expect(toSmtp.parse(ZMailbox).inbound).toEqual({ type: 'smtp' });
    expect((await stored(mailbox.id)).imap_password_enc).toBeNull();
  });

  it('answers 400 with the field paths of bad input', async () => {
    const post = (b: unknown) => admin('POST', '/api/v1/mailboxes', b);
    expectInvalid(await post(body({ address: 'not an address' })), ['address']);
    expectInvalid(await post(body({ name: '  ' })), ['name']);
    expectInvalid(await post(body({ outbound: { host: 'bad host!', port: 70000, secure: 'yes' } })), [
      'outbound.host',
      'outbound.port',
      'outbound.secure',
    ]);
    expectInvalid(await post(body({ inbound: { type: 'pop3' } })), ['inbound.type']);
    expectInvalid(
      await post(
        body({ inbound: { type: 'imap', host: 'imap.example', port: 993, secure: true, user: 'u' } }),
      ),
      ['inbound.password'],
    );
    expectInvalid(
      await post(body({ outbound: { host: 'smtp.example', port: 25, secure: false, password: 'x' } })),
      ['outbound.user'],
    );
    expectInvalid(await post({ ...body(), groupId: 0 }), ['groupId']);
    const mailbox = await create();
    expectInvalid(await admin('PATCH', `/api/v1/mailboxes/${mailbox.id}`, { signature: 5 }), ['signature']);
    expectInvalid(
      await admin('PATCH', `/api/v1/mailboxes/${mailbox.id}`, {
        inbound: { type: 'imap', host: 'imap.example', port: 993, secure: true, user: 'u' },
      }),
      ['inbound.password'],
    );
    const malformed = await t.request('POST', '/api/v1/mailboxes', {
      token: t.tokens.admin,
      rawBody: '{"address":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
  });

  it('answers 404 for an unknown mailbox or group, 409 for a taken address or a stale version', async () => {
    for (const id of ['999999', '0', 'abc', '99999999999']) {
      const res = await admin('GET', `/api/v1/mailboxes/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.errorCode).toBe('MAILBOX_NOT_FOUND');
    }
    expect((await admin('PATCH', '/api/v1/mailboxes/999999', { name: 'x' })).errorCode).toBe(
      'MAILBOX_NOT_FOUND',
    );
    expect((await admin('DELETE', '/api/v1/mailboxes/999999')).status).toBe(404);
    expect((await admin('POST', '/api/v1/mailboxes/999999/test', {})).status).toBe(404);

    const unknownGroup = await admin('POST', '/api/v1/mailboxes', body({ groupId: 999999 }));
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.errorCode).toBe('GROUP_NOT_FOUND');

    const first = await create({ address: 'sales@tours.example' });
    const taken = await admin('POST', '/api/v1/mailboxes', body({ address: 'SALES@tours.example' }));
    expect(taken.status).toBe(409);
    expect(taken.errorCode).toBe('MAILBOX_ADDRESS_TAKEN');
    const other = await create();
    const renamedOnto = await admin('PATCH', `/api/v1/mailboxes/${other.id}`, {
      address: 'Sales@Tours.Example',
    });
    expect(renamedOnto.status).toBe(409);
    expect(renamedOnto.errorCode).toBe('MAILBOX_ADDRESS_TAKEN');

    await admin('PATCH', `/api/v1/mailboxes/${first.id}`, { name: 'Продажи' }, { 'if-match': '"1"' });
    const stale = await admin(
      'PATCH',
      `/api/v1/mailboxes/${first.id}`,
      { name: 'Старое' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(409);
    expect(stale.errorCode).toBe('VERSION_CONFLICT');
    expect((await stored(first.id)).name).toBe('Продажи');
  });

  it('deactivates on DELETE and turns back on with PATCH isActive', async () => {
    const mailbox = await create();
    const removed = await admin('DELETE', `/api/v1/mailboxes/${mailbox.id}`);
    expect(removed.status).toBe(204);
    expect((await admin('GET', `/api/v1/mailboxes/${mailbox.id}`)).parse(ZMailbox).isActive).toBe(false);
    expect(await t.services.mailboxes.findActiveByAddress(t.database.db, mailbox.address)).toBeUndefined();
    expect((await admin('DELETE', `/api/v1/mailboxes/${mailbox.id}`)).status).toBe(204);
    const back = await admin('PATCH', `/api/v1/mailboxes/${mailbox.id}`, { isActive: true });
    expect(back.parse(ZMailbox).isActive).toBe(true);
    expect((await t.services.mailboxes.findActiveByAddress(t.database.db, mailbox.address))?.id).toBe(
      mailbox.id,
    );
  });

  it('tests the outbound server over a real connection and reports its answer, never a 500', async () => {
    const mailbox = await create();
    const test = (b?: unknown) => admin('POST', `/api/v1/mailboxes/${mailbox.id}/test`, b);

    expect((await test()).parse(ZMailboxTestResult)).toEqual({ ok: true });
    expect((await test({})).parse(ZMailboxTestResult)).toEqual({ ok: true });

    // Settings typed in the form: a left-out password falls back to the stored one.
    const typed = await test({
      outbound: { host: '127.0.0.1', port: sink.port, secure: false, user: 'relay' },
    });
    expect(typed.parse(ZMailboxTestResult)).toEqual({ ok: true });

    const wrong = await test({
      outbound: { host: '127.0.0.1', port: sink.port, secure: false, user: 'relay', password: 'wrong' },
    });
    expect(wrong.status).toBe(200);
    expect(wrong.parse(ZMailboxTestResult)).toMatchObject({
      ok: false,
      error: expect.stringContaining('535'),
    });

    const dead = await test({ outbound: { host: '127.0.0.1', port: await closedPort(), secure: false } });
    expect(dead.status).toBe(200);
    expect(dead.parse(ZMailboxTestResult)).toMatchObject({
      ok: false,
      error: expect.stringContaining('ECONNREFUSED'),
    });
    expect((await stored(mailbox.id)).outbound.port).toBe(sink.port);

    // A password sealed with another key (TOURDESK_SECRET_KEY changed) is reported, not thrown.
    await t.database.db
      .updateTable('mailboxes')
      .set({ smtp_password_enc: 'v1.AAAA.BBBB.CCCC' })
      .where('id', '=', mailbox.id)
      .execute();
    const unreadable = await test();
    expect(unreadable.status).toBe(200);
    expect(unreadable.parse(ZMailboxTestResult)).toMatchObject({
      ok: false,
      error: expect.stringContaining('cannot be decrypted'),
    });
  });
});
