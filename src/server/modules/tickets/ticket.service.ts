import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { TChannel, TTicketEventType, TTicketStatus } from '../../../shared/enums.ts';
import { AppError } from '../../../shared/errors.ts';
import type {
  TBulkUpdateTicketsRequest,
  TBulkUpdateTicketsResponse,
  TCreateMessageRequest,
  TCreateTicketRequest,
  TTicketDetail,
  TTicketFilters,
  TTicketListQuery,
  TUpdateTicketRequest,
  ZAttachmentInput,
} from '../../../shared/schemas/tickets.ts';
import {
  actorUserId,
  can,
  requirePermission,
  requireTicketAccess,
  seesAllTickets,
  type TActor,
} from '../../access/access.ts';
import type { DB } from '../../db/types.ts';
import { decodeCursor, decodeOrderedCursor, encodeCursor, encodeOrderedCursor } from '../../lib/cursor.ts';
import { htmlToText, sanitizeMessageHtml, textToHtml } from '../../lib/sanitize.ts';
import { addDays, calendarDate } from '../../lib/time.ts';
import type { TServiceDeps } from '../../services.ts';
import { mapContact } from '../contacts/contact.mapper.ts';
import { mapEvent, mapMessage, mapTicket } from './ticket.mapper.ts';
import {
  sortKeyOf,
  TICKET_ORDERS,
  type TInboxFilter,
  type TNewEvent,
  ticketRepository,
} from './ticket.repository.ts';
import { canTransition, statusAfterAgentReply, statusAfterContactMessage } from './ticket-status.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;
type TAttachmentInput = z.infer<typeof ZAttachmentInput>;
type TEventActor = Pick<TNewEvent, 'actor_kind' | 'actor_user_id' | 'actor_contact_id' | 'actor_token_id'>;

/** Attachment bytes already in storage, as a message row will reference them. */
export type TStoredAttachment = {
  /** Chosen by the caller when the message body must link to it before the insert. */
  id?: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
};

/** What a channel intake wrote inside the caller's transaction; publish eventIds after the commit. */
export type TIntakeResult = { ticketId: number; messageId: number; eventIds: number[] };

/** Follows merges to the ticket that lives on; a chain longer than this is treated as broken. */
const MAX_MERGE_HOPS = 20;

const ASSIGNABLE_ROLES = ['admin', 'supervisor', 'agent'];

/** A PATCH body, or a bulk `set`: tags replaced, or added to and removed from what the ticket has. */
type TTicketChange = TUpdateTicketRequest & { addTags?: string[]; removeTags?: string[] };

const tagsAfter = (current: string[], change: TTicketChange): string[] | undefined => {
  if (change.tags) return [...new Set(change.tags)];
  if (!change.addTags && !change.removeTags) return undefined;
  const kept = current.filter((tag) => !change.removeTags?.includes(tag));
  return [...new Set([...kept, ...(change.addTags ?? [])])];
};

export const eventActorOf = (actor: TActor | 'system'): TEventActor =>
  actor === 'system'
    ? { actor_kind: 'system' }
    : actor.kind === 'user'
      ? { actor_kind: 'user', actor_user_id: actor.userId }
      : { actor_kind: 'token', actor_token_id: actor.tokenId };

const sameArray = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

const bodyOf = (input: { text?: string; html?: string }): { text: string; html: string | null } => {
  if (input.html?.trim()) {
    const html = sanitizeMessageHtml(input.html);
    return { text: input.text?.trim() ? input.text : htmlToText(html), html };
  }
  const text = input.text ?? '';
  return { text, html: text ? textToHtml(text) : null };
};

