import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { replyAddress } from '../src/server/channels/email/reply-token.ts';
import { JobQueue } from '../src/server/jobs/queue.ts';
import { createDiskStorage } from '../src/server/lib/storage.ts';
import { createLogger } from '../src/server/logger.ts';
import { ZPage } from '../src/shared/schemas/common.ts';
import { ZMessage, ZTicketDetail } from '../src/shared/schemas/tickets.ts';
import { createTestApp, type TTestApp } from './app.ts';
import { createTestDatabase } from './database.ts';
import {
  countRows,
  createMailbox,
  inboundRow,
  insertOutbound,
  rawMail,
  smtpClient,
  startTestListener,
} from './email.ts';
import { makeTempDir } from './server.ts';

// The built-in SMTP listener over a real connection (nodemailer as the client) and a real database
// (PGlite, or PostgreSQL with DATABASE_URL): every inbound path from RCPT to the stored ticket.

const DOMAIN = 'care.example';
const SUPPORT = `support@${DOMAIN}`;
const MAX_BYTES = 256 * 1024;

let t: TTestApp;
let listener: Awaited<ReturnType<typeof startTestListener>>;
let client: ReturnType<typeof smtpClient>;
let supportId: number;
let groupId: number;
let sequence = 0;

const nextId = () => `<m${++sequence}.${Date.now()}@traveler.example>`;

const send = (raw: Buffer, to: string[] = [SUPPORT], from = 'anna@traveler.example') =>
  client.sendRaw(raw, { from, to });

/** A plain message from `from` with a fresh Message-ID; extra headers override nothing. */
const plain = (o: {
  from?: string;
  to?: string;
  subject?: string;
  body?: string;
  headers?: string[];
  id?: string;
}) => {
  const id = o.id ?? nextId();
  return {
    id,
    raw: rawMail(
      [
        `From: ${o.from ?? 'Anna Petrova <anna@traveler.example>'}`,
        `To: ${o.to ?? SUPPORT}`,
        `Subject: ${o.subject ?? 'Question about my tour'}`,
        `Message-ID: ${id}`,
        'Date: Tue, 14 Jan 2025 10:00:00 +0300',
        ...(o.headers ?? []),
        'Content-Type: text/plain; charset=utf-8',
      ],
      o.body ?? 'Hello, I have a question.',
    ),
  };
};

const ticketOf = async (messageId: string) => {
  const [row] = await inboundRow(t.database, messageId);
  return row?.ticket_id ?? null;
};

const ticket = async (id: number) =>
  (await t.request('GET', `/api/v1/tickets/${id}`, { token: t.tokens.admin })).parse(ZTicketDetail);

const messages = async (id: number) =>
  (await t.request('GET', `/api/v1/tickets/${id}/messages`, { token: t.tokens.admin })).parse(ZPage(ZMessage))
    .items;

beforeAll(async () => {
  t = await createTestApp();
  const group = await t.request('POST', '/api/v1/groups', {
    token: t.tokens.admin,
    body: { name: 'Travelers' },
  });
  groupId = (group.json as { id: number }).id;
  supportId = await createMailbox(t.database, { address: SUPPORT, groupId, autoAcknowledge: true });
  listener = await startTestListener(t.services.inboundEmail, { maxBytes: MAX_BYTES });
  client = smtpClient(listener.port);
});

afterAll(async () => {
  client?.close();
  await listener?.close();
  await t?.close();
});

