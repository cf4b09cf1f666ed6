import PostalMime, { type Email } from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseReplyAddress } from '../src/server/channels/email/reply-token.ts';
import { ZPage } from '../src/shared/schemas/common.ts';
import { ZMailbox } from '../src/shared/schemas/mailboxes.ts';
import { ZMessage, ZTicketDetail, ZTicketEvent } from '../src/shared/schemas/tickets.ts';
import { createTestApp, type TTestApp } from './app.ts';
import { startSmtpSink, type TSmtpSink } from './smtp-sink.ts';

const SMTP_PASSWORD = 'relay-password-1';

// Jobs run through the queue's real claim/run/finish path; a zero backoff makes retries due at once.
let now = new Date('2026-11-25T10:00:00.000Z');
let t: TTestApp;
let sink: TSmtpSink;
beforeAll(async () => {
  t = await createTestApp({ clock: () => now, queue: { backoff: () => 0 } });
  sink = await startSmtpSink({ auth: { user: 'relay', password: SMTP_PASSWORD } });
});
afterAll(async () => {
  await sink?.close();
  await t?.close();
});
beforeEach(() => {
  sink.messages.length = 0;
  sink.refuseAll(null);
  now = new Date(now.getTime() + 60_000);
});

const db = () => t.database.db;

/** Runs due jobs until none is left (each retry of a refused email is due at once). */
const drainJobs = async (limit = 50) => {
  for (let round = 0; round < limit; round++) if ((await t.queue.runDue()) === 0) return;
  throw new Error('jobs kept coming');
};

let seq = 0;
const createMailbox = async (over: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/api/v1/mailboxes', {
    token: t.tokens.admin,
    body: {
      address: `support${++seq}@tours.example`,
      name: 'Поддержка Тур',
      inbound: { type: 'smtp' },
      outbound: { host: '127.0.0.1', port: sink.port, secure: false, user: 'relay', password: SMTP_PASSWORD },
      signature: 'С уважением,\nкоманда поддержки',
      ...over,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZMailbox);
};

