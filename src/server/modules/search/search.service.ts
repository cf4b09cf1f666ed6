import { requirePermission, type TActor } from '../../access/access.ts';
import type { TServiceDeps } from '../../services.ts';
import { queryWords, searchRepository } from './search.repository.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes the headline and turns the database's match markers into <mark>. */
export const highlight = (headline: string): string =>
  headline
    .replace(/[&<>"']/g, (c) => ESCAPES[c])
    .replaceAll('\u0002', '<mark>')
    .replaceAll('\u0003', '</mark>');

type THit = {
  type: 'ticket' | 'message' | 'contact';
  id: number;
  ticketId: number | null;
  title: string;
  snippet: string;
  rank: number;
  updatedAt: string;
};

export const createSearchService = ({ database }: TServiceDeps) => {
  const { db } = database;
  return {
    /** Ranked full-text search over ticket subjects, messages and contacts, Russian and English. */
    search: async (actor: TActor, q: string, limit: number, type?: THit['type']) => {
      requirePermission(actor, 'search');
      const run = (allWords: boolean) =>
        Promise.all([
          !type || type === 'ticket' ? searchRepository.tickets(db, q, limit, allWords) : [],
          !type || type === 'message' ? searchRepository.messages(db, q, limit, allWords) : [],
          !type || type === 'contact' ? searchRepository.contacts(db, q, limit, allWords) : [],
        ]);
      // Every word first; only when nothing has them all, any of them (ranked by how many match).
      let [tickets, messages, contacts] = await run(true);
      if (tickets.length + messages.length + contacts.length === 0 && queryWords(q).length > 1) {
        [tickets, messages, contacts] = await run(false);
      }
      const hits: THit[] = [
        ...tickets.map((t) => ({
          type: 'ticket' as const,
          id: t.id,
          ticketId: t.id,
          title: t.subject,
          snippet: highlight(t.snippet),
          rank: Number(t.rank),
          updatedAt: t.updated_at.toISOString(),
        })),
        ...messages.map((m) => ({
          type: 'message' as const,
          id: m.id,
          ticketId: m.ticket_id,
          title: m.subject,
          snippet: highlight(m.snippet),
          rank: Number(m.rank),
          updatedAt: m.created_at.toISOString(),
        })),
        ...contacts.map((c) => ({
          type: 'contact' as const,
          id: c.id,
          ticketId: null,
          title: c.name,
          snippet: highlight(c.snippet),
          rank: Number(c.rank),
          updatedAt: c.updated_at.toISOString(),
        })),
      ];
      hits.sort((a, b) => b.rank - a.rank || b.updatedAt.localeCompare(a.updatedAt));
      return { query: q, items: hits.slice(0, limit) };
    },
  };
};
