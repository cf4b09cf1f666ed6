import type { TTicketStatus } from '../../../shared/enums.ts';

/** Which statuses an agent may move a ticket to from each status. Closed is final. */
export const STATUS_TRANSITIONS: Record<TTicketStatus, readonly TTicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export const canTransition = (from: TTicketStatus, to: TTicketStatus): boolean =>
  from === to ? from !== 'closed' : STATUS_TRANSITIONS[from].includes(to);

/**
 * Status after the requester writes: waiting-on-customer and solved tickets reopen;
 * a closed ticket never changes (the caller opens a follow-up ticket instead).
 */
export const statusAfterContactMessage = (status: TTicketStatus): TTicketStatus => {
  switch (status) {
    case 'pending':
    case 'solved':
      return 'open';
    case 'new':
    case 'open':
    case 'on_hold':
    case 'closed':
      return status;
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
};

/** Status after an agent's public reply: the requested one, or a new ticket becomes open. */
export const statusAfterAgentReply = (status: TTicketStatus, requested?: TTicketStatus): TTicketStatus =>
  requested ?? (status === 'new' ? 'open' : status);
