import { describe, expect, it } from 'vitest';
import { detectActivity } from './inbox-activity.ts';

const t = (id: number, updatedAt: string) => ({ id, updatedAt });

describe('new activity in the inbox list', () => {
  it('reports nothing on the first load or after the query changed', () => {
    const first = detectActivity(null, 'a', [[t(1, 'x')]]);
    expect(first.changedIds).toEqual([]);
    expect(detectActivity(first.seen, 'b', [[t(2, 'y')]]).changedIds).toEqual([]);
  });

  it('reports tickets that arrived or changed since the last refetch', () => {
    const { seen } = detectActivity(null, 'a', [[t(1, 'a1'), t(2, 'a2')], [t(3, 'a3')]]);
    const next = detectActivity(seen, 'a', [[t(9, 'b9'), t(2, 'b2'), t(1, 'a1')], [t(3, 'a3')]]);
    expect(next.changedIds).toEqual([9, 2]);
    expect(
      detectActivity(next.seen, 'a', [[t(9, 'b9'), t(2, 'b2'), t(1, 'a1')], [t(3, 'a3')]]).changedIds,
    ).toEqual([]);
  });

  it('does not count a freshly loaded next page as activity', () => {
    const { seen } = detectActivity(null, 'a', [[t(1, 'a1')]]);
    expect(detectActivity(seen, 'a', [[t(1, 'a1')], [t(2, 'a2'), t(3, 'a3')]]).changedIds).toEqual([]);
  });
});
