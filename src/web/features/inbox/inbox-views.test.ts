import { describe, expect, it } from 'vitest';
import { isGroupView, isTranslatedView, sectionViews } from './inbox-views.ts';

describe('inbox views', () => {
  it('splits views into built-in, group and saved blocks, keeping the order', () => {
    const views = [
      { id: 'my-open', kind: 'builtin' as const },
      { id: 'unassigned', kind: 'builtin' as const },
      { id: 'group-2', kind: 'builtin' as const },
      { id: 'group-1', kind: 'builtin' as const },
      { id: 'pending', kind: 'builtin' as const },
      { id: '17', kind: 'saved' as const },
      { id: 'all', kind: 'builtin' as const },
      { id: '4', kind: 'saved' as const },
    ];
    const s = sectionViews(views);
    expect(s.builtin.map((v) => v.id)).toEqual(['my-open', 'unassigned', 'pending', 'all']);
    expect(s.groups.map((v) => v.id)).toEqual(['group-2', 'group-1']);
    expect(s.saved.map((v) => v.id)).toEqual(['17', '4']);
  });

  it('translates only the known built-in ids', () => {
    expect(isTranslatedView('recently-solved')).toBe(true);
    expect(isTranslatedView('group-3')).toBe(false);
    expect(isGroupView({ id: 'group-3', kind: 'builtin' })).toBe(true);
    expect(isGroupView({ id: 'group-3', kind: 'saved' })).toBe(false);
  });
});
