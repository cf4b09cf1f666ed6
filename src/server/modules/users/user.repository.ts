import type { Kysely, Transaction } from 'kysely';
import type { DB, UserRow } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TUserWithGroups = UserRow & { group_ids: number[] };

const withGroups = (db: TExecutor) =>
  db
    .selectFrom('users')
    .selectAll('users')
    .select((eb) =>
      eb.fn
        .coalesce(
          eb
            .selectFrom('group_members')
            .select((sub) => sub.fn.agg<number[]>('array_agg', ['group_members.group_id']).as('ids'))
            .whereRef('group_members.user_id', '=', 'users.id'),
          eb.val<number[]>([]),
        )
        .as('group_ids'),
    );

export const userRepository = {
  findById: (db: TExecutor, id: number) =>
    withGroups(db).where('users.id', '=', id).executeTakeFirst() as Promise<TUserWithGroups | undefined>,

  findByEmail: (db: TExecutor, email: string) =>
    db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst(),

  list: (db: TExecutor, options: { limit: number; afterId?: number; role?: string }) => {
    let q = withGroups(db)
      .orderBy('users.id')
      .limit(options.limit + 1);
    if (options.afterId !== undefined) q = q.where('users.id', '>', options.afterId);
    if (options.role) q = q.where('users.role', '=', options.role);
    return q.execute() as Promise<TUserWithGroups[]>;
  },

  count: async (db: TExecutor) =>
    Number(
      (
        await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),

  insert: (
    db: TExecutor,
    values: {
      email: string;
      name: string;
      role: string;
      password_hash: string | null;
      department: string | null;
      locale: string;
    },
  ) => db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow(),

  update: (db: TExecutor, id: number, values: Partial<Omit<UserRow, 'id' | 'created_at'>>) =>
    db
      .updateTable('users')
      .set({ ...values, updated_at: new Date() })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .executeTakeFirst(),

  setGroups: async (db: TExecutor, userId: number, groupIds: number[]) => {
    await db.deleteFrom('group_members').where('user_id', '=', userId).execute();
    if (groupIds.length > 0) {
      await db
        .insertInto('group_members')
        // A group listed twice is one membership, not a primary-key violation.
        .values([...new Set(groupIds)].map((group_id) => ({ group_id, user_id: userId })))
        .execute();
    }
  },

  existingGroupIds: async (db: TExecutor, ids: number[]) =>
    ids.length === 0
      ? []
      : (await db.selectFrom('groups').select('id').where('id', 'in', ids).execute()).map((r) => r.id),

  /** Stores the running count of recent failures; a lock starts the next count from zero. */
  recordLoginFailure: (db: TExecutor, id: number, failures: number, lockUntil: Date | null, at: Date) =>
    db
      .updateTable('users')
      .set({ failed_logins: lockUntil ? 0 : failures, locked_until: lockUntil, last_failed_login_at: at })
      .where('id', '=', id)
      .execute(),

  deleteSessions: (db: TExecutor, userId: number) =>
    db.deleteFrom('sessions').where('user_id', '=', userId).execute(),

  recordLoginSuccess: (db: TExecutor, id: number) =>
    db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute(),
};
