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
export const NEWEST_WINDOW = 10_000;

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
  window: number,
): Promise<T[]> => {
  const maxId = Number(
    (await sql<{ id: number | null }>`SELECT max(id) AS id FROM ${sql.table(table)}`.execute(db)).rows[0]
      ?.id ?? 0,
  );
  if (maxId > window) {
    const rows = await run(maxId - window);
    if (rows.length >= limit) return rows;
  }
  return run(0);
};

/**
 * The rows a pass looks at. The newest-rows pass is fenced (OFFSET 0) into a primary-key range
 * scan: the planner, underestimating a common word, would otherwise AND the range with the
 * word's whole GIN posting list (200,000 entries, ~230 ms) instead of filtering 10,000 rows (~10 ms).
 */
const rowsFrom = (table: 'tickets' | 'messages', floor: number) =>
  floor > 0
    ? sql`(SELECT * FROM ${sql.table(table)} WHERE id > ${floor} OFFSET 0) AS ${sql.table(table)}`
    : sql.table(table);

// Every query below names its tsquery in a CTE used twice; NOT MATERIALIZED lets the planner
// fold the (immutable) search_query() call into a constant instead of treating it as unknown.
export const searchRepository = {
  tickets: async (db: Kysely<DB>, text: string, limit: number, allWords: boolean, window = NEWEST_WINDOW) =>
    newestFirst(
      db,
      'tickets',
      limit,
      async (floor) =>
        (
          await sql<{ id: number; subject: string; updated_at: Date; rank: number; snippet: string }>`
          WITH q AS NOT MATERIALIZED (SELECT ${tsQuery(text, allWords)} AS query)
          SELECT t.id, t.subject, t.updated_at, t.rank,
                 ts_headline('russian', t.subject, q.query, ${HL}) AS snippet
          FROM (
            SELECT tickets.id, tickets.subject, tickets.updated_at, ts_rank_cd(tickets.search, q.query) AS rank
            FROM ${rowsFrom('tickets', floor)}, q
            WHERE tickets.search @@ q.query
              AND tickets.merged_into_id IS NULL AND tickets.deleted_at IS NULL
            ORDER BY rank DESC, tickets.updated_at DESC
            LIMIT ${limit}
          ) t, q
          ORDER BY t.rank DESC, t.updated_at DESC`.execute(db)
        ).rows,
      window,
    ),

  messages: async (db: Kysely<DB>, text: string, limit: number, allWords: boolean, window = NEWEST_WINDOW) =>
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
          WITH q AS NOT MATERIALIZED (SELECT ${tsQuery(text, allWords)} AS query)
          SELECT m.id, m.ticket_id, tickets.subject, m.created_at, m.rank,
                 ts_headline('russian', left(messages.body_text, 20000), q.query, ${HL}) AS snippet
          FROM (
            SELECT messages.id, messages.ticket_id, messages.created_at, ts_rank_cd(messages.search, q.query) AS rank
            FROM ${rowsFrom('messages', floor)}, q
            WHERE messages.search @@ q.query
            ORDER BY rank DESC, messages.created_at DESC
            LIMIT ${limit}
          ) m
          JOIN messages ON messages.id = m.id
          JOIN tickets ON tickets.id = m.ticket_id, q
          ORDER BY m.rank DESC, m.created_at DESC`.execute(db)
        ).rows,
      window,
    ),

  contacts: async (db: Kysely<DB>, text: string, limit: number, allWords: boolean) =>
    // Name words through the GIN index, or an identity (email, phone) by prefix through its
    // btree: a UNION keeps both indexable where an OR across the two tables would scan.
    (
      await sql<{ id: number; name: string; updated_at: Date; rank: number; snippet: string }>`
        WITH q AS NOT MATERIALIZED (SELECT ${tsQuery(text, allWords)} || plainto_tsquery('simple', ${text}) AS query),
        hits AS (
          SELECT contacts.id FROM contacts, q WHERE contacts.search @@ q.query
          UNION
          SELECT ci.contact_id FROM contact_identities ci
          WHERE ci.value LIKE ${`${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}
        )
        SELECT contacts.id, contacts.name, contacts.updated_at,
               ts_rank_cd(contacts.search, q.query) AS rank,
               coalesce((SELECT string_agg(value, ', ') FROM contact_identities ci WHERE ci.contact_id = contacts.id), '') AS snippet
        FROM hits JOIN contacts ON contacts.id = hits.id, q
        WHERE contacts.merged_into_id IS NULL
        ORDER BY rank DESC, contacts.id DESC
        LIMIT ${limit}`.execute(db)
    ).rows,
};
