import { describe, expect, it } from 'vitest';
import { parseInboundEmail } from './parse.ts';
import {
  contentHashOf,
  isOwnMessageId,
  normalizeMessageId,
  parseMessageIdList,
  subjectTicketNumber,
} from './thread-key.ts';

/** A raw message from header lines and a body (a Buffer body keeps its bytes as they are). */
const mail = (headers: string[], body: string | Buffer = 'Hello'): Buffer =>
  Buffer.concat([
    Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  ]);

const base = [
  'From: Anna <anna@traveler.example>',
  'To: support@care.example',
  'Message-ID: <m1@traveler.example>',
];

describe('parseInboundEmail: charsets', () => {
  it('decodes a koi8-r body and a base64 koi8-r encoded-word name', async () => {
    const body = Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x2c, 0x20, 0xcd, 0xc9, 0xd2]); // "Привет, мир"
    const email = await parseInboundEmail(
      mail(
        [
          'From: =?koi8-r?B?8NLJ18XU?= <anna@traveler.example>',
          'To: support@care.example',
          'Subject: =?KOI8-R?B?8NLJ18XU?=',
          'Content-Type: text/plain; charset=koi8-r',
          'Content-Transfer-Encoding: 8bit',
        ],
        body,
      ),
    );
    expect(email.text.trim()).toBe('Привет, мир');
    expect(email.subject).toBe('Привет');
    expect(email.from).toEqual({ address: 'anna@traveler.example', name: 'Привет' });
  });

  it('decodes a windows-1251 quoted-printable body and a QP encoded-word subject', async () => {
    const email = await parseInboundEmail(
      mail(
        [
          ...base,
          'Subject: =?windows-1251?Q?=C2=EE=E7=E2=F0=E0=F2_=E7=E0_=F2=F3=F0?=',
          'Content-Type: text/plain; charset=windows-1251',
          'Content-Transfer-Encoding: quoted-printable',
        ],
        '=C2=EE=E7=E2=F0=E0=F2 =E4=E5=ED=E5=E3',
      ),
    );
    expect(email.subject).toBe('Возврат за тур');
    expect(email.text.trim()).toBe('Возврат денег');
  });

  it('decodes a base64 utf-8 body and a subject split over encoded words of two charsets', async () => {
    const email = await parseInboundEmail(
      mail(
        [
          ...base,
          'Subject: =?UTF-8?B?0J7RgtC80LXQvdCw?= =?windows-1251?B?IPLz8OA=?=',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: base64',
        ],
        Buffer.from('Отмена тура в Карелию').toString('base64'),
      ),
    );
    expect(email.subject).toBe('Отмена тура');
    expect(email.text.trim()).toBe('Отмена тура в Карелию');
  });

  it('decodes a windows-1251 HTML body, sanitizes it and derives the text', async () => {
    const html = Buffer.concat([
      Buffer.from('<p onclick="x()">'),
      Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]),
      Buffer.from('</p><script>alert(1)</script>'),
    ]);
    const email = await parseInboundEmail(
      mail([...base, 'Subject: html', 'Content-Type: text/html; charset=windows-1251'], html),
    );
    expect(email.html).toBe('<p>Привет</p>');
    expect(email.text).toBe('Привет');
  });
});

