import type { Kysely, Transaction, Updateable } from 'kysely';
import type { DB, WorkspaceSettingsTable } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export const settingsRepository = {
  get: (db: TExecutor) =>
    db.selectFrom('workspace_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow(),

  update: (db: TExecutor, values: Updateable<WorkspaceSettingsTable>, expectedVersion?: number) => {
    let q = db
      .updateTable('workspace_settings')
      .set({ ...values, updated_at: new Date() })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', 1);
    if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
    return q.returning('version').executeTakeFirst();
  },
};
