import { describe, expect, it } from 'vitest';
import type { TTicketEvent } from '../../../shared/schemas/tickets.ts';
import {
  changedFieldNames,
  describeEvent,
  genderOf,
  type TEventLabels,
  tagChanges,
} from './ticket-events.ts';

const labels: TEventLabels = {
  status: (s) => `S:${s}`,
  priority: (p) => `P:${p}`,
  user: (id) => `U${id}`,
  group: (id) => `G${id}`,
  category: (c) => `C:${c}`,
  linkKind: (k) => `L:${k}`,
  system: 'Система',
  none: '—',
};

const event = (over: Partial<TTicketEvent>): TTicketEvent => ({
  id: 1,
  ticketId: 7,
  type: 'status_changed',
  actor: { kind: 'user', id: 4, name: 'Анна Соколова' },
  at: '2026-11-25T10:00:00.000Z',
  data: {},
  ...over,
});

describe('genderOf', () => {
  it.each([
    ['Анна Соколова', 'female'],
    ['Дмитрий Волков', 'male'],
    ['Никита Орлов', 'male'],
    ['Ольга', 'female'],
    ['Сергей', 'male'],
    ['Иван Петрович Сидоров', 'male'],
    ['Мария Ивановна', 'female'],
    ['Саша', null],
    ['Oliver Taylor', null],
    ['', null],
  ] as const)('%s → %s', (name, gender) => {
    expect(genderOf(name)).toBe(gender);
  });
});

describe('describeEvent', () => {
  it('describes a status change with both labels and the actor', () => {
    const d = describeEvent(event({ data: { before: 'open', after: 'pending' } }), labels);
    expect(d).toEqual({
      key: 'changed',
      verb: 'changed',
      gender: 'female',
      values: { actor: 'Анна Соколова', what: 'status', before: 'S:open', after: 'S:pending' },
    });
  });

  it('names users and groups, and says "none" for an empty side', () => {
    const d = describeEvent(event({ type: 'assignee_changed', data: { before: null, after: 9 } }), labels);
    expect(d.values).toMatchObject({ what: 'assignee', before: '—', after: 'U9' });
    const g = describeEvent(event({ type: 'group_changed', data: { before: 2, after: null } }), labels);
    expect(g.values).toMatchObject({ before: 'G2', after: '—' });
  });

  it('uses the system label for automatic changes', () => {
    const d = describeEvent(
      event({
        type: 'status_changed',
        actor: { kind: 'system', id: null, name: null },
        data: { before: 'solved', after: 'closed' },
      }),
      labels,
    );
    expect(d.values.actor).toBe('Система');
  });

  it('links merges and links to the other ticket', () => {
    expect(describeEvent(event({ type: 'merged_into', data: { targetId: 12 } }), labels)).toMatchObject({
      key: 'merged_into',
      ticketId: 12,
    });
    expect(
      describeEvent(
        event({ type: 'linked', data: { ticketId: 5, kind: 'duplicate', direction: 'incoming' } }),
        labels,
      ),
    ).toMatchObject({ key: 'linked_incoming', ticketId: 5, values: { kind: 'L:duplicate' } });
  });

  it('summarises tags and custom fields', () => {
    expect(tagChanges(['a', 'b'], ['b', 'c'])).toBe('+c, −a');
    expect(changedFieldNames({ x: 1, y: 2 }, { x: 1, y: 3, z: true })).toEqual(['y', 'z']);
    expect(
      describeEvent(event({ type: 'tags_changed', data: { before: [], after: ['vip'] } }), labels).values
        .changes,
    ).toBe('+vip');
  });

  it('falls back for event types it does not know', () => {
    expect(describeEvent(event({ type: 'future_thing' }), labels)).toMatchObject({
      key: 'other',
      values: { type: 'future_thing' },
    });
  });
});