describe('parseInboundEmail: ids, addresses, hashes', () => {
  it('keeps a Message-ID in canonical form; a missing one becomes a content hash id', async () => {
    const withId = await parseInboundEmail(mail([...base, 'Subject: a']));
    expect(withId).toMatchObject({ messageId: '<m1@traveler.example>', isMessageIdSynthetic: false });
    const raw = mail(['From: anna@traveler.example', 'To: support@care.example', 'Subject: no id']);
    const without = await parseInboundEmail(raw);
    expect(without.isMessageIdSynthetic).toBe(true);
    expect(without.messageId).toBe(`<${contentHashOf(raw)}@hash.tourdesk>`);
    // Relayed along another path (a Received line more), it is the same message.
    const relayed = Buffer.concat([Buffer.from('Received: from relay.example by mx.example\r\n'), raw]);
    expect((await parseInboundEmail(relayed)).messageId).toBe(without.messageId);
    const edited = mail(
      ['From: anna@traveler.example', 'To: support@care.example', 'Subject: no id'],
      'Other',
    );
    expect((await parseInboundEmail(edited)).messageId).not.toBe(without.messageId);
  });

  it('reads In-Reply-To and References, with or without brackets', async () => {
    const email = await parseInboundEmail(
      mail([...base, 'In-Reply-To: <a@x>', 'References: <root@x>\r\n <a@x> <a@x>', 'Subject: Re: hi']),
    );
    expect(email.inReplyTo).toBe('<a@x>');
    expect(email.references).toEqual(['<root@x>', '<a@x>']);
    expect(parseMessageIdList('a@x b@y')).toEqual(['<a@x>', '<b@y>']);
    expect(normalizeMessageId('garbage')).toBeNull();
    expect(normalizeMessageId(`<${'x'.repeat(500)}@y>`)).toMatch(/^<[0-9a-f]{64}@long\.tourdesk>$/);
  });

  it('takes the sender from From, else Sender, else the envelope; lower-cases addresses; drops NULs', async () => {
    const email = await parseInboundEmail(
      mail([
        'From: "Broken" <not an address>',
        'Sender: Relay <Relay@Example.ORG>',
        'To: A <Support@Care.Example>, Group: b@x.example, c@y.example;',
        'Cc: bad, d@z.example',
        'Subject: a\u0000b',
      ]),
    );
    expect(email.from).toEqual({ address: 'relay@example.org', name: 'Relay' });
    expect(email.to).toEqual(['support@care.example', 'b@x.example', 'c@y.example']);
    expect(email.cc).toEqual(['d@z.example']);
    expect(email.subject).toBe('ab');
    const envelopeOnly = await parseInboundEmail(mail(['To: support@care.example', 'Subject: x']), {
      envelopeFrom: 'Envelope@Sender.example',
    });
    expect(envelopeOnly.from).toEqual({ address: 'envelope@sender.example', name: '' });
    expect((await parseInboundEmail(mail(['To: support@care.example']))).from).toBeNull();
  });

  it('finds the ticket number of a subject and our own Message-IDs', () => {
    expect(subjectTicketNumber('Re: Refund [#4512]')).toBe(4512);
    expect(subjectTicketNumber('Re: [#1] and [#77]')).toBe(77);
    expect(subjectTicketNumber('Ticket #4512')).toBeNull();
    expect(subjectTicketNumber('[#0]')).toBeNull();
    expect(subjectTicketNumber('[#99999999999]')).toBeNull();
    const domains = new Set(['care.example']);
    expect(isOwnMessageId('<0b7a8f1e-6a0e-4c0e-9a57-1f2d3c4b5a69@care.example>', domains)).toBe(true);
    expect(isOwnMessageId('<0b7a8f1e-6a0e-4c0e-9a57-1f2d3c4b5a69@other.example>', domains)).toBe(false);
    expect(isOwnMessageId('<CAF=abc@care.example>', domains)).toBe(false);
  });
});

describe('parseInboundEmail: attachments', () => {
  it('returns attachments and inline images with their Content-ID', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const raw = mail(
      [...base, 'Subject: photo', 'Content-Type: multipart/related; boundary="R"'],
      [
        '--R',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>See <img src="cid:photo1@x" alt="photo"></p>',
        '--R',
        'Content-Type: image/png; name="photo.png"',
        'Content-ID: <photo1@x>',
        'Content-Disposition: inline; filename="photo.png"',
        'Content-Transfer-Encoding: base64',
        '',
        png.toString('base64'),
        '--R',
        'Content-Type: application/pdf; name="=?utf-8?B?0JHQuNC70LXRgi5wZGY=?="',
        "Content-Disposition: attachment; filename*=utf-8''%D0%91%D0%B8%D0%BB%D0%B5%D1%82.pdf",
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF-1.4').toString('base64'),
        '--R',
        'Content-Type: application/octet-stream; name="../../etc/passwd"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('x').toString('base64'),
        '--R--',
      ].join('\r\n'),
    );
    const email = await parseInboundEmail(raw);
    expect(email.html).toContain('src="cid:photo1@x"');
    expect(email.attachments.map((a) => [a.filename, a.contentType, a.contentId, a.isInline])).toEqual([
      ['photo.png', 'image/png', 'photo1@x', true],
      ['Билет.pdf', 'application/pdf', null, false],
      ['passwd', 'application/octet-stream', null, false],
    ]);
    expect(email.attachments[0].content.equals(png)).toBe(true);
  });
});

