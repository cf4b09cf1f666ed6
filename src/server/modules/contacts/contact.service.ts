import type { Kysely, Transaction } from 'kysely';
import type { TContactKind, TIdentityChannel } from '../../../shared/enums.ts';
import { AppError } from '../../../shared/errors.ts';
import type {
  TContact,
  TContactListQuery,
  TCreateContactRequest,
  TIdentityInput,
  TUpdateContactRequest,
} from '../../../shared/schemas/contacts.ts';
import { requirePermission, type TActor } from '../../access/access.ts';
import type { DB } from '../../db/types.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import type { TServiceDeps } from '../../services.ts';
import type { TUpsertOutcome } from '../marketplace/marketplace.repository.ts';
import { mapContact } from './contact.mapper.ts';
import { contactRepository } from './contact.repository.ts';
import { normalizeIdentity } from './identity.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

// jsonb reorders object keys, so compare with keys sorted.
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

// numeric(12,2) rounds the decimal text half away from zero; compare the way it stores, or a re-push is an update.
const toStoredMoney = (amount: number): number => Math.round(Number(`${amount.toFixed(10)}e2`)) / 100;

const identitiesOfInput = (input: {
  email?: string;
  phone?: string;
  identities?: TIdentityInput[];
}): TIdentityInput[] => [
  ...(input.email ? [{ channel: 'email' as const, value: input.email }] : []),
  ...(input.phone ? [{ channel: 'phone' as const, value: input.phone }] : []),
  ...(input.identities ?? []),
];

/** An organization id from the request must exist: the foreign key would otherwise fail as a 500. */
const requireOrganization = async (executor: TExecutor, id: number | null | undefined) => {
  if (id == null || (await contactRepository.organizationExists(executor, id))) return;
  throw new AppError('VALIDATION_FAILED', `Unknown organization ${id}`, [
    { path: 'organizationId', message: 'Unknown organization' },
  ]);
};

