import type { TIdentityChannel } from '../../../shared/enums.ts';
import type { TContact } from '../../../shared/schemas/contacts.ts';
import type { TContactJoined, TIdentityRow } from './contact.repository.ts';

export const mapIdentity = (i: TIdentityRow) => ({
  id: i.id,
  channel: i.channel as TIdentityChannel,
  value: i.value,
  isVerified: i.is_verified,
});

export const mapContact = (row: TContactJoined, identities: TIdentityRow[]): TContact => {
  const own = identities.filter((i) => i.contact_id === row.id);
  return {
    id: row.id,
    externalId: row.external_id,
    kind: row.kind as TContact['kind'],
    name: row.name,
    email: own.find((i) => i.channel === 'email')?.value ?? null,
    phone: own.find((i) => i.channel === 'phone')?.value ?? null,
    organization: row.organization_id ? { id: row.organization_id, name: row.organization_name ?? '' } : null,
    language: row.language,
    notes: row.notes,
    bonusBalance: Number(row.bonus_balance),
    discounts: row.discounts,
    identities: own.map(mapIdentity),
    mergedIntoId: row.merged_into_id,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
};