describe('SMTP listener: recipients and size', () => {
  it('answers 550 for a recipient that is not an active mailbox, and stores nothing', async () => {
    const before = await countRows(t.database, 'email_messages');
    const unknown = await send(plain({ to: 'nobody@care.example' }).raw, ['nobody@care.example']);
    expect(unknown).toMatchObject({ ok: false, code: 550 });
    await createMailbox(t.database, { address: `old@${DOMAIN}`, isActive: false });
    const inactive = await send(plain({ to: `old@${DOMAIN}` }).raw, [`old@${DOMAIN}`]);
    expect(inactive).toMatchObject({ ok: false, code: 550 });
    const otherDomain = await send(plain({}).raw, ['reply+1-0123456789@elsewhere.example']);
    expect(otherDomain).toMatchObject({ ok: false, code: 550 });
    expect(await countRows(t.database, 'email_messages')).toBe(before);
  });

  it('answers 552 over the size limit, announced (MAIL FROM SIZE=) or not (DATA)', async () => {
    const big = plain({ body: 'x'.repeat(MAX_BYTES + 10_000) });
    const announced = await send(big.raw);
    expect(announced).toMatchObject({ ok: false, code: 552 });

    // A client that ignores the SIZE extension: the listener reads on and refuses after DATA.
    const socket = net.connect(listener.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 200 && !pattern.test(received); i++) await new Promise((r) => setTimeout(r, 25));
      expect(received).toMatch(pattern);
    };
    await waitFor(/^220 /m);
    socket.write('HELO raw.example\r\n');
    await waitFor(/^250 /m);
    socket.write(`MAIL FROM:<anna@traveler.example>\r\nRCPT TO:<${SUPPORT}>\r\nDATA\r\n`);
    await waitFor(/^354 /m);
    socket.write(`${big.raw.toString('latin1').replace(/^\./gm, '..')}\r\n.\r\n`);
    await waitFor(/^552 /m);
    socket.end('QUIT\r\n');
    expect(await ticketOf(big.id)).toBeNull();
  });
});

