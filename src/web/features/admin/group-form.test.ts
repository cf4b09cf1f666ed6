import { describe, expect, it } from 'vitest';
import { groupPatch } from './group-form.ts';

const GROUP = { id: 1, name: 'Платежи', description: 'Оплаты и возвраты', memberIds: [3, 5], version: 2 };

describe('groupPatch', () => {
  it('is empty when nothing changed, member order aside', () => {
    expect(
      groupPatch({ name: 'Платежи ', description: 'Оплаты и возвраты', memberIds: [5, 3] }, GROUP),
    ).toEqual({});
  });

  it('renames and changes members', () => {
    expect(
      groupPatch({ name: 'Финансы', description: 'Оплаты и возвраты', memberIds: [3, 7] }, GROUP),
    ).toEqual({
      name: 'Финансы',
      memberIds: [3, 7],
    });
    expect(groupPatch({ name: 'Платежи', description: '', memberIds: [] }, GROUP)).toEqual({
      description: '',
      memberIds: [],
    });
  });
});
