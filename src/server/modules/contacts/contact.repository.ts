import { type Kysely, sql, type Transaction } from 'kysely';
import type { ContactRow, DB } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TIdentityRow = {
  id: number;
  contact_id: number;
  channel: string;
  value: string;
  is_verified: boolean;
};
export type TContactJoined = ContactRow & { organization_name: string | null };

const contactsQuery = (db: TExecutor) =>
  db
    .selectFrom('contacts')
    .leftJoin('organizations', 'organizations.id', 'contacts.organization_id')
    .selectAll('contacts')
    .select('organizations.name as organization_name');

export const contactRepository = {
  findById: (db: TExecutor, id: number) =>
    contactsQuery(db).where('contacts.id', '=', id).executeTakeFirst() as Promise<TContactJoined | undefined>,

  findByIds: (db: TExecutor, ids: number[]) =>
    ids.length === 0
      ? Promise.resolve([] as TContactJoined[])
      : (contactsQuery(db).where('contacts.id', 'in', ids).execute() as Promise<TContactJoined[]>),

  /** Row-locks contacts for the rest of the transaction, in id order so two lockers cannot deadlock. */
  lockForUpdate: (db: TExecutor, ids: number[]) =>
    db.selectFrom('contacts').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute(),

  findByExternalId: (db: TExecutor, externalId: string) =>
    db.selectFrom('contacts').selectAll().where('external_id', '=', externalId).executeTakeFirst(),

  /** Contact ids by external id, following merges to the contact that lives on. */
  liveIdsByExternalId: async (db: TExecutor, externalIds: string[]): Promise<Map<string, number>> => {
    if (externalIds.length === 0) return new Map();
    // The depth bound keeps a (never intended) merge cycle from looping forever.
    const { rows } = await sql<{ external_id: string; id: number }>`
      WITH RECURSIVE chain AS (
        SELECT external_id, id, merged_into_id, 0 AS depth
        FROM contacts WHERE external_id = ANY(${[...new Set(externalIds)]}::text[])
        UNION ALL
        SELECT chain.external_id, contacts.id, contacts.merged_into_id, chain.depth + 1
        FROM chain JOIN contacts ON contacts.id = chain.merged_into_id
        WHERE chain.depth < 100
      )
      SELECT external_id, id FROM chain WHERE merged_into_id IS NULL`.execute(db);
    return new Map(rows.map((r) => [r.external_id, r.id]));
  },

  organizationExists: async (db: TExecutor, id: number) =>
    (await db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined,

  identitiesOf: (db: TExecutor, contactIds: number[]): Promise<TIdentityRow[]> =>
    contactIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('contact_identities')
          .select(['id', 'contact_id', 'channel', 'value', 'is_verified'])
          .where('contact_id', 'in', contactIds)
          .orderBy('id')
          .execute(),

  findIdentity: (db: TExecutor, channel: string, value: string) =>
    db
      .selectFrom('contact_identities')
      .select(['id', 'contact_id'])
      .where('channel', '=', channel)
      .where('value', '=', value)
      .executeTakeFirst(),

  insert: (
    db: TExecutor,
    v: {
      kind: string;
      name: string;
      external_id?: string | null;
      organization_id?: number | null;
      language?: string | null;
      notes?: string;
      bonus_balance?: number;
      discounts?: string;
    },
  ) => db.insertInto('contacts').values(v).returning('id').executeTakeFirstOrThrow(),

  /** Inserts the identity unless the same channel+value exists; returns the owner either way. */
  insertIdentity: async (
    db: TExecutor,
    v: { contact_id: number; channel: string; value: string; is_verified?: boolean },
  ): Promise<{ contactId: number; created: boolean }> => {
    const row = await db
      .insertInto('contact_identities')
      .values(v)
      .onConflict((oc) => oc.columns(['channel', 'value']).doNothing())
      .returning('contact_id')
      .executeTakeFirst();
    if (row) return { contactId: row.contact_id, created: true };
    const existing = await contactRepository.findIdentity(db, v.channel, v.value);
    return { contactId: existing!.contact_id, created: false };
  },

  /** Deletes a contact that was just created and nothing refers to yet. */
  deleteUnused: (db: TExecutor, id: number) => db.deleteFrom('contacts').where('id', '=', id).execute(),

  deleteIdentities: (db: TExecutor, contactId: number, ids: number[]) =>
    db.deleteFrom('contact_identities').where('contact_id', '=', contactId).where('id', 'in', ids).execute(),

  update: (
    db: TExecutor,
    id: number,
    values: Partial<Omit<ContactRow, 'id' | 'search' | 'created_at' | 'discounts'>> & { discounts?: string },
  ) =>
    db
      .updateTable('contacts')
      .set({ ...values, updated_at: new Date() })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returning('version')
      .executeTakeFirst(),

  list: (
    db: TExecutor,
    f: { limit: number; beforeId?: number; kind?: string; q?: string; email?: string; phone?: string },
  ) => {
    let q = contactsQuery(db)
      .where('contacts.merged_into_id', 'is', null)
      .orderBy('contacts.id', 'desc')
      .limit(f.limit + 1);
    if (f.beforeId !== undefined) q = q.where('contacts.id', '<', f.beforeId);
    if (f.kind) q = q.where('contacts.kind', '=', f.kind);
    if (f.email) {
      const email = f.email;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contact_identities')
            .select('id')
            .whereRef('contact_identities.contact_id', '=', 'contacts.id')
            .where('channel', '=', 'email')
            .where('value', 'like', `${email.replace(/[\\%_]/g, '\\$&')}%`),
        ),
      );
    }
    if (f.phone) {
      const phone = f.phone;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contact_identities')
            .select('id')
            .whereRef('contact_identities.contact_id', '=', 'contacts.id')
            .where('channel', '=', 'phone')
            .where('value', 'like', `${phone}%`),
        ),
      );
    }
    if (f.q) {
      const text = f.q;
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`contacts.search @@ plainto_tsquery('simple', ${text})`,
          eb(eb.fn('lower', ['contacts.name']), 'like', `${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`),
          eb.exists(
            eb
              .selectFrom('contact_identities')
              .select('id')
              .whereRef('contact_identities.contact_id', '=', 'contacts.id')
              .where('value', 'like', `${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`),
          ),
        ]),
      );
    }
    return q.execute() as Promise<TContactJoined[]>;
  },

  /** Moves everything of source onto target and marks source merged. */
  merge: async (db: TExecutor, sourceId: number, targetId: number) => {
    await db
      .updateTable('contact_identities')
      .set({ contact_id: targetId })
      .where('contact_id', '=', sourceId)
      .execute();
    await db
      .updateTable('tickets')
      .set({ requester_id: targetId })
      .where('requester_id', '=', sourceId)
      .execute();
    await db
      .updateTable('bookings')
      .set({ traveler_id: targetId })
      .where('traveler_id', '=', sourceId)
      .execute();
    await db
      .updateTable('tours')
      .set({ organizer_id: targetId })
      .where('organizer_id', '=', sourceId)
      .execute();
    await db
      .updateTable('messages')
      .set({ author_contact_id: targetId })
      .where('author_contact_id', '=', sourceId)
      .execute();
    await db
      .updateTable('contacts')
      .set({ merged_into_id: targetId, updated_at: new Date() })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', sourceId)
      .execute();
  },

  ticketIdsOfRequester: async (db: TExecutor, contactId: number) =>
    (await db.selectFrom('tickets').select('id').where('requester_id', '=', contactId).execute()).map(
      (r) => r.id,
    ),

  recentTicketsOf: (db: TExecutor, contactId: number, limit: number, exceptTicketId?: number) => {
    let q = db
      .selectFrom('tickets')
      .select(['id', 'subject', 'status', 'channel', 'created_at'])
      .where('requester_id', '=', contactId)
      .where('merged_into_id', 'is', null)
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(limit);
    if (exceptTicketId !== undefined) q = q.where('id', '<>', exceptTicketId);
    return q.execute();
  },

  countTicketsOf: async (db: TExecutor, contactId: number) =>
    Number(
      (
        await db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('requester_id', '=', contactId)
          .where('merged_into_id', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    ),
};
