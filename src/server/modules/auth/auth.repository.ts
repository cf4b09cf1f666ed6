import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export const authRepository = {
  insertSession: (
    db: TExecutor,
    values: { id_hash: string; user_id: number; csrf_token: string; expires_at: Date },
  ) => db.insertInto('sessions').values(values).execute(),

  findSession: (db: TExecutor, idHash: string) =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id_hash',
        'sessions.csrf_token',
        'sessions.expires_at',
        'sessions.last_seen_at',
        'users.id as user_id',
        'users.name',
        'users.role',
        'users.is_active',
      ])
      .where('sessions.id_hash', '=', idHash)
      .executeTakeFirst(),

  touchSession: (db: TExecutor, idHash: string, at: Date, expiresAt: Date) =>
    db
      .updateTable('sessions')
      .set({ last_seen_at: at, expires_at: expiresAt })
      .where('id_hash', '=', idHash)
      .execute(),

  deleteSession: (db: TExecutor, idHash: string) =>
    db.deleteFrom('sessions').where('id_hash', '=', idHash).execute(),

  deleteExpiredSessions: (db: TExecutor, now: Date) =>
    db.deleteFrom('sessions').where('expires_at', '<', now).execute(),

  insertToken: (
    db: TExecutor,
    values: { name: string; role: string; token_hash: string; prefix: string; created_by: number | null },
  ) => db.insertInto('api_tokens').values(values).returningAll().executeTakeFirstOrThrow(),

  findTokenByHash: (db: TExecutor, tokenHash: string) =>
    db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),

  touchToken: (db: TExecutor, id: number, at: Date) =>
    db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute(),

  listTokens: (db: TExecutor) => db.selectFrom('api_tokens').selectAll().orderBy('id').execute(),

  revokeToken: (db: TExecutor, id: number, at: Date) =>
    db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst(),
};