describe('SMTP listener: new tickets and threading', () => {
  let firstTicket: number;

  it('a new message opens an email ticket in the mailbox group, from a contact found by address', async () => {
    const mail = plain({ subject: 'Отмена тура в Карелию', body: 'Хочу отменить бронь.' });
    const answer = await send(mail.raw);
    expect(answer).toMatchObject({ ok: true, code: 250 });
    expect(answer.response).toContain('created');
    firstTicket = (await ticketOf(mail.id))!;
    const detail = await ticket(firstTicket);
    expect(detail).toMatchObject({
      subject: 'Отмена тура в Карелию',
      channel: 'email',
      status: 'new',
      groupId,
      requester: { email: 'anna@traveler.example', name: 'Anna Petrova' },
    });
    const [message] = await messages(firstTicket);
    expect(message).toMatchObject({ authorKind: 'contact', channel: 'email', isAuto: false });
    expect(message.text).toContain('Хочу отменить бронь.');
    const events = await t.database.db
      .selectFrom('ticket_events')
      .select(['type', 'actor_kind'])
      .where('ticket_id', '=', firstTicket)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { type: 'created', actor_kind: 'contact' },
      { type: 'message_added', actor_kind: 'contact' },
    ]);
    // The mailbox acknowledges new tickets: the outbound job is queued with the email row.
    const [row] = await inboundRow(t.database, mail.id);
    const jobs = await t.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'email.auto-ack')
      .execute();
    expect(jobs.map((j) => j.payload)).toContainEqual({
      mailboxId: supportId,
      ticketId: firstTicket,
      emailMessageId: row.id,
    });
  });

  it('threads a reply by the token in its reply address, whoever writes it, and reopens a pending ticket', async () => {
    await t.request('PATCH', `/api/v1/tickets/${firstTicket}`, {
      token: t.tokens.admin,
      body: { status: 'pending' },
    });
    const to = replyAddress(t.secrets, firstTicket, DOMAIN);
    const mail = plain({ from: 'Boris <boris@partner.example>', to, subject: 'Re: something else entirely' });
    const answer = await send(mail.raw, [to]);
    expect(answer.response).toContain('threaded');
    expect(await ticketOf(mail.id)).toBe(firstTicket);
    expect((await ticket(firstTicket)).status).toBe('open');
    const last = (await messages(firstTicket)).at(-1)!;
    expect(last.authorName).toBe('Boris');
  });

  it('threads by In-Reply-To, and by References alone, to the ticket of our outgoing email', async () => {
    const ours = `<2f1c9a52-1d3e-4b61-8f0a-9b8c7d6e5f40@${DOMAIN}>`;
    await insertOutbound(t.database, {
      mailboxId: supportId,
      ticketId: firstTicket,
      messageId: ours,
      to: 'anna@traveler.example',
    });
    const reply = plain({ subject: 'Re: Отмена', headers: [`In-Reply-To: ${ours}`, `References: ${ours}`] });
    expect((await send(reply.raw)).response).toContain('threaded');
    expect(await ticketOf(reply.id)).toBe(firstTicket);

    const deeper = plain({
      subject: 'Re: Re: Отмена',
      headers: [`References: <unknown@x.example> ${reply.id}`],
    });
    expect((await send(deeper.raw)).response).toContain('threaded');
    expect(await ticketOf(deeper.id)).toBe(firstTicket);
  });

  it('threads by [#number] in the subject only when the sender already takes part in the ticket', async () => {
    const fromRequester = plain({ subject: `One more thing [#${firstTicket}]` });
    expect((await send(fromRequester.raw)).response).toContain('threaded');
    expect(await ticketOf(fromRequester.id)).toBe(firstTicket);

    const fromStranger = plain({ from: 'mallory@evil.example', subject: `Re: Refund [#${firstTicket}]` });
    expect((await send(fromStranger.raw, [SUPPORT], 'mallory@evil.example')).response).toContain('created');
    const strangers = await ticketOf(fromStranger.id);
    expect(strangers).not.toBe(firstTicket);
    expect((await ticket(strangers!)).subject).toBe('Re: Refund');
  });

  it('stores a message delivered twice once', async () => {
    const mail = plain({ subject: 'Sent twice' });
    expect((await send(mail.raw)).response).toContain('created');
    const again = await send(mail.raw);
    expect(again).toMatchObject({ ok: true, code: 250 });
    expect(again.response).toContain('duplicate');
    const rows = await inboundRow(t.database, mail.id);
    expect(rows).toHaveLength(1);
    expect(await messages(rows[0].ticket_id!)).toHaveLength(1);
  });

  it('without a Message-ID, the same message relayed twice is still stored once', async () => {
    const headers = ['From: vera@traveler.example', `To: ${SUPPORT}`, 'Subject: No id here'];
    const first = rawMail(headers, 'Body without an id');
    const relayed = rawMail(
      ['Received: from relay.example by mx.example; Tue, 14 Jan 2025 10:00:01 +0300', ...headers],
      'Body without an id',
    );
    expect((await send(first, [SUPPORT], 'vera@traveler.example')).response).toContain('created');
    expect((await send(relayed, [SUPPORT], 'vera@traveler.example')).response).toContain('duplicate');
    const rows = await t.database.db
      .selectFrom('email_messages')
      .select('message_id')
      .where('from_address', '=', 'vera@traveler.example')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].message_id).toMatch(/^<[0-9a-f]{64}@hash\.tourdesk>$/);
  });

  it('a message for two mailboxes becomes one ticket in each', async () => {
    const salesId = await createMailbox(t.database, { address: `sales@${DOMAIN}` });
    const mail = plain({ to: `${SUPPORT}, sales@${DOMAIN}`, subject: 'For both teams' });
    const answer = await send(mail.raw, [SUPPORT, `sales@${DOMAIN}`]);
    expect(answer.response).toContain('created, created');
    const rows = await inboundRow(t.database, mail.id);
    expect(rows.map((r) => r.mailbox_id).sort()).toEqual([supportId, salesId].sort());
  });
});

