import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/types.ts';

/** The words of a query as the database's search_query() takes them. */
export const queryWords = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);

const tsQuery = (text: string, allWords: boolean) =>
  sql`search_query(${queryWords(text)}::text[], ${allWords})`;

const HL = `StartSel=\u0002, StopSel=\u0003, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "`;

/** How many of the newest rows the first pass looks at; the next pass looks at all of them. */
const WINDOWS = [10_000];

/**
 * Ranks matches among the newest rows first and widens only when that finds fewer than
 * `limit`: a common word ("деньги") then ranks a few thousand recent matches instead of
 * every match in the table, while a rare one still reaches the oldest rows through the
 * GIN index. See docs/decisions/0003-search-semantics.md.
 */
const newestFirst = async <T>(
  db: Kysely<DB>,
  table: 'tickets' | 'messages',
  limit: number,
  run: (floorId: number) => Promise<T[]>,
): Promise<T[]> => {
  const maxId = Number(
    (await sql<{ id: number | null }>`SELECT max(id) AS id FROM ${sql.table(table)}`.execute(db)).rows[0]
      ?.id ?? 0,
  );
  for (const window of WINDOWS) {
    if (maxId <= window) break;
    const rows = await run(maxId - window);
    if (rows.length >= limit) return rows;
  }
  return run(0);
};

export const searchRepository = {
  tickets: async (db: Kysely<DB>, text: string, limit: number, allWords: boolean) =>
    newestFirst(
      db,
      'tickets',
      limit,
      async (floor) =>
        (
          await sql<{ id: number; subject: string; updated_at: Date; rank: number; snippet: string }>`
          WITH q AS (SELECT ${tsQuery(text, allWords)} AS query)
          SELECT t.id, t.subject, t.updated_at, t.rank,
                 ts_headline('russian', t.subject, q.query, ${HL}) AS snippet
          FROM (
            SELECT tickets.id, tickets.subject, tickets.updated_at, ts_rank_cd(tickets.search, q.query) AS rank
            FROM tickets, q
            WHERE tickets.search @@ q.query AND tickets.id > ${floor}
              AND tickets.merged_into_id IS NULL AND tickets.deleted_at IS NULL
            ORDER BY rank DESC, tickets.updated_at DESC
            LIMIT ${limit}
          ) t, q
          ORDER BY t.rank DESC, t.updated_at DESC`.execute(db)
        ).rows,
    ),

  messages: async (db: Kysely<DB>, text: string, limit: number, allWords: boolean) =>
    newestFirst(
      db,
      'messages',
      limit,
      async (floor) =>
        (
          await sql<{
            id: number;
            ticket_id: number;
            subject: string;
            created_at: Date;
            rank: number;
            snippet: string;
          }>`
          WITH q AS (SELECT ${tsQuery(text, allWords)} AS query)
          SELECT m.id, m.ticket_id, tickets.subject, m.created_at, m.rank,
                 ts_headline('russian', left(messages.body_text, 20000), q.query, ${HL}) AS snippet
          FROM (
            SELECT messages.id, messages.ticket_id, messages.created_at, ts_rank_cd(messages.search, q.query) AS rank
            FROM messages, q
            WHERE messages.search @@ q.query AND messages.id > ${floor}
            ORDER BY rank DESC, messages.created_at DESC
            LIMIT ${limit}
          ) m
          JOIN messages ON messages.id = m.id
          JOIN tickets ON tickets.id = m.ticket_id, q
          ORDER BY m.rank DESC, m.created_at DESC`.execute(db)
        ).rows,
    ),

  contacts: async (db: Kysely<DB>, text: string, limit: number, allWords: boolean) =>
    (
      await sql<{ id: number; name: string; updated_at: Date; rank: number; snippet: string }>`
        WITH q AS (SELECT ${tsQuery(text, allWords)} || plainto_tsquery('simple', ${text}) AS query)
        SELECT contacts.id, contacts.name, contacts.updated_at,
               ts_rank_cd(contacts.search, q.query) AS rank,
               coalesce((SELECT string_agg(value, ', ') FROM contact_identities ci WHERE ci.contact_id = contacts.id), '') AS snippet
        FROM contacts, q
        WHERE contacts.merged_into_id IS NULL
          AND (contacts.search @@ q.query OR EXISTS (
            SELECT 1 FROM contact_identities ci WHERE ci.contact_id = contacts.id AND ci.value LIKE ${`${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}
          ))
        ORDER BY rank DESC, contacts.id DESC
        LIMIT ${limit}`.execute(db)
    ).rows,
};
