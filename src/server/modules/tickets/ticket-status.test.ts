import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, type TTicketStatus } from '../../../shared/enums.ts';
import { canTransition, statusAfterAgentReply, statusAfterContactMessage } from './ticket-status.ts';

describe('ticket status machine', () => {
  const allowed: Record<TTicketStatus, TTicketStatus[]> = {
    new: ['new', 'open', 'pending', 'on_hold', 'solved'],
    open: ['open', 'pending', 'on_hold', 'solved'],
    pending: ['open', 'pending', 'on_hold', 'solved'],
    on_hold: ['open', 'pending', 'on_hold', 'solved'],
    solved: ['open', 'solved', 'closed'],
    closed: [],
  };

  for (const from of TICKET_STATUSES) {
    for (const to of TICKET_STATUSES) {
      const expected = allowed[from].includes(to);
      it(`${from} → ${to} is ${expected ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(expected);
      });
    }
  }

  it('a customer message reopens pending and solved, and leaves the rest', () => {
    expect(statusAfterContactMessage('pending')).toBe('open');
    expect(statusAfterContactMessage('solved')).toBe('open');
    expect(statusAfterContactMessage('new')).toBe('new');
    expect(statusAfterContactMessage('open')).toBe('open');
    expect(statusAfterContactMessage('on_hold')).toBe('on_hold');
    expect(statusAfterContactMessage('closed')).toBe('closed');
  });

  it('an agent reply opens a new ticket unless a status is chosen', () => {
    expect(statusAfterAgentReply('new')).toBe('open');
    expect(statusAfterAgentReply('pending')).toBe('pending');
    expect(statusAfterAgentReply('new', 'solved')).toBe('solved');
  });
});
