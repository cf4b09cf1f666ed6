import { UNRESOLVED_STATUSES } from '../../../shared/enums.ts';
import { AppError } from '../../../shared/errors.ts';
import { type TTicketFilters, ZTicketFilters } from '../../../shared/schemas/tickets.ts';
import type {
  TCreateViewRequest,
  TUpdateViewRequest,
  TView,
  TViewList,
} from '../../../shared/schemas/views.ts';
import { seesAllTickets, type TActor } from '../../access/access.ts';
import type { TServiceDeps } from '../../services.ts';
import { mapSavedView } from './view.mapper.ts';
import { type TSavedViewRow, viewRepository } from './view.repository.ts';

/** Saved views a person may keep: each costs one count query whenever the inbox loads. */
export const MAX_SAVED_VIEWS = 50;

type TPerson = Extract<TActor, { kind: 'user' }>;
type TBuiltinView = Pick<TView, 'id' | 'name' | 'filters'>;

const unresolved = () => [...UNRESOLVED_STATUSES];

/** The inbox's fixed views, in sidebar order; names are English, the web app translates them by id. */
export const builtinViews = (groups: { id: number; name: string }[]): TBuiltinView[] => [
  { id: 'my-open', name: 'My open tickets', filters: { assigneeId: 'me', status: ['new', 'open'] } },
  { id: 'unassigned', name: 'Unassigned', filters: { assigneeId: 'none', status: unresolved() } },
  ...groups.map((g) => ({
    id: `group-${g.id}`,
    name: g.name,
    filters: { groupId: g.id, status: unresolved() },
  })),
  { id: 'pending', name: 'Pending', filters: { status: ['pending'] } },
  { id: 'on-hold', name: 'On hold', filters: { status: ['on_hold'] } },
  { id: 'recently-solved', name: 'Recently solved', filters: { solvedWithinDays: 7 } },
  { id: 'all', name: 'All unresolved', filters: { status: unresolved() } },
];

const requirePerson = (actor: TActor): TPerson => {
  if (actor.kind !== 'user')
    throw new AppError('FORBIDDEN', 'Views belong to a person; API tokens have none');
  return actor;
};

/** Writes need an inbox: department members see no tickets, so they keep no views. */
const requireInbox = (actor: TActor): TPerson => {
  const person = requirePerson(actor);
  if (!seesAllTickets(person)) throw new AppError('FORBIDDEN', 'Department members have no inbox views');
  return person;
};

export const createViewService = ({ database, clock, logger, services }: TServiceDeps) => {
  const { db } = database;

  const count = (actor: TActor, filters: TTicketFilters) => services().tickets.count(actor, filters);

  /** Filters as stored, checked again: a view saved under an older schema must not break the inbox. */
  const filtersOf = (row: TSavedViewRow): TTicketFilters | null => {
    const parsed = ZTicketFilters.safeParse(row.filters);
    if (parsed.success) return parsed.data;
    logger.warn({ viewId: row.id, issues: parsed.error.issues }, 'saved view filters no longer valid');
    return null;
  };

  const present = async (actor: TActor, row: TSavedViewRow): Promise<TView> => {
    const filters = filtersOf(row);
    return mapSavedView(row, filters ?? {}, filters ? await count(actor, filters) : 0);
  };

  const requireOwned = (rows: TSavedViewRow[], id: number) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new AppError('VIEW_NOT_FOUND');
    return row;
  };

  return {
    /** Built-in views, then the person's saved views, each with its live count. */
    list: async (actor: TActor): Promise<TViewList> => {
      const person = requirePerson(actor);
      if (!seesAllTickets(person)) return { items: [] };
      const [groups, saved] = await Promise.all([
        services().groups.list(person),
        viewRepository.listOf(db, person.userId),
      ]);
      const builtin = await Promise.all(
        builtinViews(groups).map(
          async (v): Promise<TView> => ({
            ...v,
            kind: 'builtin',
            count: await count(person, v.filters),
          }),
        ),
      );
      return { items: [...builtin, ...(await Promise.all(saved.map((row) => present(person, row))))] };
    },

    create: async (actor: TActor, input: TCreateViewRequest): Promise<TView> => {
      const person = requireInbox(actor);
      const row = await db.transaction().execute(async (trx) => {
        const existing = await viewRepository.lockAllOf(trx, person.userId);
        if (existing.length >= MAX_SAVED_VIEWS)
          throw new AppError('VIEW_LIMIT_REACHED', `At most ${MAX_SAVED_VIEWS} saved views per person`);
        return viewRepository.insert(trx, {
          user_id: person.userId,
          name: input.name,
          filters: JSON.stringify(input.filters),
          position: Math.max(-1, ...existing.map((r) => r.position)) + 1,
          at: clock(),
        });
      });
      return present(person, row);
    },

    /** Renames, refilters or moves one of the person's views; another person's view does not exist. */
    update: async (actor: TActor, id: number, input: TUpdateViewRequest): Promise<TView> => {
      const person = requireInbox(actor);
      const row = await db.transaction().execute(async (trx) => {
        const rows = await viewRepository.lockAllOf(trx, person.userId);
        const current = requireOwned(rows, id);
        if (input.position !== undefined) {
          const order = rows.filter((r) => r.id !== id);
          order.splice(Math.min(input.position, order.length), 0, current);
          for (const [position, r] of order.entries()) {
            if (r.id !== id && r.position !== position) await viewRepository.update(trx, r.id, { position });
          }
        }
        return viewRepository.update(trx, id, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.filters !== undefined && { filters: JSON.stringify(input.filters) }),
          ...(input.position !== undefined && {
            position: Math.min(input.position, rows.length - 1),
          }),
          updated_at: clock(),
        });
      });
      return present(person, row);
    },

    remove: async (actor: TActor, id: number): Promise<void> => {
      const person = requireInbox(actor);
      await db.transaction().execute(async (trx) => {
        requireOwned(await viewRepository.lockAllOf(trx, person.userId), id);
        await viewRepository.remove(trx, id);
      });
    },
  };
};

export type TViewService = ReturnType<typeof createViewService>;
