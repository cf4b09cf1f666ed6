import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TTestDatabase } from '../../../../test/database.ts';
import { verifyPassword } from '../auth/password.ts';
import { seedDemo, type TDemoSummary } from './demo.seed.ts';

const NOW = new Date('2026-11-20T09:30:00Z');
const TODAY = '2026-11-20';
const CATEGORIES = [
  'refund',
  'cancellation',
  'payment',
  'booking_change',
  'bonuses',
  'offer_terms',
  'payout',
  'listing',
  'quality_complaint',
  'other',
];

let database: TTestDatabase;
let summary: TDemoSummary;

beforeAll(async () => {
  database = await createTestDatabase();
  summary = await seedDemo(database.db, { now: NOW });
});

afterAll(async () => {
  await database?.drop();
});

const rows = async <T>(query: ReturnType<typeof sql<T>>): Promise<T[]> =>
  (await query.execute(database.db)).rows;

/** What two seeds must agree on: every ticket, in id order, with its messages. */
const snapshotOf = async (db: TTestDatabase) => ({
  tickets: await db.db
    .selectFrom('tickets')
    .select([
      'id',
      'subject',
      'status',
      'priority',
      'channel',
      'category',
      'tags',
      'assignee_id',
      'created_at',
    ])
    .orderBy('id')
    .execute(),
  messages: await db.db
    .selectFrom('messages')
    .select(['ticket_id', 'body_text', 'created_at'])
    .orderBy('id')
    .execute(),
  events: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ticket_events`.execute(db.db)).rows[0].n,
});

describe('seedDemo', () => {
  it('seeds a workspace of the advertised size, and says so', async () => {
    expect(summary).toMatchObject({ users: 13, groups: 4 });
    expect(summary.travelers).toBeGreaterThanOrEqual(55);
    expect(summary.travelers).toBeLessThanOrEqual(65);
    expect(summary.organizers).toBeGreaterThanOrEqual(12);
    expect(summary.organizers).toBeLessThanOrEqual(18);
    expect(summary.tours).toBeGreaterThanOrEqual(25);
    expect(summary.tours).toBeLessThanOrEqual(35);
    expect(summary.bookings).toBeGreaterThanOrEqual(120);
    expect(summary.bookings).toBeLessThanOrEqual(180);
    expect(summary.tickets).toBeGreaterThanOrEqual(270);
    expect(summary.tickets).toBeLessThanOrEqual(330);
    expect(summary.messages).toBeGreaterThanOrEqual(2 * summary.tickets);
    expect(summary.messages).toBeLessThanOrEqual(8 * summary.tickets);
    const [counts] = await rows(sql<Record<string, number>>`
      SELECT
        (SELECT count(*)::int FROM users) AS users,
        (SELECT count(*)::int FROM groups) AS groups,
        (SELECT count(*)::int FROM contacts WHERE kind = 'traveler') AS travelers,
        (SELECT count(*)::int FROM contacts WHERE kind = 'organizer') AS organizers,
        (SELECT count(*)::int FROM tours) AS tours,
        (SELECT count(*)::int FROM bookings) AS bookings,
        (SELECT count(*)::int FROM tickets) AS tickets,
        (SELECT count(*)::int FROM messages) AS messages`);
    const { logins, ...figures } = summary;
    expect(counts).toEqual(figures);
    expect(logins).toHaveLength(13);
  });

  it('gives every member of staff a working demo login', async () => {
    const users = await database.db.selectFrom('users').selectAll().orderBy('id').execute();
    const byRole = (role: string) => users.filter((u) => u.role === role);
    expect(byRole('admin').map((u) => u.email)).toEqual(['admin@demo.tourdesk.local']);
    expect(byRole('supervisor')).toHaveLength(2);
    expect(byRole('agent')).toHaveLength(8);
    expect(byRole('department_member').map((u) => u.department)).toEqual(['finance', 'legal']);
    expect(users.every((u) => u.locale === 'ru')).toBe(true);
    expect(summary.logins.every((l) => l.password === 'demo12345')).toBe(true);
    expect(new Set(users.map((u) => u.password_hash)).size).toBe(1);
    expect(await verifyPassword(users[0].password_hash ?? '', 'demo12345')).toBe(true);
  });

  it('puts each agent in one or two groups and the supervisors in all four', async () => {
    const memberships = await rows(sql<{ role: string; groups: number }>`
      SELECT u.role, count(gm.group_id)::int AS groups
      FROM users u LEFT JOIN group_members gm ON gm.user_id = u.id
      WHERE u.role IN ('agent', 'supervisor') GROUP BY u.id, u.role`);
    for (const m of memberships) {
      if (m.role === 'supervisor') expect(m.groups).toBe(4);
      else expect([1, 2]).toContain(m.groups);
    }
    const groups = await database.db
      .selectFrom('groups')
      .select(['name', 'description'])
      .orderBy('id')
      .execute();
    expect(groups.map((g) => g.name)).toEqual(['Путешественники', 'Организаторы', 'Платежи', 'Претензии']);
    expect(groups.every((g) => g.description.length > 0)).toBe(true);
  });

  it('gives every contact a lowercase email identity and most a +79… phone', async () => {
    const contacts = await rows(sql<{ email: string | null; phone: string | null; telegram: string | null }>`
      SELECT
        (SELECT value FROM contact_identities i WHERE i.contact_id = c.id AND channel = 'email') AS email,
        (SELECT value FROM contact_identities i WHERE i.contact_id = c.id AND channel = 'phone') AS phone,
        (SELECT value FROM contact_identities i WHERE i.contact_id = c.id AND channel = 'telegram') AS telegram
      FROM contacts c`);
    expect(contacts.every((c) => c.email !== null && c.email === c.email.toLowerCase())).toBe(true);
    const phones = contacts.flatMap((c) => (c.phone ? [c.phone] : []));
    expect(phones.length / contacts.length).toBeGreaterThan(0.7);
    expect(phones.every((p) => /^\+79\d{9}$/.test(p))).toBe(true);
    expect(contacts.filter((c) => c.telegram !== null).length).toBeGreaterThanOrEqual(3);
    const withExtras = await rows(sql<{ bonus: number; discounts: number; agencies: number }>`
      SELECT count(*) FILTER (WHERE bonus_balance > 0)::int AS bonus,
             count(*) FILTER (WHERE jsonb_array_length(discounts) > 0)::int AS discounts,
             count(*) FILTER (WHERE organization_id IS NOT NULL)::int AS agencies
      FROM contacts`);
    expect(withExtras[0].bonus).toBeGreaterThan(5);
    expect(withExtras[0].discounts).toBeGreaterThan(3);
    expect(withExtras[0].agencies).toBeGreaterThan(3);
  });

  it('schedules departures around today and keeps bookings consistent with them', async () => {
    const departures = await rows(sql<{ tour_id: number; offset: number }>`
      SELECT tour_id, (starts_on - ${TODAY}::date) AS offset FROM tour_departures`);
    const perTour = new Map<number, number>();
    for (const d of departures) perTour.set(d.tour_id, (perTour.get(d.tour_id) ?? 0) + 1);
    expect([...perTour.values()].every((n) => n >= 2 && n <= 3)).toBe(true);
    expect(departures.some((d) => d.offset < 0 && d.offset >= -60)).toBe(true);
    expect(departures.some((d) => d.offset > 3 && d.offset <= 60)).toBe(true);
    expect(departures.filter((d) => d.offset >= 0 && d.offset <= 3).length).toBeGreaterThanOrEqual(3);

    const bookings = await rows(
      sql<{
        code: string;
        status: string;
        starts_on: string;
        ends_on: string;
        participants: number;
        amount: number;
        paid_amount: number;
        refunded_amount: number;
        bonus_used: number;
        booked_at: Date;
      }>`
        SELECT b.code, b.status, d.starts_on, d.ends_on, b.participants, b.amount, b.paid_amount,
               b.refunded_amount, b.bonus_used, b.booked_at
        FROM bookings b JOIN tour_departures d ON d.id = b.departure_id`,
    );
    expect(new Set(bookings.map((b) => b.code)).size).toBe(bookings.length);
    for (const b of bookings) {
      expect(b.code).toMatch(/^TD-\d{6}$/);
      if (b.status === 'completed') expect(b.ends_on < TODAY).toBe(true);
      if (b.status === 'pending' || b.status === 'confirmed') expect(b.ends_on >= TODAY).toBe(true);
      expect(b.amount / b.participants).toBeGreaterThanOrEqual(25_000);
      expect(b.amount / b.participants).toBeLessThanOrEqual(180_000);
      expect(b.paid_amount + b.bonus_used).toBeLessThanOrEqual(b.amount);
      expect(b.refunded_amount).toBeLessThanOrEqual(b.paid_amount);
      expect(b.booked_at.getTime()).toBeLessThan(NOW.getTime());
    }
    expect(new Set(bookings.map((b) => b.status))).toEqual(
      new Set(['pending', 'confirmed', 'cancelled', 'completed']),
    );
    expect(bookings.some((b) => b.status === 'cancelled' && b.refunded_amount > 0)).toBe(true);
    expect(bookings.some((b) => b.bonus_used > 0)).toBe(true);
  });

  it('starts every ticket with a created event and the customer message, in time order, never after now', async () => {
    const badStart = await rows(sql<{ id: number }>`
      SELECT t.id FROM tickets t
      WHERE (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'created') <> 1
         OR (SELECT e.type FROM ticket_events e WHERE e.ticket_id = t.id ORDER BY e.id LIMIT 1) <> 'created'`);
    expect(badStart).toEqual([]);
    const messageCounts = await rows(sql<{ n: number; first_author: string | null; merged: boolean }>`
      SELECT count(m.id)::int AS n, t.merged_into_id IS NOT NULL AS merged,
             (SELECT author_kind FROM messages f WHERE f.ticket_id = t.id ORDER BY f.created_at, f.id LIMIT 1) AS first_author
      FROM tickets t LEFT JOIN messages m ON m.ticket_id = t.id GROUP BY t.id`);
    // A merged duplicate's messages moved to its target, as the merge in the ticket service does.
    for (const t of messageCounts.filter((c) => !c.merged)) {
      expect(t.n).toBeGreaterThanOrEqual(2);
      expect(t.n).toBeLessThanOrEqual(8);
      expect(t.first_author).toBe('contact');
    }
    const orphans = await rows(sql<{ id: number }>`
      SELECT m.id FROM messages m LEFT JOIN tickets t ON t.id = m.ticket_id WHERE t.id IS NULL`);
    expect(orphans).toEqual([]);
    const unordered = await rows(sql<{ ticket_id: number }>`
      SELECT ticket_id FROM (
        SELECT ticket_id, at, lag(at) OVER (PARTITION BY ticket_id ORDER BY id) AS previous FROM ticket_events) x
      WHERE previous > at`);
    expect(unordered).toEqual([]);
    const [future] = await rows(sql<{ messages: number; events: number }>`
      SELECT (SELECT count(*)::int FROM messages WHERE created_at > ${NOW}) AS messages,
             (SELECT count(*)::int FROM ticket_events WHERE at > ${NOW}) AS events`);
    expect(future).toEqual({ messages: 0, events: 0 });
    const dangling = await rows(sql<{ id: number }>`
      SELECT e.id FROM ticket_events e
      WHERE e.type IN ('message_added', 'note_added')
        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = (e.data->>'messageId')::bigint)`);
    expect(dangling).toEqual([]);
  });

  it('keeps each ticket row consistent with its history', async () => {
    const tickets = await rows(
      sql<{
        id: number;
        status: string;
        last_status: string | null;
        solved_at: Date | null;
        closed_at: Date | null;
        updated_at: Date;
        last_event_at: Date;
        last_message_at: Date | null;
        last_reply_at: Date | null;
        merged: boolean;
        assignee_in_group: boolean | null;
      }>`
        SELECT t.id, t.status, t.solved_at, t.closed_at, t.updated_at, t.last_message_at,
               t.merged_into_id IS NOT NULL AS merged,
               (SELECT e.data->>'after' FROM ticket_events e
                 WHERE e.ticket_id = t.id AND e.type = 'status_changed' ORDER BY e.id DESC LIMIT 1) AS last_status,
               (SELECT max(e.at) FROM ticket_events e WHERE e.ticket_id = t.id) AS last_event_at,
               (SELECT max(m.created_at) FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'reply') AS last_reply_at,
               CASE WHEN t.assignee_id IS NULL THEN NULL ELSE EXISTS (
                 SELECT 1 FROM group_members gm WHERE gm.group_id = t.group_id AND gm.user_id = t.assignee_id) END
                 AS assignee_in_group
        FROM tickets t`,
    );
    for (const t of tickets) {
      expect(t.updated_at).toEqual(t.last_event_at);
      expect(t.assignee_in_group ?? true).toBe(true);
      if (t.merged) {
        expect(t.status).toBe('closed');
        expect(t.closed_at).not.toBeNull();
        continue;
      }
      expect(t.status).toBe(t.last_status ?? 'new');
      expect(t.last_message_at).toEqual(t.last_reply_at);
      if (t.status === 'solved' || t.status === 'closed') expect(t.solved_at).not.toBeNull();
      else expect(t.solved_at).toBeNull();
      expect(t.closed_at !== null).toBe(t.status === 'closed');
    }
    const newOnes = tickets.filter((t) => t.status === 'new' && !t.merged);
    expect(newOnes.length).toBeGreaterThan(3);
  });

  it('mixes channels, requesters, languages, categories and statuses like a real inbox', async () => {
    const tickets = await rows(
      sql<{
        channel: string;
        status: string;
        priority: string;
        category: string | null;
        kind: string;
        language: string | null;
        age_days: number;
        spam: boolean;
        assigned: boolean;
      }>`
        SELECT t.channel, t.status, t.priority, t.category, c.kind, c.language, t.is_spam AS spam,
               t.assignee_id IS NOT NULL AS assigned,
               extract(epoch FROM (${NOW}::timestamptz - t.created_at))::float / 86400 AS age_days
        FROM tickets t JOIN contacts c ON c.id = t.requester_id`,
    );
    const share = (f: (t: (typeof tickets)[number]) => boolean) => tickets.filter(f).length / tickets.length;
    expect(share((t) => t.channel === 'email')).toBeGreaterThan(0.4);
    expect(share((t) => t.channel === 'email')).toBeLessThan(0.6);
    expect(share((t) => t.channel === 'chat')).toBeGreaterThan(0.15);
    expect(share((t) => t.channel === 'chat')).toBeLessThan(0.35);
    for (const channel of ['telegram', 'phone', 'web'])
      expect(share((t) => t.channel === channel)).toBeGreaterThan(0.02);
    expect(share((t) => t.kind === 'organizer')).toBeGreaterThan(0.1);
    expect(share((t) => t.kind === 'organizer')).toBeLessThan(0.3);
    expect(share((t) => t.language === 'en')).toBeGreaterThan(0.05);
    expect(share((t) => t.language === 'en')).toBeLessThan(0.15);
    expect(new Set(tickets.map((t) => t.category).filter((c) => c !== null))).toEqual(new Set(CATEGORIES));
    expect(tickets.every((t) => t.age_days >= 0 && t.age_days <= 60)).toBe(true);
    const old = tickets.filter((t) => t.age_days > 14 && !t.spam);
    expect(
      old.filter((t) => t.status === 'solved' || t.status === 'closed').length / old.length,
    ).toBeGreaterThan(0.9);
    const recent = tickets.filter((t) => t.age_days < 2 && !t.spam);
    expect(
      recent.filter((t) => ['new', 'open', 'pending', 'on_hold'].includes(t.status)).length / recent.length,
    ).toBeGreaterThan(0.5);
    expect(new Set(tickets.map((t) => t.status))).toEqual(
      new Set(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']),
    );
    expect(tickets.some((t) => t.priority === 'urgent' || t.priority === 'high')).toBe(true);
    const unassignedNew = tickets.filter((t) => t.status === 'new' && !t.spam);
    expect(unassignedNew.filter((t) => !t.assigned).length / unassignedNew.length).toBeGreaterThan(0.5);
  });

  it('records reopenings, system closes, tag and priority changes and notes', async () => {
    const events = await rows(sql<{ type: string; actor_kind: string; n: number }>`
      SELECT type, actor_kind, count(*)::int AS n FROM ticket_events GROUP BY type, actor_kind`);
    const count = (type: string, actor?: string) =>
      events
        .filter((e) => e.type === type && (!actor || e.actor_kind === actor))
        .reduce((s, e) => s + e.n, 0);
    expect(count('reopened')).toBeGreaterThan(0);
    expect(count('status_changed', 'system')).toBeGreaterThan(0);
    expect(count('status_changed', 'contact')).toBeGreaterThan(0);
    expect(count('tags_changed', 'user')).toBeGreaterThan(0);
    expect(count('priority_changed', 'user')).toBeGreaterThan(0);
    expect(count('note_added', 'user')).toBeGreaterThan(0);
    expect(count('assignee_changed', 'user')).toBeGreaterThan(0);
    const created = await rows(sql<{ actor_kind: string; has_contact: boolean }>`
      SELECT DISTINCT actor_kind, actor_contact_id IS NOT NULL AS has_contact FROM ticket_events WHERE type = 'created'`);
    expect(created).toEqual([{ actor_kind: 'contact', has_contact: true }]);
  });

  it('marks a few tickets as spam and merges two duplicates into their originals', async () => {
    const spam = await database.db.selectFrom('tickets').select('id').where('is_spam', '=', true).execute();
    expect(spam.length).toBeGreaterThanOrEqual(3);
    const merged = await rows(sql<{ id: number; target: number; into: number; from: number; own: number }>`
      SELECT t.id, t.merged_into_id AS target,
             (SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'merged_into'
                AND (e.data->>'targetId')::int = t.merged_into_id) AS into,
             (SELECT count(*)::int FROM ticket_events e WHERE e.ticket_id = t.merged_into_id AND e.type = 'merged_from'
                AND (e.data->>'sourceId')::int = t.id) AS from,
             (SELECT count(*)::int FROM messages m WHERE m.ticket_id = t.id) AS own
      FROM tickets t WHERE t.merged_into_id IS NOT NULL`);
    expect(merged).toHaveLength(2);
    for (const m of merged) expect(m).toMatchObject({ into: 1, from: 1, own: 0 });
  });

  it('fills every placeholder and stores sanitized html', async () => {
    const [leftovers] = await rows(sql<{ subjects: number; bodies: number; html: number }>`
      SELECT (SELECT count(*)::int FROM tickets WHERE subject ~ '\\{\\w+\\}') AS subjects,
             (SELECT count(*)::int FROM messages WHERE body_text ~ '\\{\\w+\\}') AS bodies,
             (SELECT count(*)::int FROM messages WHERE body_html NOT LIKE '<p>%</p>') AS html`);
    expect(leftovers).toEqual({ subjects: 0, bodies: 0, html: 0 });
  });

  it('is deterministic for a given now, and fits any other now', async () => {
    const same = await createTestDatabase();
    const other = await createTestDatabase();
    try {
      await seedDemo(same.db, { now: NOW });
      expect(await snapshotOf(same)).toEqual(await snapshotOf(database));
      const later = new Date('2027-03-03T18:45:00Z');
      const otherSummary = await seedDemo(other.db, { now: later });
      expect(otherSummary.tickets).toBe(summary.tickets);
      const [range] = (
        await sql<{ first: Date; last: Date; leftovers: number }>`
          SELECT min(created_at) AS first, max(created_at) AS last,
                 (SELECT count(*)::int FROM messages WHERE body_text ~ '\\{\\w+\\}') AS leftovers
          FROM messages`.execute(other.db)
      ).rows;
      expect(range.last.getTime()).toBeLessThanOrEqual(later.getTime());
      expect(range.first.getTime()).toBeGreaterThan(later.getTime() - 61 * 86_400_000);
      expect(range.leftovers).toBe(0);
    } finally {
      await same.drop();
      await other.drop();
    }
  });

  it('refuses a database that already holds data', async () => {
    await expect(seedDemo(database.db, { now: NOW })).rejects.toThrow(/empty database/);
  });
});
