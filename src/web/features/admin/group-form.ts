import type { TGroup } from '../../../shared/schemas/auth.ts';

export type TGroupForm = { name: string; description: string; memberIds: number[] };

/** Only what changed against the group as it was opened; members are compared as a set. */
export const groupPatch = (form: TGroupForm, base: TGroup): Partial<TGroupForm> => {
  const patch: Partial<TGroupForm> = {};
  if (form.name.trim() !== base.name) patch.name = form.name.trim();
  if (form.description.trim() !== base.description) patch.description = form.description.trim();
  const had = new Set(base.memberIds);
  const has = new Set(form.memberIds);
  if (had.size !== has.size || [...has].some((id) => !had.has(id))) patch.memberIds = [...has];
  return patch;
};
