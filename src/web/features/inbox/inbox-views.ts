import type { TView } from '../../../shared/schemas/views.ts';

/** Built-in views whose names the client translates; group views carry the group's own name. */
export const BUILTIN_VIEW_IDS = [
  'my-open',
  'unassigned',
  'pending',
  'on-hold',
  'recently-solved',
  'all',
] as const;
export type TBuiltinViewId = (typeof BUILTIN_VIEW_IDS)[number];

export const DEFAULT_VIEW_ID: TBuiltinViewId = 'my-open';

export const isTranslatedView = (id: string): id is TBuiltinViewId =>
  (BUILTIN_VIEW_IDS as readonly string[]).includes(id);

export const isGroupView = (view: Pick<TView, 'id' | 'kind'>): boolean =>
  view.kind === 'builtin' && /^group-\d+$/.test(view.id);

export type TViewSections<T> = { builtin: T[]; groups: T[]; saved: T[] };

/** The sidebar's three blocks, each in the server's order. */
export const sectionViews = <T extends Pick<TView, 'id' | 'kind'>>(
  views: readonly T[],
): TViewSections<T> => ({
  builtin: views.filter((v) => v.kind === 'builtin' && !isGroupView(v)),
  groups: views.filter(isGroupView),
  saved: views.filter((v) => v.kind === 'saved'),
});