export const createContactService = ({ database, services }: TServiceDeps) => {
  const { db } = database;

  const load = async (executor: TExecutor, id: number): Promise<TContact> => {
    const row = await contactRepository.findById(executor, id);
    if (!row) throw new AppError('CONTACT_NOT_FOUND');
    return mapContact(row, await contactRepository.identitiesOf(executor, [id]));
  };

  /** Attaches identities to a contact; one owned by someone else is a conflict, never a silent move. */
  const addIdentities = async (executor: TExecutor, contactId: number, identities: TIdentityInput[]) => {
    for (const identity of identities) {
      const value = normalizeIdentity(identity.channel, identity.value);
      const { contactId: owner } = await contactRepository.insertIdentity(executor, {
        contact_id: contactId,
        channel: identity.channel,
        value,
        is_verified: identity.isVerified ?? false,
      });
      if (owner !== contactId) {
        throw new AppError('IDENTITY_TAKEN', `${identity.channel} ${value} belongs to contact ${owner}`, {
          contactId: owner,
        });
      }
    }
  };

  return {
    load,

    get: async (actor: TActor, id: number) => {
      requirePermission(actor, 'contact.read');
      const contact = await load(db, id);
      const [bookings, recent] = await Promise.all([
        services().marketplace.bookingsOfContact(db, contact),
        contactRepository.recentTicketsOf(db, id, 50),
      ]);
      return {
        ...contact,
        bookings,
        recentTickets: recent.map((t) => ({
          id: t.id,
          subject: t.subject,
          status: t.status,
          channel: t.channel,
          createdAt: t.created_at.toISOString(),
        })),
      };
    },

    list: async (actor: TActor, query: TContactListQuery) => {
      requirePermission(actor, 'contact.read');
      const [beforeId] = (decodeCursor(query.cursor, 1) ?? []) as number[];
      const rows = await contactRepository.list(db, {
        limit: query.limit,
        beforeId,
        kind: query.kind,
        q: query.q,
        email: query.email ? normalizeIdentity('email', query.email) : undefined,
        phone: query.phone ? normalizeIdentity('phone', query.phone) : undefined,
      });
      const page = rows.slice(0, query.limit);
      const identities = await contactRepository.identitiesOf(
        db,
        page.map((r) => r.id),
      );
      return {
        items: page.map((r) => mapContact(r, identities)),
        nextCursor: rows.length > query.limit ? encodeCursor([page.at(-1)!.id]) : null,
      };
    },

    create: async (actor: TActor, input: TCreateContactRequest): Promise<TContact> => {
      requirePermission(actor, 'contact.write');
      return db.transaction().execute(async (trx) => {
        await requireOrganization(trx, input.organizationId);
        const { id } = await contactRepository.insert(trx, {
          kind: input.kind,
          name: input.name,
          external_id: input.externalId ?? null,
          organization_id: input.organizationId ?? null,
          language: input.language ?? null,
          notes: input.notes ?? '',
        });
        await addIdentities(trx, id, identitiesOfInput(input));
        return load(trx, id);
      });
    },

    update: async (
      actor: TActor,
      id: number,
      input: TUpdateContactRequest,
      ifMatch?: number,
    ): Promise<TContact> => {
      requirePermission(actor, 'contact.write');
      return db.transaction().execute(async (trx) => {
        const current = await contactRepository.findById(trx, id);
        if (!current || current.merged_into_id !== null) throw new AppError('CONTACT_NOT_FOUND');
        if (ifMatch !== undefined && ifMatch !== current.version) throw new AppError('VERSION_CONFLICT');
        await requireOrganization(trx, input.organizationId);
        await contactRepository.update(trx, id, {
          ...(input.kind !== undefined && { kind: input.kind }),
          ...(input.name !== undefined && { name: input.name }),
          ...(input.organizationId !== undefined && { organization_id: input.organizationId }),
          ...(input.language !== undefined && { language: input.language }),
          ...(input.notes !== undefined && { notes: input.notes }),
        });
        if (input.removeIdentityIds?.length)
          await contactRepository.deleteIdentities(trx, id, input.removeIdentityIds);
        await addIdentities(trx, id, input.addIdentities ?? []);
        return load(trx, id);
      });
    },

    /** Merges source into target: identities, tickets and bookings move; source stays as a pointer. */
    merge: async (actor: TActor, targetId: number, sourceId: number): Promise<TContact> => {
      requirePermission(actor, 'contact.merge');
      if (targetId === sourceId)
        throw new AppError('INVALID_MERGE', 'A contact cannot be merged into itself');
      const merged = await db.transaction().execute(async (trx) => {
        // Without the lock two opposite merges both succeed and leave a cycle of merged contacts.
        await contactRepository.lockForUpdate(trx, [targetId, sourceId]);
        const [target, source] = await Promise.all([
          contactRepository.findById(trx, targetId),
          contactRepository.findById(trx, sourceId),
        ]);
        if (!target || target.merged_into_id !== null) throw new AppError('CONTACT_NOT_FOUND');
        if (!source || source.merged_into_id !== null) {
          throw new AppError('CONTACT_NOT_FOUND', 'Source contact not found', { sourceId });
        }
        const ticketIds = await contactRepository.ticketIdsOfRequester(trx, sourceId);
        await contactRepository.merge(trx, sourceId, targetId);
        const eventIds = await services().tickets.recordRequesterMerge(trx, {
          actor,
          ticketIds,
          sourceId,
          targetId,
        });
        return { contact: await load(trx, targetId), eventIds };
      });
      await services().tickets.publish(merged.eventIds);
      return merged.contact;
    },

    /** The contact that owns an identity, created (with the identity) when nobody does. */
    findOrCreateByIdentity: async (
      executor: TExecutor,
      input: { channel: TIdentityChannel; value: string; name?: string; kind?: TContactKind },
    ): Promise<{ contactId: number; created: boolean }> => {
      const value = normalizeIdentity(input.channel, input.value);
      const existing = await contactRepository.findIdentity(executor, input.channel, value);
      if (existing) return { contactId: existing.contact_id, created: false };
      const { id } = await contactRepository.insert(executor, {
        kind: input.kind ?? 'traveler',
        name: input.name ?? (input.channel === 'email' ? value.split('@')[0] : value),
      });
      const { contactId } = await contactRepository.insertIdentity(executor, {
        contact_id: id,
        channel: input.channel,
        value,
      });
      if (contactId === id) return { contactId, created: true };
      // Someone else created the owner meanwhile (two messages from a new sender at once): drop ours.
      await contactRepository.deleteUnused(executor, id);
      return { contactId, created: false };
    },

    /** Marketplace push: by external id, adopting a contact that already owns the email or phone. */
    upsertFromMarketplace: async (
      executor: TExecutor,
      input: {
        externalId: string;
        kind: TContactKind;
        name: string;
        email?: string;
        phone?: string;
        language?: string;
        organizationId: number | null;
        bonusBalance?: number;
        discounts?: unknown[];
      },
    ): Promise<TUpsertOutcome> => {
      let row = await contactRepository.findByExternalId(executor, input.externalId);
      const identities = identitiesOfInput(input);
      if (!row) {
        for (const identity of identities) {
          const owner = await contactRepository.findIdentity(
            executor,
            identity.channel,
            normalizeIdentity(identity.channel, identity.value),
          );
          const candidate = owner ? await contactRepository.findById(executor, owner.contact_id) : undefined;
          if (candidate && candidate.external_id === null && candidate.merged_into_id === null) {
            row = candidate;
            break;
          }
        }
      }
      const fields = {
        external_id: input.externalId,
        kind: input.kind,
        name: input.name,
        language: input.language ?? null,
        organization_id: input.organizationId,
        bonus_balance: input.bonusBalance ?? 0,
        discounts: JSON.stringify(input.discounts ?? []),
      };
      let outcome: TUpsertOutcome;
      let contactId: number;
      if (!row) {
        contactId = (await contactRepository.insert(executor, fields)).id;
        outcome = 'created';
      } else {
        contactId = row.id;
        const same =
          row.external_id === fields.external_id &&
          row.kind === fields.kind &&
          row.name === fields.name &&
          row.language === fields.language &&
          row.organization_id === fields.organization_id &&
          Number(row.bonus_balance) === toStoredMoney(fields.bonus_balance) &&
          canonicalJson(row.discounts) === canonicalJson(input.discounts ?? []);
        if (!same) await contactRepository.update(executor, row.id, fields);
        outcome = same ? 'unchanged' : 'updated';
      }
      // A contact merged away keeps its external id; new identities belong to the one it lives on in.
      const ownerId =
        row && row.merged_into_id !== null
          ? ((await contactRepository.liveIdsByExternalId(executor, [input.externalId])).get(
              input.externalId,
            ) ?? contactId)
          : contactId;
      for (const identity of identities) {
        // Marketplace data is verified by the marketplace; a conflicting owner keeps its identity.
        await contactRepository.insertIdentity(executor, {
          contact_id: ownerId,
          channel: identity.channel,
          value: normalizeIdentity(identity.channel, identity.value),
          is_verified: true,
        });
      }
      return outcome;
    },

    /** Contact ids by external id; a merged contact resolves to the contact it was merged into. */
    idsByExternalId: (executor: TExecutor, externalIds: string[]) =>
      contactRepository.liveIdsByExternalId(executor, externalIds),

    summariesOf: async (executor: TExecutor, ids: number[]) => {
      const rows = await contactRepository.findByIds(executor, ids);
      return new Map(rows.map((r) => [r.id, r]));
    },

    countTicketsOf: (executor: TExecutor, contactId: number) =>
      contactRepository.countTicketsOf(executor, contactId),
    recentTicketsOf: (executor: TExecutor, contactId: number, exceptTicketId: number) =>
      contactRepository.recentTicketsOf(executor, contactId, 20, exceptTicketId),
  };
};

export type TContactService = ReturnType<typeof createContactService>;
