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

export const searchRepository = {
  tickets: async (db: Kysely<DB>, text: string, limit: number, allWords: boolean) =>
    (
      await sql<{ id: number; subject: string; updated_at: Date; rank: number; snippet: string }>`
        WITH q AS (SELECT ${tsQuery(text, allWords)} AS query)
        SELECT t.id, t.subject, t.updated_at, t.rank,
               ts_headline('russian', t.subject, q.query, ${HL}) AS snippet
        FROM (
          SELECT tickets.id, tickets.subject, tickets.updated_at, ts_rank_cd(tickets.search, q.query) AS rank
          FROM tickets, q
          WHERE tickets.search @@ q.query AND tickets.merged_into_id IS NULL AND tickets.deleted_at IS NULL
          ORDER BY rank DESC, tickets.updated_at DESC
          LIMIT ${limit}
        ) t, q
        ORDER BY t.rank DESC, t.updated_at DESC`.execute(db)
    ).rows,

  messages: async (db: Kysely<DB>, text: string, limit: number, allWords: boolean) =>
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
          WHERE messages.search @@ q.query
          ORDER BY rank DESC, messages.created_at DESC
          LIMIT ${limit}
        ) m
        JOIN messages ON messages.id = m.id
        JOIN tickets ON tickets.id = m.ticket_id, q
        ORDER BY m.rank DESC, m.created_at DESC`.execute(db)
    ).rows,

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
