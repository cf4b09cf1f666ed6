import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import type { TIngestResult } from '../src/server/channels/email/ingest.ts';
import { JobQueue } from '../src/server/jobs/queue.ts';
import { createDiskStorage, type TStorage } from '../src/server/lib/storage.ts';
import { createLogger } from '../src/server/logger.ts';
import { ZPage } from '../src/shared/schemas/common.ts';
import {
  INGEST_OUTCOMES,
  ZQuarantineItem,
  ZQuarantineRetryResult,
} from '../src/shared/schemas/email-quarantine.ts';
import { createTestApp, type TTestApp } from './app.ts';
import { createTestDatabase } from './database.ts';
import { createMailbox, rawMail, smtpClient, startTestListener } from './email.ts';
import { makeTempDir } from './server.ts';

// What cannot be parsed or stored is held in the quarantine — raw source kept, reason shown — and
// the mailbox keeps flowing; admins list, retry and discard. A hand-written corpus of malformed
// MIME and a fast-check fuzz of parse+ingest check that nothing crashes and nothing is lost.

const SUPPORT = 'support@care.example';
const CORPUS_DIR = path.join(import.meta.dirname, 'fixtures', 'mime');
const corpus = fs
  .readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((name) => ({ name, raw: fs.readFileSync(path.join(CORPUS_DIR, name)) }));
/** A MIME tree deeper than the parser accepts (postal-mime refuses more than 256 levels). */
const tooDeep = corpus.find((c) => c.name === '05-nesting-too-deep.eml')!.raw;

let t: TTestApp;
let supportId: number;

const list = async (query = '') =>
  (await t.request('GET', `/api/v1/email/quarantine${query}`, { token: t.tokens.admin })).parse(
    ZPage(ZQuarantineItem),
  );

/** Whatever ingestion answered, the message is somewhere: an email row, or the quarantine. */
const expectAccountedFor = async (result: TIngestResult) => {
  expect(INGEST_OUTCOMES).toContain(result.outcome);
  const { db } = t.database;
  if (result.outcome === 'quarantined') {
    const row = await db
      .selectFrom('email_quarantine')
      .select(['status', 'raw_storage_key'])
      .where('id', '=', result.quarantineId!)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('held');
    expect(
      await createDiskStorage(path.join(t.config.dataDir, 'attachments')).get(row.raw_storage_key),
    ).not.toBeNull();
    return;
  }
  const row = await db
    .selectFrom('email_messages')
    .select(['ticket_id', 'message_row_id', 'raw_storage_key'])
    .where('id', '=', result.emailMessageId!)
    .executeTakeFirstOrThrow();
  expect(row.raw_storage_key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}$/);
  if (result.outcome === 'created' || result.outcome === 'threaded') {
    expect(row.ticket_id).toBe(result.ticketId);
    expect(row.message_row_id).not.toBeNull();
  }
};

beforeAll(async () => {
  t = await createTestApp();
  supportId = await createMailbox(t.database, { address: SUPPORT });
});

afterAll(async () => t?.close());

describe('quarantine over SMTP', () => {
  it('holds a broken message (250, raw kept) while the next one imports', async () => {
    const listener = await startTestListener(t.services.inboundEmail);
    const client = smtpClient(listener.port);
    try {
      const broken = await client.sendRaw(tooDeep, { from: 'anna@traveler.example', to: [SUPPORT] });
      expect(broken).toMatchObject({ ok: true, code: 250 });
      expect(broken.response).toContain('quarantined');
      const next = await client.sendRaw(
        rawMail([
          'From: anna@traveler.example',
          `To: ${SUPPORT}`,
          'Subject: After the broken one',
          'Message-ID: <after@traveler.example>',
        ]),
        { from: 'anna@traveler.example', to: [SUPPORT] },
      );
      expect(next.response).toContain('created');
    } finally {
      client.close();
      await listener.close();
    }
    const { items } = await list('?status=held');
    const held = items.find((i) => i.subject === 'Russian doll')!;
    expect(held).toMatchObject({
      mailboxId: supportId,
      mailboxAddress: SUPPORT,
      source: 'smtp',
      status: 'held',
      from: 'anna@traveler.example',
      sizeBytes: tooDeep.length,
      attempts: 1,
    });
    expect(held.reason).toContain('Maximum MIME nesting depth');
    // The raw source is kept, compressed, exactly as received.
    const row = await t.database.db
      .selectFrom('email_quarantine')
      .select(['raw_storage_key', 'envelope'])
      .where('id', '=', held.id)
      .executeTakeFirstOrThrow();
    expect(row.envelope).toEqual({ recipients: [SUPPORT], envelopeFrom: 'anna@traveler.example' });
  });

  it('the same broken message delivered again is held once, with the attempt counted', async () => {
    const first = await t.services.inboundEmail.ingest({
      mailboxId: supportId,
      raw: tooDeep,
      source: 'imap',
    });
    const again = await t.services.inboundEmail.ingest({
      mailboxId: supportId,
      raw: tooDeep,
      source: 'imap',
    });
    expect(again.quarantineId).toBe(first.quarantineId);
    const { items } = await list('?status=held');
    expect(items.filter((i) => i.subject === 'Russian doll')).toHaveLength(1);
    expect(items.find((i) => i.id === first.quarantineId)!.attempts).toBeGreaterThanOrEqual(3);
  });
});