describe('SMTP listener: charsets and attachments', () => {
  it('decodes windows-1251 and koi8-r bodies and encoded-word subjects', async () => {
    const cp1251 = rawMail(
      [
        'From: =?windows-1251?B?yOLg7SDP5fLw7uI=?= <ivan@traveler.example>',
        `To: ${SUPPORT}`,
        'Subject: =?windows-1251?Q?=C2=EE=E7=E2=F0=E0=F2_=E4=E5=ED=E5=E3?=',
        `Message-ID: ${nextId()}`,
        'Content-Type: text/plain; charset=windows-1251',
        'Content-Transfer-Encoding: 8bit',
      ],
      Buffer.from([0xc7, 0xe4, 0xf0, 0xe0, 0xe2, 0xf1, 0xf2, 0xe2, 0xf3, 0xe9, 0xf2, 0xe5]), // Здравствуйте
    );
    const koi = rawMail(
      [
        'From: oleg@traveler.example',
        `To: ${SUPPORT}`,
        'Subject: =?koi8-r?B?8M/F2sTLwSDOwSDhzNTByg==?=',
        `Message-ID: ${nextId()}`,
        'Content-Type: text/plain; charset=koi8-r',
        'Content-Transfer-Encoding: 8bit',
      ],
      Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x2c, 0x20, 0xcd, 0xc9, 0xd2]), // Привет, мир
    );
    const cpAnswer = await send(cp1251, [SUPPORT], 'ivan@traveler.example');
    const koiAnswer = await send(koi, [SUPPORT], 'oleg@traveler.example');
    expect([cpAnswer.ok, koiAnswer.ok]).toEqual([true, true]);
    const rows = await t.database.db
      .selectFrom('email_messages')
      .select(['from_address', 'ticket_id'])
      .where('from_address', 'in', ['ivan@traveler.example', 'oleg@traveler.example'])
      .orderBy('id')
      .execute();
    const [ivan, oleg] = await Promise.all(rows.map((r) => ticket(r.ticket_id!)));
    expect(ivan).toMatchObject({ subject: 'Возврат денег', requester: { name: 'Иван Петров' } });
    expect((await messages(ivan.id))[0].text.trim()).toBe('Здравствуйте');
    expect(oleg.subject).toBe('Поездка на Алтай');
    expect((await messages(oleg.id))[0].text.trim()).toBe('Привет, мир');
  });

  it('stores attachments once by content and links inline images to their attachment URLs', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const pdf = Buffer.from('%PDF-1.4 ticket voucher');
    const build = () =>
      rawMail(
        [
          'From: anna@traveler.example',
          `To: ${SUPPORT}`,
          'Subject: Photos of the hotel',
          `Message-ID: ${nextId()}`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="MIX"',
        ],
        [
          '--MIX',
          'Content-Type: multipart/related; boundary="REL"',
          '',
          '--REL',
          'Content-Type: text/html; charset=utf-8',
          '',
          '<p>Look: <img src="cid:hotel.photo@traveler.example" alt="hotel"></p>',
          '--REL',
          'Content-Type: image/png',
          'Content-ID: <hotel.photo@traveler.example>',
          'Content-Disposition: inline; filename="hotel.png"',
          'Content-Transfer-Encoding: base64',
          '',
          png.toString('base64'),
          '--REL--',
          '--MIX',
          'Content-Type: application/pdf; name="voucher.pdf"',
          'Content-Disposition: attachment; filename="voucher.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          pdf.toString('base64'),
          '--MIX',
          'Content-Type: application/pdf; name="voucher.pdf"',
          'Content-Disposition: attachment; filename="voucher.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          pdf.toString('base64'),
          '--MIX--',
        ].join('\r\n'),
      );
    const first = build();
    expect((await send(first)).ok).toBe(true);
    const [row] = await t.database.db
      .selectFrom('email_messages')
      .select('ticket_id')
      .where('subject', '=', 'Photos of the hotel')
      .execute();
    const [message] = await messages(row.ticket_id!);
    expect(message.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['hotel.png', 'image/png'],
      ['voucher.pdf', 'application/pdf'],
    ]);
    const image = message.attachments[0];
    expect(message.html).toContain(`<img src="${image.url}" alt="hotel" />`);
    const download = await t.app.request(image.url, {
      headers: { authorization: `Bearer ${t.tokens.admin}` },
    });
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);

    // The same voucher from another email: a second attachment row, the same stored bytes.
    expect((await send(build())).ok).toBe(true);
    const stored = await t.database.db
      .selectFrom('attachments')
      .select(['storage_key', 'sha256'])
      .where('filename', '=', 'voucher.pdf')
      .execute();
    expect(stored).toHaveLength(2);
    expect(new Set(stored.map((s) => s.storage_key)).size).toBe(1);
  });
});

