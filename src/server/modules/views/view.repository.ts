import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, SavedViewsTable } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TSavedViewRow = Selectable<SavedViewsTable>;

export const viewRepository = {
  /** One user's saved views in their order. */
  listOf: (db: TExecutor, userId: number) =>
    db
      .selectFrom('saved_views')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('position')
      .orderBy('id')
      .execute(),

  /** Locks the user's saved views, so that two writes cannot both take the last place or the same position. */
  lockAllOf: (db: TExecutor, userId: number) =>
    db
      .selectFrom('saved_views')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('position')
      .orderBy('id')
      .forUpdate()
      .execute(),

  insert: (
    db: TExecutor,
    v: { user_id: number; name: string; filters: string; position: number; at: Date },
  ) =>
    db
      .insertInto('saved_views')
      .values({
        user_id: v.user_id,
        name: v.name,
        filters: v.filters,
        position: v.position,
        created_at: v.at,
        updated_at: v.at,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),

  update: (
    db: TExecutor,
    id: number,
    v: { name?: string; filters?: string; position?: number; updated_at?: Date },
  ) => db.updateTable('saved_views').set(v).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

  remove: (db: TExecutor, id: number) => db.deleteFrom('saved_views').where('id', '=', id).execute(),
};
