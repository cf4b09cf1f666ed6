import { describe, expect, it } from 'vitest';
import { conflictRows, normalizeTag, patchOf, pendingEdits, type TPropertyValues } from './property-draft.ts';

const values = (over: Partial<TPropertyValues> = {}): TPropertyValues => ({
  status: 'open',
  priority: 'normal',
  assigneeId: null,
  groupId: 1,
  category: 'refund',
  tags: ['a'],
  bookingId: null,
  customFields: { orderRef: 'X1', vip: false },
  ...over,
});

describe('property draft', () => {
  it('sends only what differs from the ticket', () => {
    expect(patchOf(values(), { status: 'pending', priority: 'normal', tags: ['a'] })).toEqual({
      status: 'pending',
    });
  });

  it('cleans tags and category for the API', () => {
    expect(patchOf(values(), { tags: ['a', 'late arrival', 'a b', 'late-arrival'], category: '  ' })).toEqual(
      {
        tags: ['a', 'late-arrival', 'a-b'],
        category: null,
      },
    );
    expect(normalizeTag(' x, y ')).toBe('x-y');
  });

  it('sends changed custom fields, and null for removed ones', () => {
    expect(patchOf(values(), { customFields: { vip: true, seats: 2 } })).toEqual({
      customFields: { vip: true, seats: 2, orderRef: null },
    });
  });

  it('drops edits that now equal the current value', () => {
    expect(pendingEdits(values({ status: 'pending' }), { status: 'pending', groupId: 2 })).toEqual({
      groupId: 2,
    });
  });

  it('lists my edits and their changes side by side on a conflict', () => {
    const base = values();
    const fresh = values({ status: 'solved', assigneeId: 9 });
    const rows = conflictRows(base, fresh, { status: 'pending', priority: 'high' });
    expect(rows).toEqual([
      { field: 'status', base: 'open', theirs: 'solved', mine: 'pending' },
      { field: 'priority', base: 'normal', theirs: 'normal', mine: 'high' },
      { field: 'assigneeId', base: null, theirs: 9, mine: undefined },
    ]);
    // Re-applying against the fresh values sends my edits only.
    expect(patchOf(fresh, { status: 'pending', priority: 'high' })).toEqual({
      status: 'pending',
      priority: 'high',
    });
  });
});