describe('SMTP listener: automatic mail and bounces', () => {
  it('an auto-reply never opens a ticket and is not acknowledged', async () => {
    const jobsBefore = await t.database.db
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', 'email.auto-ack')
      .execute();
    const tickets = await countRows(t.database, 'tickets');
    const away = plain({
      from: 'newcomer@traveler.example',
      subject: 'Out of office',
      headers: ['Auto-Submitted: auto-replied'],
    });
    const answer = await send(away.raw, [SUPPORT], '');
    expect(answer.response).toContain('auto_reply_dropped');
    expect(await countRows(t.database, 'tickets')).toBe(tickets);
    const [row] = await inboundRow(t.database, away.id);
    expect(row).toMatchObject({ is_auto: true, ticket_id: null });
    const bulk = plain({
      from: 'news@list.example',
      subject: 'Digest',
      headers: ['Precedence: bulk', 'List-Unsubscribe: <mailto:u@list.example>'],
    });
    expect((await send(bulk.raw)).response).toContain('auto_reply_dropped');
    const jobsAfter = await t.database.db
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', 'email.auto-ack')
      .execute();
    expect(jobsAfter).toHaveLength(jobsBefore.length);
  });

  it('an auto-reply that threads is stored on its ticket as automatic and changes no status', async () => {
    const opened = plain({ from: 'kate@traveler.example', subject: 'Transfer times' });
    await send(opened.raw, [SUPPORT], 'kate@traveler.example');
    const ticketId = (await ticketOf(opened.id))!;
    await t.request('PATCH', `/api/v1/tickets/${ticketId}`, {
      token: t.tokens.admin,
      body: { status: 'pending' },
    });
    const ours = `<7a1c9a52-1d3e-4b61-8f0a-9b8c7d6e5f41@${DOMAIN}>`;
    await insertOutbound(t.database, {
      mailboxId: supportId,
      ticketId,
      messageId: ours,
      to: 'kate@traveler.example',
    });
    const away = plain({
      from: 'kate@traveler.example',
      subject: 'Automatic reply: Transfer times',
      headers: [`In-Reply-To: ${ours}`, 'X-Autoreply: yes'],
    });
    expect((await send(away.raw, [SUPPORT], 'kate@traveler.example')).response).toContain('threaded');
    expect((await ticket(ticketId)).status).toBe('pending');
    expect((await messages(ticketId)).at(-1)).toMatchObject({ isAuto: true });
  });

  it('our own message coming back (a loop) is dropped', async () => {
    const loop = plain({ from: SUPPORT, subject: 'Re: Transfer times' });
    expect((await send(loop.raw, [SUPPORT], SUPPORT)).response).toContain('auto_reply_dropped');
    const echoed = plain({ id: `<5b1c9a52-1d3e-4b61-8f0a-9b8c7d6e5f42@${DOMAIN}>`, subject: 'Echo' });
    expect((await send(echoed.raw)).response).toContain('auto_reply_dropped');
  });

  it('a bounce marks the original outgoing email bounced and notes it on the ticket, opening nothing', async () => {
    const opened = plain({ from: 'gone@traveler.example', subject: 'Before I leave' });
    await send(opened.raw, [SUPPORT], 'gone@traveler.example');
    const ticketId = (await ticketOf(opened.id))!;
    const ours = `<9c1c9a52-1d3e-4b61-8f0a-9b8c7d6e5f43@${DOMAIN}>`;
    const outboundId = await insertOutbound(t.database, {
      mailboxId: supportId,
      ticketId,
      messageId: ours,
      to: 'gone@traveler.example',
    });
    const tickets = await countRows(t.database, 'tickets');
    const dsn = rawMail(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.traveler.example>',
        `To: ${SUPPORT}`,
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: ${nextId()}`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"',
      ],
      [
        '--DSN',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'This is the mail system at host mx.traveler.example. Your message could not be delivered.',
        '--DSN',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.traveler.example',
        '',
        'Final-Recipient: rfc822; gone@traveler.example',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <gone@traveler.example>: Recipient address rejected: User unknown',
        '',
        '--DSN',
        'Content-Type: message/rfc822',
        '',
        `From: Support <${SUPPORT}>`,
        'To: gone@traveler.example',
        `Subject: Re: Before I leave [#${ticketId}]`,
        `Message-ID: ${ours}`,
        '',
        'Our answer',
        '--DSN--',
      ].join('\r\n'),
    );
    const answer = await send(dsn, [SUPPORT], '');
    expect(answer.response).toContain('bounce');
    expect(await countRows(t.database, 'tickets')).toBe(tickets);
    const original = await t.database.db
      .selectFrom('email_messages')
      .select(['delivery_status', 'delivery_detail'])
      .where('id', '=', outboundId)
      .executeTakeFirstOrThrow();
    expect(original).toEqual({
      delivery_status: 'bounced',
      delivery_detail:
        'gone@traveler.example: 550 5.1.1 <gone@traveler.example>: Recipient address rejected: User unknown',
    });
    const note = (await messages(ticketId)).at(-1)!;
    expect(note).toMatchObject({ kind: 'note', authorKind: 'system' });
    expect(note.text).toContain('gone@traveler.example');
    expect(note.text).toContain('User unknown');
  });
});