describe('parseInboundEmail: automatic mail and bounces', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'auto-submitted: auto-replied'],
    ['Auto-Submitted: auto-generated; owner-email="x@y"', 'auto-submitted: auto-generated'],
    ['X-Autoreply: yes', 'x-autoreply'],
    ['X-Autorespond: Out of office', 'x-autorespond'],
    ['Precedence: bulk', 'precedence: bulk'],
    ['Precedence: list', 'precedence: list'],
    ['Precedence: junk', 'precedence: junk'],
    ['List-Unsubscribe: <mailto:unsub@list.example>', 'list-unsubscribe'],
    ['X-Loop: support@care.example', 'x-loop'],
  ])('%s marks the message automatic', async (header, reason) => {
    const email = await parseInboundEmail(mail([...base, 'Subject: away', header]));
    expect(email.autoReasons).toEqual([reason]);
    expect(email.bounce).toBeNull();
  });

  it('a person’s mail carries no marker; Auto-Submitted: no and Precedence: first-class are people', async () => {
    const email = await parseInboundEmail(
      mail([...base, 'Subject: hi', 'Auto-Submitted: no', 'Precedence: first-class']),
    );
    expect(email.autoReasons).toEqual([]);
  });

  it('reads a delivery-status report: recipient, diagnostic and the original Message-ID', async () => {
    const raw = mail(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example>',
        'To: support@care.example',
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <bounce-1@mx.example>',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      ],
      [
        '--B',
        'Content-Type: text/plain',
        '',
        'I am sorry to inform you that your message could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example',
        '',
        'Final-Recipient: rfc822; gone@traveler.example',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <gone@traveler.example>: Recipient address rejected',
        '',
        '--B',
        'Content-Type: text/rfc822-headers',
        '',
        'From: support@care.example',
        'Message-ID: <0b7a8f1e-6a0e-4c0e-9a57-1f2d3c4b5a69@care.example>',
        'Subject: Re: Refund [#5]',
        '--B--',
      ].join('\r\n'),
    );
    const email = await parseInboundEmail(raw);
    expect(email.bounce).toEqual({
      recipient: 'gone@traveler.example',
      reason: '550 5.1.1 <gone@traveler.example>: Recipient address rejected',
      originalMessageIds: ['<0b7a8f1e-6a0e-4c0e-9a57-1f2d3c4b5a69@care.example>'],
    });
  });

  it('postmaster and a null envelope sender are bounces; a null-sender auto-reply is an auto-reply', async () => {
    const postmaster = await parseInboundEmail(
      mail(
        ['From: postmaster@mx.example', 'To: support@care.example', 'Subject: failure'],
        'Could not deliver',
      ),
    );
    expect(postmaster.bounce).toMatchObject({ reason: 'Could not deliver', recipient: null });
    const nullSender = await parseInboundEmail(mail([...base, 'Subject: failure'], 'No such user'), {
      envelopeFrom: '',
    });
    expect(nullSender.bounce).not.toBeNull();
    const vacation = await parseInboundEmail(
      mail([...base, 'Subject: away', 'Auto-Submitted: auto-replied']),
      {
        envelopeFrom: '',
      },
    );
    expect(vacation.bounce).toBeNull();
    expect(vacation.autoReasons).toEqual(['auto-submitted: auto-replied']);
    const returnPath = await parseInboundEmail(mail(['Return-Path: <>', ...base, 'Subject: failure']));
    expect(returnPath.bounce).not.toBeNull();
  });
});
