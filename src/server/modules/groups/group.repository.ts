import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

const groupsQuery = (db: TExecutor) =>
  db
    .selectFrom('groups')
    .selectAll('groups')
    .select((eb) =>
      eb.fn
        .coalesce(
          eb
            .selectFrom('group_members')
            .select((sub) => sub.fn.agg<number[]>('array_agg', ['group_members.user_id']).as('ids'))
            .whereRef('group_members.group_id', '=', 'groups.id'),
          eb.val<number[]>([]),
        )
        .as('member_ids'),
    );

export type TGroupRow = Awaited<ReturnType<ReturnType<typeof groupsQuery>['executeTakeFirstOrThrow']>>;

export const groupRepository = {
  list: (db: TExecutor) => groupsQuery(db).orderBy('groups.id').execute(),
  findById: (db: TExecutor, id: number) => groupsQuery(db).where('groups.id', '=', id).executeTakeFirst(),
  exists: async (db: TExecutor, id: number) =>
    (await db.selectFrom('groups').select('id').where('id', '=', id).executeTakeFirst()) !== undefined,
  insert: (db: TExecutor, v: { name: string; description: string }) =>
    db.insertInto('groups').values(v).returning('id').executeTakeFirstOrThrow(),
  update: (db: TExecutor, id: number, v: { name?: string; description?: string }) =>
    db
      .updateTable('groups')
      .set(v)
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute(),
  setMembers: async (db: TExecutor, groupId: number, userIds: number[]) => {
    await db.deleteFrom('group_members').where('group_id', '=', groupId).execute();
    if (userIds.length > 0) {
      await db
        .insertInto('group_members')
        .values([...new Set(userIds)].map((user_id) => ({ group_id: groupId, user_id })))
        .execute();
    }
  },
  existingUserIds: async (db: TExecutor, ids: number[]) =>
    ids.length === 0
      ? []
      : (await db.selectFrom('users').select('id').where('id', 'in', ids).execute()).map((r) => r.id),
};
