import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TInboxFilter, ticketRepository } from '../src/server/modules/tickets/ticket.repository.ts';
import { builtinViews } from '../src/server/modules/views/view.service.ts';
import type { TTicketFilters } from '../src/shared/schemas/tickets.ts';
import { createTestDatabase, type TTestDatabase } from './database.ts';

// Inbox counts run on every inbox load: each built-in one must be answerable from a
// live-ticket index of 0003_views.sql, never by reading the whole table.

let database: TTestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

/** The repository filter the ticket service builds for these view filters (user 1, now). */
const inboxFilterOf = (f: TTicketFilters): TInboxFilter => ({
  statuses: f.status,
  assigneeId: f.assigneeId === 'me' ? 1 : f.assigneeId,
  groupId: f.groupId,
  solvedSince:
    f.solvedWithinDays === undefined ? undefined : new Date(Date.now() - f.solvedWithinDays * 86_400_000),
  includeSpam: false,
});

const planOf = async (filter: TInboxFilter): Promise<string> =>
  database.db.transaction().execute(async (trx) => {
    // An empty table is cheapest to scan; forbid that to see which index the planner can use.
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    const rows = await ticketRepository.countQuery(trx, filter).explain();
    return rows.map((r) => Object.values(r)[0]).join('\n');
  });

describe('view counts are index scans', () => {
  for (const view of builtinViews([{ id: 3, name: 'Refunds' }])) {
    it(view.id, async () => {
      const plan = await planOf(inboxFilterOf(view.filters));
      expect(plan).toMatch(/tickets_live_\w+_idx/);
      expect(plan).not.toMatch(/Seq Scan/);
    });
  }
});
