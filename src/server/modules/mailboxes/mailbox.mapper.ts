import type { TMailbox } from '../../../shared/schemas/mailboxes.ts';
import type { TMailboxRow } from './mailbox.repository.ts';

/** The API shape of a mailbox: passwords never leave the server, only whether one is stored. */
export const mapMailbox = (row: TMailboxRow): TMailbox => ({
  id: row.id,
  address: row.address,
  name: row.name,
  groupId: row.group_id,
  inbound:
    row.inbound_type === 'imap' && row.imap
      ? {
          type: 'imap',
          host: row.imap.host,
          port: row.imap.port,
          secure: row.imap.secure,
          user: row.imap.user,
          folder: row.imap.folder,
          moveTo: row.imap.moveTo ?? null,
          hasPassword: row.imap_password_enc !== null,
        }
      : { type: 'smtp' },
  outbound: {
    host: row.outbound.host,
    port: row.outbound.port,
    secure: row.outbound.secure,
    user: row.outbound.user,
    hasPassword: row.smtp_password_enc !== null,
  },
  signature: row.signature,
  autoAcknowledge: row.auto_acknowledge,
  isActive: row.is_active,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