describe('SMTP listener: STARTTLS and AUTH for a relaying MTA', () => {
  it('with a certificate and credentials: TLS is offered, AUTH is required, the right password delivers', async () => {
    const dir = makeTempDir('tourdesk-smtp-tls');
    const keyPath = path.join(dir, 'key.pem');
    const certPath = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const secured = await startTestListener(t.services.inboundEmail, {
      tls: { keyPath, certPath },
      auth: { user: 'relay', password: 'relay-password' },
    });
    const client = (auth?: { user: string; pass: string }) =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port: secured.port,
        secure: false,
        requireTLS: true,
        tls: { rejectUnauthorized: false },
        ...(auth && { auth }),
      });
    const attempt = async (auth?: { user: string; pass: string }) => {
      const transport = client(auth);
      try {
        const info = await transport.sendMail({
          envelope: { from: 'relay@mx.example', to: [SUPPORT] },
          raw: plain({}).raw,
        });
        return info.response;
      } catch (error) {
        return String((error as { responseCode?: number }).responseCode);
      } finally {
        transport.close();
      }
    };
    try {
      expect(await attempt()).toBe('530');
      expect(await attempt({ user: 'relay', pass: 'wrong-password' })).toBe('535');
      expect(await attempt({ user: 'relay', pass: 'relay-password' })).toMatch(/^250 .*created/);
    } finally {
      await secured.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SMTP listener: failures', () => {
  it('answers 451 when the database is unavailable, so the sender retries', async () => {
    const database = await createTestDatabase();
    const dataDir = makeTempDir('tourdesk-smtp-down');
    const logger = createLogger('silent');
    const app = createApp({
      database,
      config: t.config,
      logger,
      storage: createDiskStorage(`${dataDir}/attachments`),
      queue: new JobQueue({ database, logger }),
    });
    await createMailbox(database, { address: SUPPORT });
    const down = await startTestListener(app.services.inboundEmail);
    const downClient = smtpClient(down.port);
    try {
      // RCPT passes (the mailbox is known), then the database goes away before DATA is stored.
      const intake = app.services.inboundEmail;
      const failing = await startTestListener({
        resolveRecipient: (address) => intake.resolveRecipient(address),
        ingest: async (input) => {
          await database.db.destroy();
          return intake.ingest(input);
        },
      });
      const failingClient = smtpClient(failing.port);
      const answer = await failingClient.sendRaw(plain({}).raw, {
        from: 'anna@traveler.example',
        to: [SUPPORT],
      });
      expect(answer).toMatchObject({ ok: false, code: 451 });
      // And RCPT itself, once the database is gone.
      const rcpt = await downClient.sendRaw(plain({}).raw, { from: 'anna@traveler.example', to: [SUPPORT] });
      expect(rcpt).toMatchObject({ ok: false, code: 451 });
      failingClient.close();
      await failing.close();
    } finally {
      downClient.close();
      await down.close();
      await database.drop().catch(() => undefined);
    }
  });
});