const createTicket = async (over: Record<string, unknown> = {}) => {
  const email = `traveler${++seq}@customer.example`;
  const res = await t.request('POST', '/api/v1/tickets', {
    token: t.tokens.integration,
    body: {
      subject: 'Перенос тура в Карелию',
      channel: 'email',
      requester: { identity: { channel: 'email', value: email }, name: 'Ирина Петрова' },
      message: { html: '<p>Можно перенести <b>тур</b> на неделю?</p>', author: 'contact' },
      ...over,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { ticket: res.parse(ZTicketDetail), email };
};

/** The customer's email as inbound stored it (the inbound engineer's ingest writes the same row). */
const storeInbound = async (input: {
  mailboxId: number;
  ticketId: number;
  from: string;
  messageId: string;
  references?: string[];
  isAuto?: boolean;
}) =>
  (
    await db()
      .insertInto('email_messages')
      .values({
        mailbox_id: input.mailboxId,
        direction: 'inbound',
        message_id: input.messageId,
        references: input.references ?? [],
        from_address: input.from,
        to_addresses: [],
        subject: 'Перенос тура',
        is_auto: input.isAuto ?? false,
        ticket_id: input.ticketId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

const reply = async (ticketId: number, body: Record<string, unknown>, token = t.tokens.agent) => {
  const res = await t.request('POST', `/api/v1/tickets/${ticketId}/messages`, { token, body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZMessage);
};

const messagesOf = async (ticketId: number) =>
  (await t.request('GET', `/api/v1/tickets/${ticketId}/messages`, { token: t.tokens.agent })).parse(
    ZPage(ZMessage),
  ).items;

const outboundRows = (ticketId: number) =>
  db()
    .selectFrom('email_messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('direction', '=', 'outbound')
    .orderBy('id')
    .execute();

const parse = (raw: Buffer): Promise<Email> => PostalMime.parse(raw);
const header = (email: Email, key: string) => email.headers.find((h) => h.key === key.toLowerCase())?.value;

describe('outbound email: an agent reply leaves through the ticket’s mailbox', () => {
  it('queues in the reply’s transaction, then sends with threading headers, bodies, signature, quote and attachments', async () => {
    const mailbox = await createMailbox();
    const { ticket, email } = await createTicket();
    await storeInbound({
      mailboxId: mailbox.id,
      ticketId: ticket.id,
      from: email,
      messageId: '<first@customer.example>',
      references: ['<older@customer.example>'],
    });

    const pdf = Buffer.from('%PDF-1.4 ваучер');
    const message = await reply(ticket.id, {
      kind: 'reply',
      text: 'Да, перенесли на 2 декабря.',
      attachments: [
        { filename: 'ваучер.pdf', contentType: 'application/pdf', contentBase64: pdf.toString('base64') },
      ],
    });
    expect(message.delivery).toEqual({ status: 'queued', detail: null, attempts: 0 });

    const [row] = await outboundRows(ticket.id);
    expect(row).toMatchObject({
      mailbox_id: mailbox.id,
      direction: 'outbound',
      message_row_id: message.id,
      delivery_status: 'queued',
      attempts: 0,
      in_reply_to: '<first@customer.example>',
      references: ['<older@customer.example>', '<first@customer.example>'],
      to_addresses: [email],
      subject: `Re: Перенос тура в Карелию [#${ticket.id}]`,
      is_auto: false,
    });
    expect(row.message_id).toMatch(/^<[0-9a-f-]{36}@tours\.example>$/);
    const job = await db()
      .selectFrom('jobs')
      .selectAll()
      .where('name', '=', 'email.send')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(job.payload).toEqual({ emailMessageId: row.id });
    expect(sink.messages).toHaveLength(0);

    await drainJobs();
    expect(sink.messages).toHaveLength(1);
    const sent = sink.messages[0];
    expect(sent.user).toBe('relay');
    expect(sent.from).toBe(mailbox.address);
    expect(sent.to).toEqual([email]);

    const parsed = await parse(sent.raw);
    expect(parsed.from).toEqual({ name: 'Поддержка Тур', address: mailbox.address });
    expect(parsed.to).toEqual([{ name: '', address: email }]);
    expect(parsed.subject).toBe(`Re: Перенос тура в Карелию [#${ticket.id}]`);
    expect(parsed.messageId).toBe(row.message_id);
    expect(parsed.inReplyTo).toBe('<first@customer.example>');
    expect(parsed.references).toBe('<older@customer.example> <first@customer.example>');
    const replyTo = parsed.replyTo?.[0]?.address ?? '';
    expect(replyTo).toMatch(/^reply\+[0-9a-z]+-[0-9a-f]{10}@tours\.example$/);
    expect(parseReplyAddress(t.secrets, replyTo)).toBe(ticket.id);
    expect(header(parsed, 'auto-submitted')).toBeUndefined();

    expect(parsed.text).toContain('Да, перенесли на 2 декабря.');
    expect(parsed.text).toContain('-- \nС уважением,\nкоманда поддержки');
    expect(parsed.text).toMatch(/Ирина Петрова написал\(а\):\n> Можно перенести тур на неделю\?/);
    expect(parsed.text!.indexOf('перенесли')).toBeLessThan(parsed.text!.indexOf('С уважением'));
    expect(parsed.text!.indexOf('С уважением')).toBeLessThan(parsed.text!.indexOf('> Можно'));
    expect(parsed.html).toContain('Да, перенесли на 2 декабря.');
    expect(parsed.html).toContain('С уважением,<br>команда поддержки');
    expect(parsed.html).toMatch(
      /<blockquote[^>]*><p>Можно перенести <b>тур<\/b> на неделю\?<\/p><\/blockquote>/,
    );

    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]).toMatchObject({ filename: 'ваучер.pdf', mimeType: 'application/pdf' });
    expect(Buffer.from(parsed.attachments[0].content as ArrayBuffer).equals(pdf)).toBe(true);

    const [after] = await outboundRows(ticket.id);
    expect(after).toMatchObject({ delivery_status: 'sent', attempts: 1 });
    expect(after.delivery_detail).toMatch(/^250 /);
    const shown = (await messagesOf(ticket.id)).find((m) => m.id === message.id);
    expect(shown?.delivery).toEqual({ status: 'sent', detail: after.delivery_detail, attempts: 1 });

    const events = (
      await t.request('GET', `/api/v1/tickets/${ticket.id}/events`, { token: t.tokens.agent })
    ).parse(ZPage(ZTicketEvent)).items;
    expect(events.filter((e) => e.type === 'email_delivery').map((e) => e.data)).toEqual([
      {
        messageId: message.id,
        emailMessageId: row.id,
        status: 'sent',
        attempts: 1,
        detail: after.delivery_detail,
      },
    ]);

    // The job ran again (a crash before it was marked done): the email is not sent twice.
    await t.services.email.deliver(row.id, { attempt: 2, maxAttempts: 9 });
    expect(sink.messages).toHaveLength(1);
  });

  it('queues nothing when the reply’s transaction rolls back: the email row and its job commit with it', async () => {
    await createMailbox();
    const { ticket } = await createTicket();
    const [message] = await messagesOf(ticket.id);
    const jobsBefore = await db().selectFrom('jobs').select('id').where('name', '=', 'email.send').execute();
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          const queued = await t.services.email.onReply(trx, {
            ticket: {
              id: ticket.id,
              subject: ticket.subject,
              channel: 'email',
              groupId: null,
              requesterId: ticket.requesterId,
            },
            messageId: message.id,
          });
          expect(queued).toEqual(expect.any(Number));
          throw new Error('the reply failed after the email was queued');
        }),
    ).rejects.toThrow('the reply failed');
    expect(await outboundRows(ticket.id)).toEqual([]);
    expect(await db().selectFrom('jobs').select('id').where('name', '=', 'email.send').execute()).toEqual(
      jobsBefore,
    );
  });

  it('continues the thread: the next reply answers the customer’s latest email and keeps References', async () => {
    const mailbox = await createMailbox();
    const { ticket, email } = await createTicket();
    await storeInbound({
      mailboxId: mailbox.id,
      ticketId: ticket.id,
      from: email,
      messageId: '<a@customer.example>',
    });
    await reply(ticket.id, { text: 'Первый ответ' });
    const [first] = await outboundRows(ticket.id);
    expect(first.references).toEqual(['<a@customer.example>']);
    now = new Date(now.getTime() + 1000);
    await storeInbound({
      mailboxId: mailbox.id,
      ticketId: ticket.id,
      from: email.toUpperCase(),
      messageId: '<b@customer.example>',
      references: ['<a@customer.example>', first.message_id],
    });
    await reply(ticket.id, { text: 'Второй ответ' });
    await drainJobs();
    const [, secondRow] = await outboundRows(ticket.id);
    const parsed = await Promise.all(sink.messages.map((m) => parse(m.raw)));
    const second = parsed.find((p) => p.messageId === secondRow.message_id)!;
    expect(second.inReplyTo).toBe('<b@customer.example>');
    expect(second.references).toBe(`<a@customer.example> ${first.message_id} <b@customer.example>`);
    // The address the customer last wrote from.
    expect(second.to?.[0]?.address).toBe(
      email.toUpperCase().replace('@CUSTOMER.EXAMPLE', '@customer.example'),
    );
  });

  it('retries after the server refuses once (451) and records each attempt', async () => {
    await createMailbox();
    const { ticket } = await createTicket();
    sink.refuseNext({ code: 451, text: '4.7.1 Greylisted, try again later' });
    const message = await reply(ticket.id, { text: 'Ответ с повтором' });

    expect(await t.queue.runDue()).toBe(1);
    const [refused] = await outboundRows(ticket.id);
    expect(refused).toMatchObject({ delivery_status: 'queued', attempts: 1 });
    expect(refused.delivery_detail).toBe('451 4.7.1 Greylisted, try again later');
    const job = await db()
      .selectFrom('jobs')
      .selectAll()
      .where('name', '=', 'email.send')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'queued', attempts: 1 });
    expect(job.last_error).toContain('451 4.7.1 Greylisted');
    expect((await messagesOf(ticket.id)).find((m) => m.id === message.id)?.delivery).toEqual({
      status: 'queued',
      detail: '451 4.7.1 Greylisted, try again later',
      attempts: 1,
    });
    expect(sink.messages).toHaveLength(0);

    await drainJobs();
    expect(sink.messages).toHaveLength(1);
    const [sent] = await outboundRows(ticket.id);
    expect(sent).toMatchObject({ delivery_status: 'sent', attempts: 2 });
    const statuses = (
      await t.request('GET', `/api/v1/tickets/${ticket.id}/events`, { token: t.tokens.agent })
    )
      .parse(ZPage(ZTicketEvent))
      .items.filter((e) => e.type === 'email_delivery')
      .map((e) => [e.data.status, e.data.attempts]);
    expect(statuses).toEqual([
      ['queued', 1],
      ['sent', 2],
    ]);
  });

  it('fails after the last attempt with the server’s answer; a 5xx refusal fails at once', async () => {
    await createMailbox();
    const { ticket } = await createTicket();
    sink.refuseAll({ code: 452, text: '4.3.1 Insufficient system storage' });
    await reply(ticket.id, { text: 'Не дойдёт' });
    await drainJobs();
    const [failed] = await outboundRows(ticket.id);
    expect(failed).toMatchObject({ delivery_status: 'failed', attempts: 9 });
    expect(failed.delivery_detail).toBe('452 4.3.1 Insufficient system storage');
    const job = await db()
      .selectFrom('jobs')
      .selectAll()
      .where('name', '=', 'email.send')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', attempts: 9, max_attempts: 9 });

    sink.refuseAll({ code: 550, text: '5.1.1 Mailbox does not exist' });
    const message = await reply(ticket.id, { text: 'Адрес не существует' });
    await drainJobs();
    const [, rejected] = await outboundRows(ticket.id);
    expect(rejected).toMatchObject({ delivery_status: 'failed', attempts: 1 });
    expect((await messagesOf(ticket.id)).find((m) => m.id === message.id)?.delivery).toEqual({
      status: 'failed',
      detail: '550 5.1.1 Mailbox does not exist',
      attempts: 1,
    });
    expect(sink.messages).toHaveLength(0);
  });

  it('sends nothing for notes, for a requester’s own message, or for a non-email ticket without an email thread', async () => {
    await createMailbox();
    const { ticket } = await createTicket();
    const note = await reply(ticket.id, { kind: 'note', text: 'Внутреннее' });
    const fromContact = await reply(
      ticket.id,
      { text: 'От клиента', author: 'contact' },
      t.tokens.integration,
    );
    expect(note.delivery).toBeNull();
    expect(fromContact.delivery).toBeNull();

    const { ticket: chat } = await createTicket({ channel: 'chat' });
    expect((await reply(chat.id, { text: 'В чат' })).delivery).toBeNull();

    const phone = await t.request('POST', '/api/v1/tickets', {
      token: t.tokens.agent,
      body: {
        subject: 'Звонок',
        channel: 'email',
        requester: { identity: { channel: 'phone', value: '+79990001122' } },
      },
    });
    expect((await reply(phone.parse(ZTicketDetail).id, { text: 'Без почты' })).delivery).toBeNull();

    expect(await outboundRows(ticket.id)).toEqual([]);
    await drainJobs();
    expect(sink.messages).toHaveLength(0);
  });

  it('a chat ticket with an email thread, and an agent-started email ticket, do go out', async () => {
    const mailbox = await createMailbox();
    const { ticket: chat, email } = await createTicket({ channel: 'chat' });
    await storeInbound({
      mailboxId: mailbox.id,
      ticketId: chat.id,
      from: email,
      messageId: '<c@customer.example>',
    });
    expect((await reply(chat.id, { text: 'Ответ письмом' })).delivery?.status).toBe('queued');

    const started = await t.request('POST', '/api/v1/tickets', {
      token: t.tokens.agent,
      body: {
        subject: 'Ваша бронь',
        channel: 'email',
        requester: { identity: { channel: 'email', value: 'new@customer.example' } },
        message: { text: 'Напоминаем о туре', author: 'agent' },
      },
    });
    expect(started.status).toBe(201);
    const [row] = await outboundRows(started.parse(ZTicketDetail).id);
    expect(row).toMatchObject({ in_reply_to: null, references: [], to_addresses: ['new@customer.example'] });
    await drainJobs();
    const parsed = await Promise.all(sink.messages.map((m) => parse(m.raw)));
    expect(parsed.map((p) => p.subject).sort()).toEqual(
      [`Re: Перенос тура в Карелию [#${chat.id}]`, `Re: Ваша бронь [#${row.ticket_id}]`].sort(),
    );
    const fresh = parsed.find((p) => p.subject?.includes('Ваша бронь'))!;
    expect(fresh.inReplyTo).toBeUndefined();
    expect(fresh.text).not.toContain('написал(а)');
  });
});

describe('which mailbox a reply leaves from', () => {
  it('the thread’s mailbox, else the group’s, else the first active one; deactivated ones are skipped', async () => {
    await db().updateTable('mailboxes').set({ is_active: false }).execute();
    const first = await createMailbox({ address: 'first@one.example' });
    const group = (
      await t.request('POST', '/api/v1/groups', { token: t.tokens.admin, body: { name: 'Организаторы' } })
    ).json as { id: number };
    const ofGroup = await createMailbox({ address: 'partners@two.example', groupId: group.id });

    const fromOf = async (over: Record<string, unknown>, threadMailbox?: number) => {
      const { ticket, email } = await createTicket(over);
      if (threadMailbox)
        await storeInbound({
          mailboxId: threadMailbox,
          ticketId: ticket.id,
          from: email,
          messageId: `<m${++seq}@x>`,
        });
      await reply(ticket.id, { text: 'Ответ' });
      return (await outboundRows(ticket.id))[0].mailbox_id;
    };
    expect(await fromOf({})).toBe(first.id);
    expect(await fromOf({ groupId: group.id })).toBe(ofGroup.id);
    expect(await fromOf({ groupId: group.id }, first.id)).toBe(first.id);
    await t.request('DELETE', `/api/v1/mailboxes/${first.id}`, { token: t.tokens.admin });
    expect(await fromOf({}, first.id)).toBe(ofGroup.id);
    await t.request('DELETE', `/api/v1/mailboxes/${ofGroup.id}`, { token: t.tokens.admin });
    const { ticket } = await createTicket();
    expect((await reply(ticket.id, { text: 'Некуда' })).delivery).toBeNull();
    await drainJobs();
  });
});

describe('auto-acknowledgement', () => {
  const autoAck = (payload: { mailboxId: number; ticketId: number; emailMessageId: number }) =>
    t.queue.enqueue(db(), 'email.auto-ack', payload);

  it('answers a customer’s email once an hour per sender, marked Auto-Submitted, never an automatic email', async () => {
    await db().updateTable('mailboxes').set({ is_active: false }).execute();
    const mailbox = await createMailbox({ autoAcknowledge: true });
    const { ticket, email } = await createTicket();
    const inbound = await storeInbound({
      mailboxId: mailbox.id,
      ticketId: ticket.id,
      from: email,
      messageId: '<question@customer.example>',
    });
    await autoAck({ mailboxId: mailbox.id, ticketId: ticket.id, emailMessageId: inbound });
    await autoAck({ mailboxId: mailbox.id, ticketId: ticket.id, emailMessageId: inbound });
    await drainJobs();

    expect(sink.messages).toHaveLength(1);
    const ack = await parse(sink.messages[0].raw);
    expect(header(ack, 'auto-submitted')).toBe('auto-generated');
    expect(header(ack, 'x-auto-response-suppress')).toBe('All');
    expect(ack.inReplyTo).toBe('<question@customer.example>');
    expect(ack.to?.[0]?.address).toBe(email);
    expect(ack.subject).toBe(`Re: Перенос тура в Карелию [#${ticket.id}]`);
    expect(ack.text).toContain(`Номер обращения — ${ticket.id}`);
    expect(ack.text).toContain('команда поддержки');
    expect(parseReplyAddress(t.secrets, ack.replyTo?.[0]?.address ?? '')).toBe(ticket.id);

    const messages = await messagesOf(ticket.id);
    const auto = messages.find((m) => m.isAuto);
    expect(auto).toMatchObject({ kind: 'reply', authorKind: 'system', channel: 'email' });
    expect(auto?.delivery?.status).toBe('sent');
    const detail = (await t.request('GET', `/api/v1/tickets/${ticket.id}`, { token: t.tokens.agent })).parse(
      ZTicketDetail,
    );
    expect(detail.status).toBe('new');
    const acks = await db().selectFrom('email_auto_acks').selectAll().where('address', '=', email).execute();
    expect(acks).toHaveLength(1);

    // Within the hour: the same sender's next ticket gets none; another sender does.
    now = new Date(now.getTime() + 30 * 60_000);
    const second = await createTicket({ requester: { identity: { channel: 'email', value: email } } });
    const secondInbound = await storeInbound({
      mailboxId: mailbox.id,
      ticketId: second.ticket.id,
      from: email,
      messageId: '<again@customer.example>',
    });
    await autoAck({ mailboxId: mailbox.id, ticketId: second.ticket.id, emailMessageId: secondInbound });
    const other = await createTicket();
    const otherInbound = await storeInbound({
      mailboxId: mailbox.id,
      ticketId: other.ticket.id,
      from: other.email,
      messageId: '<other@customer.example>',
    });
    await autoAck({ mailboxId: mailbox.id, ticketId: other.ticket.id, emailMessageId: otherInbound });
    await drainJobs();
    expect(sink.messages.map((m) => m.to[0])).toEqual([email, other.email]);

    // After the hour the same sender is acknowledged again.
    now = new Date(now.getTime() + 31 * 60_000);
    const third = await createTicket({ requester: { identity: { channel: 'email', value: email } } });
    const thirdInbound = await storeInbound({
      mailboxId: mailbox.id,
      ticketId: third.ticket.id,
      from: email,
      messageId: '<third@customer.example>',
    });
    await autoAck({ mailboxId: mailbox.id, ticketId: third.ticket.id, emailMessageId: thirdInbound });
    await drainJobs();
    expect(sink.messages.map((m) => m.to[0])).toEqual([email, other.email, email]);
  });

  it('never acknowledges automatic mail, no-reply senders, or when the mailbox does not auto-acknowledge', async () => {
    await db().updateTable('mailboxes').set({ is_active: false }).execute();
    const acking = await createMailbox({ autoAcknowledge: true });
    const silent = await createMailbox({ autoAcknowledge: false });
    const autoReplies = () =>
      db()
        .selectFrom('messages')
        .select('id')
        .where('is_auto', '=', true)
        .where('author_kind', '=', 'system')
        .where('kind', '=', 'reply')
        .execute();
    const before = (await autoReplies()).length;
    const cases: { mailboxId: number; from?: string; isAuto?: boolean }[] = [
      { mailboxId: acking.id, isAuto: true },
      { mailboxId: acking.id, from: 'MAILER-DAEMON@relay.example' },
      { mailboxId: acking.id, from: 'no-reply@shop.example' },
      { mailboxId: acking.id, from: silent.address },
      { mailboxId: silent.id },
    ];
    for (const c of cases) {
      const { ticket, email } = await createTicket();
      const inbound = await storeInbound({
        mailboxId: c.mailboxId,
        ticketId: ticket.id,
        from: c.from ?? email,
        messageId: `<auto${++seq}@customer.example>`,
        isAuto: c.isAuto,
      });
      await autoAck({ mailboxId: c.mailboxId, ticketId: ticket.id, emailMessageId: inbound });
    }
    await drainJobs();
    expect(sink.messages).toHaveLength(0);
    expect(await autoReplies()).toHaveLength(before);
  });
});