describe('quarantine API', () => {
  it('retry imports a message once its cause is fixed; a failing retry keeps it held with the new reason', async () => {
    const raw = rawMail([
      'From: late@traveler.example',
      'To: late@care.example',
      'Subject: For a mailbox that does not exist yet',
      'Message-ID: <late-1@traveler.example>',
    ]);
    const held = await t.services.inboundEmail.ingest({ mailboxId: null, raw, source: 'imap' });
    expect(held).toMatchObject({ outcome: 'quarantined' });
    expect(held.reason).toContain('No mailbox for any recipient');

    const stillHeld = await t.request('POST', `/api/v1/email/quarantine/${held.quarantineId}/retry`, {
      token: t.tokens.admin,
    });
    expect(stillHeld.parse(ZQuarantineRetryResult)).toMatchObject({
      outcome: 'quarantined',
      ticketId: null,
      item: { status: 'held', attempts: 2 },
    });

    await createMailbox(t.database, { address: 'late@care.example' });
    const retried = await t.request('POST', `/api/v1/email/quarantine/${held.quarantineId}/retry`, {
      token: t.tokens.admin,
    });
    const result = retried.parse(ZQuarantineRetryResult);
    expect(result).toMatchObject({ outcome: 'created', item: { status: 'imported', resolvedBy: null } });
    expect(result.item.resolvedAt).not.toBeNull();
    const ticket = await t.request('GET', `/api/v1/tickets/${result.ticketId}`, { token: t.tokens.admin });
    expect(ticket.json).toMatchObject({ subject: 'For a mailbox that does not exist yet', channel: 'email' });

    const twice = await t.request('POST', `/api/v1/email/quarantine/${held.quarantineId}/retry`, {
      token: t.tokens.admin,
    });
    expect([twice.status, twice.errorCode]).toEqual([409, 'QUARANTINE_RESOLVED']);
  });

  it('discard resolves a held message for good; unknown ids are 404', async () => {
    const held = await t.services.inboundEmail.ingest({
      mailboxId: supportId,
      raw: corpus[0].raw,
      source: 'imap',
    });
    expect(held.outcome).toBe('quarantined');
    const discarded = await t.request('POST', `/api/v1/email/quarantine/${held.quarantineId}/discard`, {
      token: t.tokens.admin,
    });
    expect(discarded.parse(ZQuarantineItem)).toMatchObject({ status: 'discarded', id: held.quarantineId });
    for (const action of ['retry', 'discard']) {
      const again = await t.request('POST', `/api/v1/email/quarantine/${held.quarantineId}/${action}`, {
        token: t.tokens.admin,
      });
      expect([again.status, again.errorCode]).toEqual([409, 'QUARANTINE_RESOLVED']);
    }
    for (const id of ['999999', '0', 'abc', '99999999999']) {
      const missing = await t.request('POST', `/api/v1/email/quarantine/${id}/discard`, {
        token: t.tokens.admin,
      });
      expect([missing.status, missing.errorCode]).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    }
    expect((await list('?status=discarded')).items.map((i) => i.id)).toContain(held.quarantineId);
  });

  it('lists newest first, page by page, and filters by status', async () => {
    const all = await list('?limit=200');
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(all.items.map((i) => i.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    for (const status of ['held', 'imported', 'discarded'] as const) {
      expect((await list(`?status=${status}`)).items.every((i) => i.status === status)).toBe(true);
    }
    const bad = await t.request('GET', '/api/v1/email/quarantine?cursor=nonsense', { token: t.tokens.admin });
    expect(bad.status).toBe(400);
  });

  it('is for admins only', async () => {
    for (const role of ['supervisor', 'agent', 'integration'] as const) {
      const res = await t.request('GET', '/api/v1/email/quarantine', { token: t.tokens[role] });
      expect(res.status).toBe(403);
    }
  });
});

describe('a storage failure', () => {
  it('holds the message with its raw source and the reason; retry imports it once storage works', async () => {
    const database = await createTestDatabase();
    const dataDir = makeTempDir('tourdesk-flaky-storage');
    const disk = createDiskStorage(path.join(dataDir, 'attachments'));
    let isFailing = true;
    // The attachment store fails (a full disk, say) while the compressed raw source still fits.
    const storage: TStorage = {
      get: disk.get,
      put: async (bytes) => {
        if (isFailing && bytes.includes('POISON-ATTACHMENT'))
          throw new Error('ENOSPC: no space left on device');
        return disk.put(bytes);
      },
    };
    const logger = createLogger('silent');
    const app = createApp({
      database,
      config: t.config,
      logger,
      storage,
      queue: new JobQueue({ database, logger }),
    });
    try {
      await createMailbox(database, { address: SUPPORT });
      const raw = rawMail(
        [
          'From: anna@traveler.example',
          `To: ${SUPPORT}`,
          'Subject: With a file',
          'Message-ID: <with-file@traveler.example>',
          'Content-Type: multipart/mixed; boundary="B"',
        ],
        '--B\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n--B\r\nContent-Type: text/plain; name="file.txt"\r\nContent-Disposition: attachment; filename="file.txt"\r\n\r\nPOISON-ATTACHMENT\r\n--B--\r\n',
      );
      const held = await app.services.inboundEmail.ingest({
        mailboxId: null,
        raw,
        source: 'smtp',
        recipients: [SUPPORT],
      });
      expect(held).toMatchObject({ outcome: 'quarantined' });
      expect(held.reason).toContain('ENOSPC');
      isFailing = false;
      const { id: userId } = await database.db
        .insertInto('users')
        .values({ email: 'admin@x.example', name: 'Admin', role: 'admin' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const admin = {
        kind: 'user' as const,
        userId,
        role: 'admin' as const,
        name: 'Admin',
        viaSession: false,
      };
      const retried = await app.services.inboundEmail.retryQuarantine(admin, held.quarantineId!);
      expect(retried).toMatchObject({ outcome: 'created', item: { status: 'imported', resolvedBy: userId } });
    } finally {
      await app.hub.stop();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('malformed MIME', () => {
  it.each(corpus.map((c) => [c.name, c.raw] as const))(
    '%s is stored or quarantined, never thrown',
    async (_name, raw) => {
      const overImap = await t.services.inboundEmail.ingest({ mailboxId: supportId, raw, source: 'imap' });
      await expectAccountedFor(overImap);
      const overSmtp = await t.services.inboundEmail.ingest({
        mailboxId: null,
        raw,
        source: 'smtp',
        recipients: [SUPPORT],
        envelopeFrom: 'sender@traveler.example',
      });
      await expectAccountedFor(overSmtp);
    },
  );

  it('keeps hostile HTML out and what is readable in', async () => {
    const raw = corpus.find((c) => c.name === '13-hostile-html.eml')!.raw;
    const result = await t.services.inboundEmail.ingest({ mailboxId: supportId, raw, source: 'imap' });
    const message = await t.database.db
      .selectFrom('messages')
      .select(['body_html', 'body_text'])
      .where('ticket_id', '=', result.ticketId!)
      .executeTakeFirstOrThrow();
    expect(message.body_html).toContain('<p>Still <b>readable</b></p>');
    expect(message.body_html).not.toMatch(/script|onload|onerror|javascript:|iframe|<form|<style/i);
  });

  it('fuzz: any bytes, header soup or damaged corpus message is stored or quarantined', async () => {
    const headerName = fc.constantFrom(
      'From',
      'To',
      'Cc',
      'Subject',
      'Message-ID',
      'In-Reply-To',
      'References',
      'Content-Type',
      'Content-Transfer-Encoding',
      'Content-Disposition',
      'Auto-Submitted',
      'Return-Path',
      'Date',
      'X-Whatever',
    );
    const headerValue = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom(
        'multipart/mixed; boundary="b"',
        'multipart/report; report-type=delivery-status; boundary=b',
        'message/rfc822',
        'text/plain; charset=koi8-r',
        'text/html; charset=x-unknown',
        'base64',
        'quoted-printable',
        '=?utf-8?B?0J/RgNC4?=',
        '=?windows-1251?Q?=CF=F0?=',
        '<>',
        'anna@traveler.example',
        '"Anna" <anna@traveler.example>',
      ),
    );
    const headerSoup = fc
      .tuple(
        fc.array(fc.tuple(headerName, headerValue), { maxLength: 12 }),
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.constantFrom('--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--', '=ZZ=\r\n.\r\n'),
        ),
        fc.constantFrom('\r\n', '\n', '\r'),
      )
      .map(([headers, body, eol]) =>
        Buffer.from(`${headers.map(([n, v]) => `${n}: ${v}`).join(eol)}${eol}${eol}${body}`, 'utf8'),
      );
    const bytes = fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a));
    const damaged = fc
      .tuple(
        fc.constantFrom(...corpus.filter((c) => c.raw.length < 20_000).map((c) => c.raw)),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
        fc.nat(),
      )
      .map(([raw, flips, cut]) => {
        const copy = Buffer.from(raw);
        for (const [at, value] of flips) copy[at % copy.length] = value;
        return copy.subarray(0, Math.max(1, copy.length - (cut % 64)));
      });

    await fc.assert(
      fc.asyncProperty(fc.oneof(headerSoup, bytes, damaged), fc.boolean(), async (raw, overSmtp) => {
        const result = await t.services.inboundEmail.ingest(
          overSmtp
            ? { mailboxId: null, raw, source: 'smtp', recipients: [SUPPORT], envelopeFrom: '' }
            : { mailboxId: supportId, raw, source: 'imap' },
        );
        await expectAccountedFor(result);
      }),
      { numRuns: 250 },
    );
  });
});
