import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { DB, MailboxesTable } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TMailboxRow = Selectable<MailboxesTable>;

export type TNewMailboxRow = {
  address: string;
  name: string;
  group_id: number | null;
  inbound_type: 'smtp' | 'imap';
  imap: string | null;
  imap_password_enc: string | null;
  outbound: string;
  smtp_password_enc: string | null;
  signature: string;
  auto_acknowledge: boolean;
  created_at: Date;
  updated_at: Date;
};

export const mailboxRepository = {
  list: (db: TExecutor) => db.selectFrom('mailboxes').selectAll().orderBy('id').execute(),

  listActive: (db: TExecutor) =>
    db.selectFrom('mailboxes').selectAll().where('is_active', '=', true).orderBy('id').execute(),

  findById: (db: TExecutor, id: number) =>
    db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst(),

  /** Locks the row for the rest of the transaction: edits queue up behind each other. */
  findForUpdate: (db: TExecutor, id: number) =>
    db.selectFrom('mailboxes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),

  findByAddress: (db: TExecutor, address: string) =>
    db
      .selectFrom('mailboxes')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['address']), '=', address.toLowerCase()))
      .executeTakeFirst(),

  /** The active mailbox of a group (the oldest when there are several), else undefined. */
  findActiveOfGroup: (db: TExecutor, groupId: number) =>
    db
      .selectFrom('mailboxes')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('is_active', '=', true)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst(),

  insert: (db: TExecutor, values: TNewMailboxRow) =>
    db.insertInto('mailboxes').values(values).returning('id').executeTakeFirstOrThrow(),

  update: (db: TExecutor, id: number, values: Updateable<MailboxesTable>) =>
    db
      .updateTable('mailboxes')
      .set(values)
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute(),
};
