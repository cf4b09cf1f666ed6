import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../../shared/errors.ts';
import type {
  TCreateMailboxRequest,
  TInboundInput,
  TMailbox,
  TMailboxTestResult,
  TOutboundInput,
  TTestMailboxRequest,
  TUpdateMailboxRequest,
} from '../../../shared/schemas/mailboxes.ts';
import { requirePermission, type TActor } from '../../access/access.ts';
import type { DB } from '../../db/types.ts';
import type { TServiceDeps } from '../../services.ts';
import { mapMailbox } from './mailbox.mapper.ts';
import { mailboxRepository, type TMailboxRow } from './mailbox.repository.ts';
import { type TSmtpSettings, verifySmtp } from './smtp.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TImapSettings = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folder: string;
};

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

/** A 400 that names the field, like a schema refusal does. */
const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `Invalid ${path}: ${message}`, [{ path, message }]);

export const createMailboxService = ({ database, secrets, clock, services }: TServiceDeps) => {
  const { db } = database;

  const requireGroup = async (executor: TExecutor, groupId: number | null | undefined) => {
    if (groupId === null || groupId === undefined) return;
    if (!(await services().groups.exists(executor, groupId))) throw new AppError('GROUP_NOT_FOUND');
  };

  /** The imap column and its sealed password; a left-out password keeps the stored one. */
  const inboundColumns = (input: TInboundInput, current: TMailboxRow | undefined) => {
    if (input.type === 'smtp') return { inbound_type: 'smtp' as const, imap: null, imap_password_enc: null };
    const sealed = input.password ? secrets.encrypt(input.password) : (current?.imap_password_enc ?? null);
    if (!sealed) throw invalid('inbound.password', 'An IMAP mailbox needs a password');
    const { host, port, secure, user, folder } = input;
    const moveTo = input.moveTo ?? null;
    return {
      inbound_type: 'imap' as const,
      imap: JSON.stringify({ host, port, secure, user, folder, moveTo }),
      imap_password_enc: sealed,
    };
  };

  /** Outbound settings and the sealed password: kept when left out, dropped with the user or by null. */
  const outboundValues = (input: TOutboundInput, current: TMailboxRow | undefined) => {
    const user = input.user ?? null;
    if (!user && input.password) throw invalid('outbound.user', 'A password needs a user');
    const sealed =
      user === null || input.password === null
        ? null
        : input.password !== undefined
          ? secrets.encrypt(input.password)
          : (current?.smtp_password_enc ?? null);
    return { settings: { host: input.host, port: input.port, secure: input.secure, user }, sealed };
  };

  const find = async (executor: TExecutor, id: number) => {
    const row = await mailboxRepository.findById(executor, id);
    if (!row) throw new AppError('MAILBOX_NOT_FOUND');
    return row;
  };

  const openPassword = (sealed: string | null): string | null => {
    if (sealed === null) return null;
    try {
      return secrets.decrypt(sealed);
    } catch {
      throw new AppError(
        'BAD_REQUEST',
        'The stored password cannot be decrypted (was TOURDESK_SECRET_KEY changed?); enter it again',
      );
    }
  };

  /** Decrypted SMTP settings of a stored mailbox. Throws BAD_REQUEST when the password cannot be opened. */
  const smtpSettingsOf = (row: TMailboxRow): TSmtpSettings => ({
    host: row.outbound.host,
    port: row.outbound.port,
    secure: row.outbound.secure,
    user: row.outbound.user,
    password: row.outbound.user ? openPassword(row.smtp_password_enc) : null,
  });

  const withUniqueAddress = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('MAILBOX_ADDRESS_TAKEN', 'A mailbox with this address exists', {
          path: 'address',
        });
      throw error;
    }
  };

  return {
    list: async (actor: TActor): Promise<TMailbox[]> => {
      requirePermission(actor, 'mailbox.manage');
      return (await mailboxRepository.list(db)).map(mapMailbox);
    },

    get: async (actor: TActor, id: number): Promise<TMailbox> => {
      requirePermission(actor, 'mailbox.manage');
      return mapMailbox(await find(db, id));
    },

    create: async (actor: TActor, input: TCreateMailboxRequest): Promise<TMailbox> => {
      requirePermission(actor, 'mailbox.manage');
      const inbound = inboundColumns(input.inbound, undefined);
      const outbound = outboundValues(input.outbound, undefined);
      const id = await withUniqueAddress(() =>
        db.transaction().execute(async (trx) => {
          await requireGroup(trx, input.groupId);
          const at = clock();
          const { id } = await mailboxRepository.insert(trx, {
            address: input.address.toLowerCase(),
            name: input.name,
            group_id: input.groupId ?? null,
            ...inbound,
            outbound: JSON.stringify(outbound.settings),
            smtp_password_enc: outbound.sealed,
            signature: input.signature ?? '',
            auto_acknowledge: input.autoAcknowledge ?? false,
            created_at: at,
            updated_at: at,
          });
          return id;
        }),
      );
      return mapMailbox(await find(db, id));
    },

    /** Nested inbound/outbound objects are replaced whole, except that a left-out password is kept. */
    update: async (
      actor: TActor,
      id: number,
      input: TUpdateMailboxRequest,
      ifMatch?: number,
    ): Promise<TMailbox> => {
      requirePermission(actor, 'mailbox.manage');
      await withUniqueAddress(() =>
        db.transaction().execute(async (trx) => {
          const current = await mailboxRepository.findForUpdate(trx, id);
          if (!current) throw new AppError('MAILBOX_NOT_FOUND');
          if (ifMatch !== undefined && ifMatch !== current.version)
            throw new AppError('VERSION_CONFLICT', undefined, { currentVersion: current.version });
          await requireGroup(trx, input.groupId);
          const outbound = input.outbound ? outboundValues(input.outbound, current) : undefined;
          await mailboxRepository.update(trx, id, {
            ...(input.address !== undefined && { address: input.address.toLowerCase() }),
            ...(input.name !== undefined && { name: input.name }),
            ...(input.groupId !== undefined && { group_id: input.groupId }),
            ...(input.inbound && inboundColumns(input.inbound, current)),
            ...(outbound && {
              outbound: JSON.stringify(outbound.settings),
              smtp_password_enc: outbound.sealed,
            }),
            ...(input.signature !== undefined && { signature: input.signature }),
            ...(input.autoAcknowledge !== undefined && { auto_acknowledge: input.autoAcknowledge }),
            ...(input.isActive !== undefined && { is_active: input.isActive }),
            updated_at: clock(),
          });
        }),
      );
      return mapMailbox(await find(db, id));
    },

    /** Mail already exchanged keeps pointing at the mailbox, so removing it deactivates it. */
    deactivate: async (actor: TActor, id: number): Promise<void> => {
      requirePermission(actor, 'mailbox.manage');
      const current = await find(db, id);
      if (current.is_active)
        await mailboxRepository.update(db, id, { is_active: false, updated_at: clock() });
    },

    /** Checks the outbound server (connect, greet, authenticate); answers, never throws for the server's sake. */
    test: async (actor: TActor, id: number, input: TTestMailboxRequest): Promise<TMailboxTestResult> => {
      requirePermission(actor, 'mailbox.manage');
      const current = await find(db, id);
      let settings: TSmtpSettings;
      try {
        if (input.outbound) {
          const { settings: s, sealed } = outboundValues(input.outbound, current);
          settings = { ...s, password: s.user ? openPassword(sealed) : null };
        } else {
          settings = smtpSettingsOf(current);
        }
      } catch (error) {
        if (error instanceof AppError && error.code === 'BAD_REQUEST')
          return { ok: false, error: error.message };
        throw error;
      }
      return verifySmtp(settings);
    },

    /** A mailbox row by id, whatever its state (the outbound job sends from the mailbox it queued with). */
    findById: (executor: TExecutor, id: number) => mailboxRepository.findById(executor, id),

    /** The active mailbox for an address (inbound recipients), case-insensitively. */
    findActiveByAddress: async (executor: TExecutor, address: string) => {
      const row = await mailboxRepository.findByAddress(executor, address);
      return row?.is_active ? row : undefined;
    },

    listActive: (executor: TExecutor) => mailboxRepository.listActive(executor),

    /**
     * The mailbox a ticket's outgoing mail uses: the one its email thread came in through, when
     * still active; else the active mailbox of its group; else the first active mailbox.
     */
    pickForTicket: async (
      executor: TExecutor,
      input: { threadMailboxId: number | null; groupId: number | null },
    ): Promise<TMailboxRow | undefined> => {
      if (input.threadMailboxId !== null) {
        const thread = await mailboxRepository.findById(executor, input.threadMailboxId);
        if (thread?.is_active) return thread;
      }
      if (input.groupId !== null) {
        const ofGroup = await mailboxRepository.findActiveOfGroup(executor, input.groupId);
        if (ofGroup) return ofGroup;
      }
      return (await mailboxRepository.listActive(executor))[0];
    },

    smtpSettingsOf,

    /** Decrypted IMAP settings, or null for an SMTP-inbound mailbox. Throws BAD_REQUEST when the password cannot be opened. */
    imapSettingsOf: (row: TMailboxRow): TImapSettings | null =>
      row.inbound_type === 'imap' && row.imap
        ? { ...row.imap, password: openPassword(row.imap_password_enc) ?? '' }
        : null,
  };
};
