import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

/** Where an IMAP mailbox's import stands: every UID ≤ lastUid of this folder and UIDVALIDITY is done. */
export type TImapCursor = { folder: string; uidValidity: number; lastUid: number; updatedAt: Date };

export const imapCursorRepository = {
  find: async (db: TExecutor, mailboxId: number): Promise<TImapCursor | undefined> => {
    const row = await db
      .selectFrom('imap_cursors')
      .select(['folder', 'uid_validity', 'last_uid', 'updated_at'])
      .where('mailbox_id', '=', mailboxId)
      .executeTakeFirst();
    return (
      row && {
        folder: row.folder,
        uidValidity: Number(row.uid_validity),
        lastUid: Number(row.last_uid),
        updatedAt: new Date(row.updated_at),
      }
    );
  },

  /** Sets the cursor outright: a first scan of a folder, or a re-scan after UIDVALIDITY changed, has ended. */
  reset: async (
    db: TExecutor,
    input: { mailboxId: number; folder: string; uidValidity: number; lastUid: number },
  ): Promise<void> => {
    await db
      .insertInto('imap_cursors')
      .values({
        mailbox_id: input.mailboxId,
        folder: input.folder,
        uid_validity: input.uidValidity,
        last_uid: input.lastUid,
        updated_at: sql<Date>`now()`,
      })
      .onConflict((oc) =>
        oc.column('mailbox_id').doUpdateSet({
          folder: input.folder,
          uid_validity: input.uidValidity,
          last_uid: input.lastUid,
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
  },

  /**
   * Moves the cursor past uid, never back, and only while it still describes this folder and
   * UIDVALIDITY: a late write from a node that lost its lease cannot rewind or corrupt it.
   */
  advance: async (
    db: TExecutor,
    input: { mailboxId: number; folder: string; uidValidity: number; uid: number },
  ): Promise<void> => {
    await db
      .updateTable('imap_cursors')
      .set({ last_uid: sql<number>`greatest(last_uid, ${input.uid}::bigint)`, updated_at: sql<Date>`now()` })
      .where('mailbox_id', '=', input.mailboxId)
      .where('folder', '=', input.folder)
      .where('uid_validity', '=', input.uidValidity)
      .execute();
  },
};