export const createTicketService = (deps: TServiceDeps) => {
  const { database, clock, storage, realtime, services, logger } = deps;
  const { db } = database;

  const publish = async (eventIds: number[]) => {
    if (eventIds.length > 0) await realtime.publish(eventIds);
  };

  const storeAttachments = async (inputs: TAttachmentInput[] | undefined) =>
    Promise.all(
      (inputs ?? []).map(async (a) => {
        const bytes = Buffer.from(a.contentBase64, 'base64');
        if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', `Attachment ${a.filename} is empty`);
        const stored = await storage.put(bytes);
        return {
          filename: a.filename,
          content_type: a.contentType,
          size_bytes: stored.size,
          sha256: stored.sha256,
          storage_key: stored.key,
        };
      }),
    );

  const requireAssignee = async (executor: TExecutor, userId: number | null | undefined) => {
    if (userId === null || userId === undefined) return;
    const user = await services().users.findActive(executor, userId);
    if (!user || !ASSIGNABLE_ROLES.includes(user.role)) {
      throw new AppError('USER_NOT_FOUND', `User ${userId} cannot be assigned tickets`, {
        path: 'assigneeId',
      });
    }
  };

  const requireGroup = async (executor: TExecutor, groupId: number | null | undefined) => {
    if (groupId === null || groupId === undefined) return;
    if (!(await services().groups.exists(executor, groupId))) throw new AppError('GROUP_NOT_FOUND');
  };

  const requireBooking = async (executor: TExecutor, bookingId: number | null | undefined) => {
    if (bookingId === null || bookingId === undefined) return;
    if (!(await services().marketplace.findBooking(executor, bookingId)))
      throw new AppError('BOOKING_NOT_FOUND');
  };

  const requireRequester = async (executor: TExecutor, contactId: number) => {
    const contact = await services().contacts.summariesOf(executor, [contactId]);
    const row = contact.get(contactId);
    if (!row || row.merged_into_id !== null) throw new AppError('CONTACT_NOT_FOUND', 'Requester not found');
  };

  /** Stores one message with its attachments and returns its event. */
  const insertMessage = async (
    trx: Transaction<DB>,
    input: {
      ticketId: number;
      kind: 'reply' | 'note';
      authorKind: 'agent' | 'contact' | 'system';
      authorUserId: number | null;
      authorContactId: number | null;
      channel: string;
      body: { text: string; html: string | null };
      attachments: TStoredAttachment[];
      at: Date;
      eventActor: TEventActor;
      isAuto?: boolean;
    },
  ): Promise<TNewEvent> => {
    const message = await ticketRepository.insertMessage(trx, {
      ticket_id: input.ticketId,
      kind: input.kind,
      author_kind: input.authorKind,
      author_user_id: input.authorUserId,
      author_contact_id: input.authorContactId,
      channel: input.channel,
      is_auto: input.isAuto ?? false,
      body_text: input.body.text,
      body_html: input.body.html,
      created_at: input.at,
    });
    await ticketRepository.insertAttachments(
      trx,
      input.attachments.map((a) => ({ ...a, message_id: message.id, ticket_id: input.ticketId })),
    );
    return {
      ticket_id: input.ticketId,
      type: input.kind === 'note' ? 'note_added' : 'message_added',
      ...input.eventActor,
      at: input.at,
      data: {
        messageId: message.id,
        kind: input.kind,
        authorKind: input.authorKind,
        attachments: input.attachments.length,
      },
    };
  };

  /** An agent's public reply also leaves as an email when the ticket is an email conversation. */
  const emailReply = (
    trx: Transaction<DB>,
    ticket: { id: number; subject: string; channel: string; group_id: number | null; requester_id: number },
    message: TNewEvent,
  ) =>
    services().email.onReply(trx, {
      ticket: {
        id: ticket.id,
        subject: ticket.subject,
        channel: ticket.channel,
        groupId: ticket.group_id,
        requesterId: ticket.requester_id,
      },
      messageId: message.data.messageId as number,
    });

  const statusEvents = (
    ticketId: number,
    before: TTicketStatus,
    after: TTicketStatus,
    at: Date,
    eventActor: TEventActor,
  ): TNewEvent[] =>
    before === after
      ? []
      : [
          { ticket_id: ticketId, type: 'status_changed', ...eventActor, at, data: { before, after } },
          ...(before === 'solved' && after === 'open'
            ? [{ ticket_id: ticketId, type: 'reopened', ...eventActor, at, data: {} }]
            : []),
        ];

  const statusTimestamps = (after: TTicketStatus, before: TTicketStatus, at: Date) => ({
    ...(after === 'solved' && before !== 'solved' && { solved_at: at }),
    ...(after === 'closed' && { closed_at: at }),
    ...(before === 'solved' && after !== 'solved' && after !== 'closed' && { solved_at: null }),
  });

  const loadTicket = async (
    executor: TExecutor,
    actor: TActor,
    id: number,
    permission: 'ticket.read' | 'ticket.update' = 'ticket.read',
  ) => {
    const row = await ticketRepository.findById(executor, id);
    requireTicketAccess(actor, permission, row);
    return row!;
  };

  /** One ticket's change under its row lock: access, If-Match, status machine, events; published after commit. */
  const applyChange = async (
    actor: TActor,
    id: number,
    input: TTicketChange,
    ifMatch?: number,
  ): Promise<number> => {
    requirePermission(actor, 'ticket.update');
    const at = clock();
    const result = await db.transaction().execute(async (trx) => {
      const current = await ticketRepository.findForUpdate(trx, id);
      requireTicketAccess(actor, 'ticket.update', current);
      const t = current!;
      if (ifMatch !== undefined && ifMatch !== t.version) {
        throw new AppError('VERSION_CONFLICT', undefined, { currentVersion: t.version });
      }
      if (t.merged_into_id !== null)
        throw new AppError('TICKET_MERGED', `Ticket was merged into ${t.merged_into_id}`);
      const before = t.status as TTicketStatus;
      if (before === 'closed') throw new AppError('TICKET_CLOSED', 'A closed ticket cannot be changed');
      if (input.status !== undefined && !canTransition(before, input.status)) {
        throw new AppError(
          'INVALID_STATUS_TRANSITION',
          `Cannot change status from ${before} to ${input.status}`,
          {
            from: before,
            to: input.status,
          },
        );
      }
      await Promise.all([
        requireAssignee(trx, input.assigneeId),
        requireGroup(trx, input.groupId),
        requireBooking(trx, input.bookingId),
        input.requesterId !== undefined ? requireRequester(trx, input.requesterId) : undefined,
      ]);
      const eventActor = eventActorOf(actor);
      const events: TNewEvent[] = [];
      const changes: Record<string, unknown> = {};
      const change = (type: string, column: string, beforeValue: unknown, afterValue: unknown) => {
        if (afterValue === undefined) return;
        const same = Array.isArray(beforeValue)
          ? sameArray(beforeValue as string[], afterValue as string[])
          : JSON.stringify(beforeValue) === JSON.stringify(afterValue);
        if (same) return;
        changes[column] =
          Array.isArray(afterValue) || typeof afterValue !== 'object' || afterValue === null
            ? afterValue
            : JSON.stringify(afterValue);
        events.push({
          ticket_id: id,
          type,
          ...eventActor,
          at,
          data: { before: beforeValue, after: afterValue },
        });
      };
      change('subject_changed', 'subject', t.subject, input.subject);
      change('priority_changed', 'priority', t.priority, input.priority);
      change('category_changed', 'category', t.category, input.category);
      change('tags_changed', 'tags', t.tags, tagsAfter(t.tags, input));
      change('assignee_changed', 'assignee_id', t.assignee_id, input.assigneeId);
      change('group_changed', 'group_id', t.group_id, input.groupId);
      change('booking_changed', 'booking_id', t.booking_id, input.bookingId);
      change('requester_changed', 'requester_id', t.requester_id, input.requesterId);
      change('spam_changed', 'is_spam', t.is_spam, input.isSpam);
      if (input.customFields !== undefined) {
        const merged = { ...t.custom_fields, ...input.customFields };
        for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
        change('custom_fields_changed', 'custom_fields', t.custom_fields, merged);
      }
      if (input.status !== undefined && input.status !== before) {
        events.push(...statusEvents(id, before, input.status, at, eventActor));
        Object.assign(changes, { status: input.status }, statusTimestamps(input.status, before, at));
      }
      if (events.length === 0) return { eventIds: [] as number[], version: t.version };
      const { version } = await ticketRepository.update(trx, id, { ...changes, updated_at: at });
      return { eventIds: await ticketRepository.insertEvents(trx, events), version };
    });
    await publish(result.eventIds);
    return result.version;
  };

  /** The repository filter of a list query: `me` and relative days resolved for this actor, now. */
  const inboxFilter = async (actor: TActor, query: TTicketFilters): Promise<TInboxFilter> => {
    const me = actorUserId(actor);
    if (query.assigneeId === 'me' && me === null)
      throw new AppError('VALIDATION_FAILED', 'assigneeId=me needs a user');
    const needsNow = query.tripStartsWithinDays !== undefined || query.solvedWithinDays !== undefined;
    const now = needsNow ? clock() : new Date(0);
    let tripStartsBetween: { from: string; to: string } | undefined;
    if (query.tripStartsWithinDays !== undefined) {
      const today = calendarDate(now, (await services().settings.current()).timeZone);
      tripStartsBetween = { from: today, to: addDays(today, query.tripStartsWithinDays) };
    }
    return {
      statuses: query.status,
      priorities: query.priority,
      assigneeId: query.assigneeId === 'me' ? me! : query.assigneeId,
      groupId: query.groupId,
      requesterId: query.requesterId,
      requesterKind: query.requesterKind,
      category: query.category,
      tag: query.tag,
      channels: query.channel,
      bookingId: query.bookingId,
      updatedSince: query.updatedSince ? new Date(query.updatedSince) : undefined,
      solvedSince:
        query.solvedWithinDays === undefined
          ? undefined
          : new Date(now.getTime() - query.solvedWithinDays * 86_400_000),
      tripStartsBetween,
      includeSpam: query.includeSpam === 'true',
    };
  };

  const detail = async (actor: TActor, id: number): Promise<TTicketDetail> => {
    const row = await loadTicket(db, actor, id);
    const contacts = services().contacts;
    const [requesterRows, identities, ticketCount, previous, links] = await Promise.all([
      contacts.summariesOf(db, [row.requester_id]),
      contacts.load(db, row.requester_id).then((c) => c.identities),
      contacts.countTicketsOf(db, row.requester_id),
      contacts.recentTicketsOf(db, row.requester_id, row.id),
      ticketRepository.linksOf(db, row.id),
    ]);
    const requesterRow = requesterRows.get(row.requester_id)!;
    const requester = mapContact(requesterRow, []);
    const bookings = await services().marketplace.bookingsOfContact(db, {
      id: row.requester_id,
      kind: requesterRow.kind,
    });
    const booking =
      row.booking_id === null
        ? null
        : (bookings.find((b) => b.id === row.booking_id) ??
          (await services().marketplace.findBooking(db, row.booking_id)));
    return {
      ...mapTicket(row),
      requester: {
        id: requester.id,
        kind: requester.kind,
        name: requester.name,
        email: identities.find((i) => i.channel === 'email')?.value ?? null,
        phone: identities.find((i) => i.channel === 'phone')?.value ?? null,
        identities,
        organization: requester.organization,
        bonusBalance: requester.bonusBalance,
        ticketCount,
      },
      bookings,
      booking,
      links: links.map((l) => ({
        ticketId: l.id,
        subject: l.subject,
        status: l.status as TTicketStatus,
        kind: l.kind as 'related' | 'follow_up' | 'duplicate',
        direction: l.from_id === row.id ? ('outgoing' as const) : ('incoming' as const),
      })),
      previousTickets: previous.map((t) => ({
        id: t.id,
        subject: t.subject,
        status: t.status,
        channel: t.channel,
        createdAt: t.created_at.toISOString(),
      })),
    };
  };

  /** The ticket a message for `id` lands on: merges followed; none when deleted or the chain is broken. */
  const liveTicket = async (executor: TExecutor, id: number, lock = false) => {
    const find = (ticketId: number) =>
      lock
        ? ticketRepository.findForUpdate(executor, ticketId)
        : ticketRepository.findById(executor, ticketId);
    let t = await find(id);
    for (let hops = 0; t && t.merged_into_id !== null; hops++) {
      if (hops >= MAX_MERGE_HOPS) return undefined;
      t = await find(t.merged_into_id);
    }
    return t && t.deleted_at === null ? t : undefined;
  };
  const liveTicketForUpdate = (trx: Transaction<DB>, id: number) => liveTicket(trx, id, true);

  /** A customer's message on a closed ticket opens a follow-up ticket linked to it. */
  const openFollowUp = async (
    trx: Transaction<DB>,
    closed: {
      id: number;
      subject: string;
      requester_id: number;
      group_id: number | null;
      booking_id: number | null;
      channel: string;
      category: string | null;
    },
    at: Date,
    eventActor: TEventActor,
  ) => {
    const { id } = await ticketRepository.insert(trx, {
      subject: closed.subject,
      channel: closed.channel,
      requester_id: closed.requester_id,
      group_id: closed.group_id,
      booking_id: closed.booking_id,
      category: closed.category,
      created_at: at,
      updated_at: at,
    });
    await ticketRepository.insertLink(trx, { ticket_id: id, linked_ticket_id: closed.id, kind: 'follow_up' });
    return {
      id,
      events: [
        {
          ticket_id: id,
          type: 'created',
          ...eventActor,
          at,
          data: { status: 'new', channel: closed.channel, followUpOf: closed.id },
        },
        {
          ticket_id: closed.id,
          type: 'linked',
          ...eventActor,
          at,
          data: { ticketId: id, kind: 'follow_up', direction: 'incoming' },
        },
      ] satisfies TNewEvent[],
    };
  };

  return {
    publish,

    create: async (actor: TActor, input: TCreateTicketRequest): Promise<TTicketDetail> => {
      requirePermission(actor, 'ticket.create');
      const at = clock();
      const attachments = await storeAttachments(input.message?.attachments);
      const { ticketId, eventIds } = await db.transaction().execute(async (trx) => {
        await Promise.all([
          requireAssignee(trx, input.assigneeId),
          requireGroup(trx, input.groupId),
          requireBooking(trx, input.bookingId),
        ]);
        let requesterId: number;
        if ('id' in input.requester) {
          requesterId = input.requester.id;
          await requireRequester(trx, requesterId);
        } else {
          ({ contactId: requesterId } = await services().contacts.findOrCreateByIdentity(trx, {
            ...input.requester.identity,
            name: input.requester.name,
            kind: input.requester.kind,
          }));
        }
        // Support wrote the first message: a person is its agent, a token writes as the system (as in addMessage).
        const fromSupport = input.message?.author === 'agent';
        const status: TTicketStatus = input.status ?? (fromSupport ? 'open' : 'new');
        const { id } = await ticketRepository.insert(trx, {
          subject: input.subject,
          status,
          priority: input.priority ?? 'normal',
          category: input.category ?? null,
          tags: [...new Set(input.tags ?? [])],
          channel: input.channel,
          requester_id: requesterId,
          assignee_id: input.assigneeId ?? null,
          group_id: input.groupId ?? null,
          booking_id: input.bookingId ?? null,
          custom_fields: JSON.stringify(input.customFields ?? {}),
          created_at: at,
          updated_at: at,
          last_message_at: input.message ? at : null,
          solved_at: status === 'solved' ? at : null,
        });
        const eventActor = eventActorOf(actor);
        const events: TNewEvent[] = [
          {
            ticket_id: id,
            type: 'created',
            ...eventActor,
            at,
            data: {
              status,
              priority: input.priority ?? 'normal',
              channel: input.channel,
              requesterId,
              assigneeId: input.assigneeId ?? null,
              groupId: input.groupId ?? null,
              category: input.category ?? null,
            },
          },
        ];
        if (input.message) {
          const fromContact = !fromSupport;
          const message = await insertMessage(trx, {
            ticketId: id,
            kind: 'reply',
            authorKind: fromContact ? 'contact' : actor.kind === 'user' ? 'agent' : 'system',
            authorUserId: fromContact ? null : actorUserId(actor),
            authorContactId: fromContact ? requesterId : null,
            channel: input.channel,
            body: bodyOf(input.message),
            attachments,
            at,
            eventActor: fromContact ? { actor_kind: 'contact', actor_contact_id: requesterId } : eventActor,
          });
          events.push(message);
          if (!fromContact) {
            await emailReply(
              trx,
              {
                id,
                subject: input.subject,
                channel: input.channel,
                group_id: input.groupId ?? null,
                requester_id: requesterId,
              },
              message,
            );
          }
        }
        return { ticketId: id, eventIds: await ticketRepository.insertEvents(trx, events) };
      });
      await publish(eventIds);
      return detail(actor, ticketId);
    },

    list: async (actor: TActor, query: TTicketListQuery) => {
      requirePermission(actor, 'ticket.read');
      if (!seesAllTickets(actor)) return { items: [], nextCursor: null };
      const sort = query.sort ?? 'updated_desc';
      const after = decodeOrderedCursor(query.cursor, sort, TICKET_ORDERS[sort].parts);
      const rows = await ticketRepository.list(db, {
        ...(await inboxFilter(actor, query)),
        limit: query.limit,
        sort,
        after,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(mapTicket),
        nextCursor:
          rows.length > query.limit && last ? encodeOrderedCursor(sort, sortKeyOf(sort, last)) : null,
      };
    },

    /** How many tickets GET /tickets with these filters would list in all; 0 for those who see none. */
    count: async (actor: TActor, filters: TTicketFilters): Promise<number> => {
      requirePermission(actor, 'ticket.read');
      if (!seesAllTickets(actor)) return 0;
      return ticketRepository.count(db, await inboxFilter(actor, filters));
    },

    get: (actor: TActor, id: number) => detail(actor, id),

    update: async (
      actor: TActor,
      id: number,
      input: TUpdateTicketRequest,
      ifMatch?: number,
    ): Promise<TTicketDetail> => {
      await applyChange(actor, id, input, ifMatch);
      return detail(actor, id);
    },

    /** One change to many tickets, each through the PATCH path in its own transaction; a refusal stops only its ticket. */
    bulkUpdate: async (
      actor: TActor,
      input: TBulkUpdateTicketsRequest,
    ): Promise<TBulkUpdateTicketsResponse> => {
      requirePermission(actor, 'ticket.update');
      const results: TBulkUpdateTicketsResponse['results'] = [];
      for (const id of input.ids) {
        try {
          results.push({ id, ok: true, version: await applyChange(actor, id, input.set) });
        } catch (error) {
          if (!(error instanceof AppError)) logger.error({ err: error, ticketId: id }, 'bulk update failed');
          const refusal = error instanceof AppError ? error : new AppError('INTERNAL');
          results.push({ id, ok: false, error: { code: refusal.code, message: refusal.message } });
        }
      }
      return { results };
    },

    /** A public reply or an internal note by the actor; an integration may also write as the requester. */
    addMessage: async (actor: TActor, id: number, input: TCreateMessageRequest) => {
      const permission = input.kind === 'note' ? 'ticket.note' : 'ticket.reply';
      requirePermission(actor, permission);
      const fromContact = input.author === 'contact';
      if (fromContact && actor.role !== 'integration' && actor.role !== 'admin') {
        throw new AppError('FORBIDDEN', 'Only an integration may write as the requester');
      }
      if (fromContact && input.kind === 'note')
        throw new AppError('VALIDATION_FAILED', 'A requester cannot write notes');
      const at = clock();
      const attachments = await storeAttachments(input.attachments);
      const result = await db.transaction().execute(async (trx) => {
        const current = await ticketRepository.findForUpdate(trx, id);
        requireTicketAccess(actor, permission, current);
        let t = current!;
        if (t.merged_into_id !== null)
          throw new AppError('TICKET_MERGED', `Ticket was merged into ${t.merged_into_id}`);
        const eventActor: TEventActor = fromContact
          ? { actor_kind: 'contact', actor_contact_id: t.requester_id }
          : eventActorOf(actor);
        const events: TNewEvent[] = [];
        if (t.status === 'closed') {
          if (!fromContact) throw new AppError('TICKET_CLOSED', 'A closed ticket takes no new messages');
          const followUp = await openFollowUp(trx, t, at, eventActor);
          events.push(...followUp.events);
          t = (await ticketRepository.findForUpdate(trx, followUp.id))!;
        }
        const before = t.status as TTicketStatus;
        let after = before;
        if (input.kind === 'reply') {
          after = fromContact
            ? statusAfterContactMessage(before)
            : statusAfterAgentReply(before, input.status);
        } else if (input.status) {
          after = input.status;
        }
        if (after !== before && !canTransition(before, after)) {
          throw new AppError('INVALID_STATUS_TRANSITION', `Cannot change status from ${before} to ${after}`);
        }
        const message = await insertMessage(trx, {
          ticketId: t.id,
          kind: input.kind,
          authorKind: fromContact ? 'contact' : actor.kind === 'user' ? 'agent' : 'system',
          authorUserId: fromContact ? null : actorUserId(actor),
          authorContactId: fromContact ? t.requester_id : null,
          channel: fromContact ? t.channel : input.kind === 'note' ? 'internal' : t.channel,
          body: bodyOf(input),
          attachments,
          at,
          eventActor,
        });
        events.push(message);
        if (input.kind === 'reply' && !fromContact) await emailReply(trx, t, message);
        events.push(...statusEvents(t.id, before, after, at, eventActor));
        await ticketRepository.update(trx, t.id, {
          updated_at: at,
          ...(input.kind === 'reply' && { last_message_at: at }),
          ...(after !== before && { status: after, ...statusTimestamps(after, before, at) }),
        });
        const eventIds = await ticketRepository.insertEvents(trx, events);
        return {
          ticketId: t.id,
          eventIds,
          messageEventIndex: events.findIndex((e) => e.type.endsWith('_added')),
        };
      });
      await publish(result.eventIds);
      const messages = await ticketRepository.messagesOf(db, result.ticketId);
      const all = await ticketRepository.attachmentsOfTicket(db, result.ticketId);
      const message = messages.at(-1)!;
      const delivery = await services().email.deliveryOf(db, [message.id]);
      return {
        message: mapMessage(message, all, delivery.get(message.id) ?? null),
        ticketId: result.ticketId,
      };
    },

    /**
     * Channel intake: a new ticket opened by a contact's message, written in the caller's
     * transaction so a channel commits it together with its own rows. Events are returned, not published.
     */
    openFromContact: async (
      trx: Transaction<DB>,
      input: {
        channel: TChannel;
        subject: string;
        requesterId: number;
        groupId: number | null;
        body: { text: string; html: string | null };
        attachments: TStoredAttachment[];
        at: Date;
      },
    ): Promise<TIntakeResult> => {
      const { at, requesterId } = input;
      const { id } = await ticketRepository.insert(trx, {
        subject: input.subject,
        channel: input.channel,
        requester_id: requesterId,
        group_id: input.groupId,
        created_at: at,
        updated_at: at,
        last_message_at: at,
      });
      const eventActor: TEventActor = { actor_kind: 'contact', actor_contact_id: requesterId };
      const message = await insertMessage(trx, {
        ticketId: id,
        kind: 'reply',
        authorKind: 'contact',
        authorUserId: null,
        authorContactId: requesterId,
        channel: input.channel,
        body: input.body,
        attachments: input.attachments,
        at,
        eventActor,
      });
      const events: TNewEvent[] = [
        {
          ticket_id: id,
          type: 'created',
          ...eventActor,
          at,
          data: {
            status: 'new',
            priority: 'normal',
            channel: input.channel,
            requesterId,
            assigneeId: null,
            groupId: input.groupId,
            category: null,
          },
        },
        message,
      ];
      return {
        ticketId: id,
        messageId: message.data.messageId as number,
        eventIds: await ticketRepository.insertEvents(trx, events),
      };
    },

    /**
     * Channel intake: a contact's message on an existing ticket (merges followed), with the status
     * rules of a requester's message (decision 0005): a closed ticket gets a follow-up ticket. An
     * automatic message (auto-reply) changes no status and never opens a follow-up. Null when the
     * ticket no longer takes messages (deleted, or closed for an automatic one).
     */
    addFromContact: async (
      trx: Transaction<DB>,
      input: {
        ticketId: number;
        contactId: number;
        channel: TChannel;
        body: { text: string; html: string | null };
        attachments: TStoredAttachment[];
        isAuto: boolean;
        at: Date;
      },
    ): Promise<TIntakeResult | null> => {
      const { at } = input;
      let t = await liveTicketForUpdate(trx, input.ticketId);
      if (!t || (t.status === 'closed' && input.isAuto)) return null;
      const eventActor: TEventActor = { actor_kind: 'contact', actor_contact_id: input.contactId };
      const events: TNewEvent[] = [];
      if (t.status === 'closed') {
        const followUp = await openFollowUp(trx, t, at, eventActor);
        events.push(...followUp.events);
        t = (await ticketRepository.findForUpdate(trx, followUp.id))!;
      }
      const before = t.status as TTicketStatus;
      const after = input.isAuto ? before : statusAfterContactMessage(before);
      const message = await insertMessage(trx, {
        ticketId: t.id,
        kind: 'reply',
        authorKind: 'contact',
        authorUserId: null,
        authorContactId: input.contactId,
        channel: input.channel,
        body: input.body,
        attachments: input.attachments,
        at,
        eventActor,
        isAuto: input.isAuto,
      });
      events.push(message, ...statusEvents(t.id, before, after, at, eventActor));
      await ticketRepository.update(trx, t.id, {
        updated_at: at,
        last_message_at: at,
        ...(after !== before && { status: after, ...statusTimestamps(after, before, at) }),
      });
      return {
        ticketId: t.id,
        messageId: message.data.messageId as number,
        eventIds: await ticketRepository.insertEvents(trx, events),
      };
    },

    /** Channel intake: a note by the system (a delivery failure, say) on a ticket, merges followed. */
    addSystemNote: async (
      trx: Transaction<DB>,
      input: { ticketId: number; text: string; at: Date },
    ): Promise<TIntakeResult | null> => {
      const t = await liveTicketForUpdate(trx, input.ticketId);
      if (!t) return null;
      const message = await insertMessage(trx, {
        ticketId: t.id,
        kind: 'note',
        authorKind: 'system',
        authorUserId: null,
        authorContactId: null,
        channel: 'internal',
        body: { text: input.text, html: textToHtml(input.text) },
        attachments: [],
        at: input.at,
        eventActor: { actor_kind: 'system' },
        isAuto: true,
      });
      await ticketRepository.update(trx, t.id, { updated_at: input.at });
      return {
        ticketId: t.id,
        messageId: message.data.messageId as number,
        eventIds: await ticketRepository.insertEvents(trx, [message]),
      };
    },

    /** The live ticket (merges followed) when the contact already takes part in it, else null. */
    ticketWithParticipant: async (
      executor: TExecutor,
      ticketId: number,
      contactId: number,
    ): Promise<number | null> => {
      const t = await liveTicket(executor, ticketId);
      return t && (await ticketRepository.hasParticipant(executor, t.id, contactId)) ? t.id : null;
    },

    /**
     * Channel outbound: an automatic reply by the system (an email auto-acknowledgement) on a live
     * ticket, merges followed; it changes no status. Null when the ticket is gone or closed.
     */
    addAutoReply: async (
      trx: Transaction<DB>,
      input: { ticketId: number; channel: TChannel; body: { text: string; html: string | null }; at: Date },
    ) => {
      const t = await liveTicketForUpdate(trx, input.ticketId);
      if (!t || t.status === 'closed') return null;
      const message = await insertMessage(trx, {
        ticketId: t.id,
        kind: 'reply',
        authorKind: 'system',
        authorUserId: null,
        authorContactId: null,
        channel: input.channel,
        body: input.body,
        attachments: [],
        at: input.at,
        eventActor: { actor_kind: 'system' },
        isAuto: true,
      });
      await ticketRepository.update(trx, t.id, { updated_at: input.at });
      return {
        ticket: { id: t.id, subject: t.subject, groupId: t.group_id, requesterId: t.requester_id },
        messageId: message.data.messageId as number,
        eventIds: await ticketRepository.insertEvents(trx, [message]),
      };
    },

    /** What an outgoing email of a message needs: the message, its attachments, the customer message it answers. */
    emailContextOf: async (executor: TExecutor, messageId: number) => {
      const message = await ticketRepository.findMessage(executor, messageId);
      if (!message) return null;
      const [attachments, previous] = await Promise.all([
        ticketRepository.attachmentsOfMessage(executor, messageId),
        ticketRepository.previousContactMessage(executor, {
          ticketId: message.ticket_id,
          createdAt: message.created_at,
          id: message.id,
        }),
      ]);
      return {
        ticketId: message.ticket_id,
        text: message.body_text,
        html: message.body_html,
        attachments: attachments.map((a) => ({
          filename: a.filename,
          contentType: a.content_type,
          storageKey: a.storage_key,
        })),
        previous: previous
          ? {
              authorName: previous.contact_name ?? '',
              at: previous.created_at,
              text: previous.body_text,
              html: previous.body_html,
            }
          : null,
      };
    },

    /** Records a system event on a ticket (a channel's state change, say); publish the ids after commit. */
    appendSystemEvent: (
      executor: TExecutor,
      input: { ticketId: number; type: TTicketEventType; data: Record<string, unknown>; at: Date },
    ) =>
      ticketRepository.insertEvents(executor, [
        { ticket_id: input.ticketId, type: input.type, actor_kind: 'system', at: input.at, data: input.data },
      ]),

    listMessages: async (actor: TActor, id: number) => {
      await loadTicket(db, actor, id);
      const [messages, attachments] = await Promise.all([
        ticketRepository.messagesOf(db, id),
        ticketRepository.attachmentsOfTicket(db, id),
      ]);
      const delivery = await services().email.deliveryOf(
        db,
        messages.filter((m) => m.kind === 'reply' && m.author_kind !== 'contact').map((m) => m.id),
      );
      return {
        items: messages.map((m) => mapMessage(m, attachments, delivery.get(m.id) ?? null)),
        nextCursor: null,
      };
    },

    listEvents: async (actor: TActor, id: number, query: { limit: number; cursor?: string }) => {
      await loadTicket(db, actor, id);
      const [afterId] = (decodeCursor(query.cursor, ['bigid']) ?? []) as number[];
      const rows = await ticketRepository.eventsOf(db, id, { limit: query.limit, afterId });
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(mapEvent),
        nextCursor: rows.length > query.limit ? encodeCursor([page.at(-1)!.id]) : null,
      };
    },

    /** Whether the actor may see the ticket: the realtime hub asks before presence is taken or sent. */
    isVisibleTo: async (actor: TActor, id: number): Promise<boolean> =>
      can(actor, 'ticket.read') &&
      seesAllTickets(actor) &&
      (await ticketRepository.findById(db, id)) !== undefined,

    /** Who has the ticket open right now, across nodes. */
    presenceOf: async (actor: TActor, id: number) => {
      await loadTicket(db, actor, id);
      return { viewers: realtime.viewersOf(id) };
    },

    /** Events by id for the realtime hub, already filtered to what the actor may see. */
    eventsVisibleTo: async (actor: TActor, eventIds: number[]) => {
      if (!seesAllTickets(actor)) return [];
      return (await ticketRepository.eventsByIds(db, eventIds)).map(mapEvent);
    },

    /** Merges source into target: messages move, the source is closed as merged, both histories record it. */
    merge: async (actor: TActor, sourceId: number, targetId: number) => {
      requirePermission(actor, 'ticket.merge');
      if (sourceId === targetId) throw new AppError('INVALID_MERGE', 'A ticket cannot be merged into itself');
      const at = clock();
      const eventIds = await db.transaction().execute(async (trx) => {
        // Lock in id order so two opposite merges cannot deadlock.
        const [first, second] = sourceId < targetId ? [sourceId, targetId] : [targetId, sourceId];
        const a = await ticketRepository.findForUpdate(trx, first);
        const b = await ticketRepository.findForUpdate(trx, second);
        const source = sourceId === first ? a : b;
        const target = targetId === first ? a : b;
        requireTicketAccess(actor, 'ticket.merge', source);
        if (!target || !seesAllTickets(actor))
          throw new AppError('TICKET_NOT_FOUND', 'Target ticket not found', { targetId });
        if (source!.merged_into_id !== null)
          throw new AppError('TICKET_MERGED', 'Source ticket is already merged');
        if (target.merged_into_id !== null)
          throw new AppError('INVALID_MERGE', 'Target ticket is merged into another');
        if (target.status === 'closed') throw new AppError('INVALID_MERGE', 'Target ticket is closed');
        await ticketRepository.moveMessages(trx, sourceId, targetId);
        await ticketRepository.update(trx, sourceId, {
          merged_into_id: targetId,
          status: 'closed',
          closed_at: at,
          updated_at: at,
        });
        await ticketRepository.update(trx, targetId, { updated_at: at, last_message_at: at });
        const eventActor = eventActorOf(actor);
        return ticketRepository.insertEvents(trx, [
          {
            ticket_id: sourceId,
            type: 'merged_into',
            ...eventActor,
            at,
            data: { targetId, statusBefore: source!.status },
          },
          {
            ticket_id: targetId,
            type: 'merged_from',
            ...eventActor,
            at,
            data: { sourceId, subject: source!.subject },
          },
        ]);
      });
      await publish(eventIds);
      return detail(actor, targetId);
    },

    link: async (
      actor: TActor,
      id: number,
      targetId: number,
      kind: 'related' | 'follow_up' | 'duplicate',
    ) => {
      requirePermission(actor, 'ticket.update');
      if (id === targetId) throw new AppError('INVALID_LINK', 'A ticket cannot be linked to itself');
      const at = clock();
      const eventIds = await db.transaction().execute(async (trx) => {
        const source = await ticketRepository.findForUpdate(trx, id);
        requireTicketAccess(actor, 'ticket.update', source);
        const target = await ticketRepository.findById(trx, targetId);
        if (!target) throw new AppError('TICKET_NOT_FOUND', 'Target ticket not found', { targetId });
        await ticketRepository.insertLink(trx, { ticket_id: id, linked_ticket_id: targetId, kind });
        const eventActor = eventActorOf(actor);
        return ticketRepository.insertEvents(trx, [
          {
            ticket_id: id,
            type: 'linked',
            ...eventActor,
            at,
            data: { ticketId: targetId, kind, direction: 'outgoing' },
          },
          {
            ticket_id: targetId,
            type: 'linked',
            ...eventActor,
            at,
            data: { ticketId: id, kind, direction: 'incoming' },
          },
        ]);
      });
      await publish(eventIds);
      return detail(actor, id);
    },

    /** Contact merge moved these tickets to another requester: record it in each history. */
    recordRequesterMerge: (
      trx: Transaction<DB>,
      input: { actor: TActor; ticketIds: number[]; sourceId: number; targetId: number },
    ) => {
      const at = clock();
      return ticketRepository.insertEvents(
        trx,
        input.ticketIds.map((ticketId) => ({
          ticket_id: ticketId,
          type: 'requester_changed',
          ...eventActorOf(input.actor),
          at,
          data: { before: input.sourceId, after: input.targetId, reason: 'contact_merge' },
        })),
      );
    },

    /** Closes solved tickets older than the workspace's auto-close period; idempotent. */
    autoCloseSolved: async (): Promise<number> => {
      const now = clock();
      const days = (await services().settings.current()).autoCloseDays;
      const ids = await ticketRepository.solvedBefore(db, new Date(now.getTime() - days * 86_400_000), 500);
      const eventIds: number[] = [];
      for (const id of ids) {
        const created = await db.transaction().execute(async (trx) => {
          const t = await ticketRepository.findForUpdate(trx, id);
          if (t?.status !== 'solved') return [];
          await ticketRepository.update(trx, id, { status: 'closed', closed_at: now, updated_at: now });
          return ticketRepository.insertEvents(
            trx,
            statusEvents(id, 'solved', 'closed', now, { actor_kind: 'system' }),
          );
        });
        eventIds.push(...created);
      }
      await publish(eventIds);
      return ids.length;
    },

    attachment: async (actor: TActor, attachmentId: string) => {
      requirePermission(actor, 'ticket.read');
      if (!/^[0-9a-f-]{36}$/i.test(attachmentId)) throw new AppError('ATTACHMENT_NOT_FOUND');
      const row = await ticketRepository.findAttachment(db, attachmentId);
      if (!row?.ticket_id || !seesAllTickets(actor)) throw new AppError('ATTACHMENT_NOT_FOUND');
      const bytes = await storage.get(row.storage_key);
      if (!bytes) throw new AppError('ATTACHMENT_NOT_FOUND');
      return { bytes, filename: row.filename, contentType: row.content_type };
    },
  };
};

export type TTicketService = ReturnType<typeof createTicketService>;
