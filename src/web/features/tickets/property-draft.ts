import type { TTicketStatus } from '../../../shared/enums.ts';
import type { TTicket, TUpdateTicketRequest } from '../../../shared/schemas/tickets.ts';

export type TFieldValue = string | number | boolean | null;

/** The properties the panel edits, as the panel shows them. */
export type TPropertyValues = {
  status: TTicketStatus;
  priority: TTicket['priority'];
  assigneeId: number | null;
  groupId: number | null;
  category: string | null;
  tags: string[];
  bookingId: number | null;
  customFields: Record<string, TFieldValue>;
};
export type TPropertyField = keyof TPropertyValues;
/** What the agent changed and has not saved yet. */
export type TEdits = Partial<TPropertyValues>;

export const PROPERTY_FIELDS: readonly TPropertyField[] = [
  'status',
  'priority',
  'assigneeId',
  'groupId',
  'category',
  'tags',
  'bookingId',
  'customFields',
];

const asFieldValue = (v: unknown): TFieldValue =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? v
    : JSON.stringify(v);

export const valuesOf = (ticket: TTicket): TPropertyValues => ({
  status: ticket.status,
  priority: ticket.priority,
  assigneeId: ticket.assigneeId,
  groupId: ticket.groupId,
  category: ticket.category,
  tags: ticket.tags,
  bookingId: ticket.bookingId,
  customFields: Object.fromEntries(Object.entries(ticket.customFields).map(([k, v]) => [k, asFieldValue(v)])),
});

/** A tag as the API accepts it: no spaces or commas. */
export const normalizeTag = (tag: string): string =>
  tag
    .trim()
    .replace(/[\s,]+/g, '-')
    .slice(0, 50);

/** Custom fields that differ: changed or new keys with their value, removed keys as null. */
const fieldChanges = (
  before: Record<string, TFieldValue>,
  after: Record<string, TFieldValue>,
): Record<string, TFieldValue> => {
  const changes: Record<string, TFieldValue> = {};
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) changes[k] = v;
  for (const k of Object.keys(before)) if (!(k in after) && before[k] !== null) changes[k] = null;
  return changes;
};

export const isSameValue = <F extends TPropertyField>(
  field: F,
  a: TPropertyValues[F],
  b: TPropertyValues[F],
): boolean => {
  if (field === 'tags') {
    const x = a as string[];
    const y = b as string[];
    return x.length === y.length && x.every((t, i) => t === y[i]);
  }
  if (field === 'customFields') {
    return (
      Object.keys(fieldChanges(a as Record<string, TFieldValue>, b as Record<string, TFieldValue>)).length ===
      0
    );
  }
  return a === b;
};

/** Edits that still differ from `current`; fields edited back to the current value drop out. */
export const pendingEdits = (current: TPropertyValues, edits: TEdits): TEdits => {
  const out: TEdits = {};
  for (const field of PROPERTY_FIELDS) {
    const mine = edits[field];
    if (mine === undefined) continue;
    if (!isSameValue(field, mine as never, current[field] as never)) Object.assign(out, { [field]: mine });
  }
  return out;
};

/** The PATCH body that applies `edits` on top of `current`. */
export const patchOf = (current: TPropertyValues, edits: TEdits): TUpdateTicketRequest => {
  const pending = pendingEdits(current, edits);
  const { customFields, category, tags, ...rest } = pending;
  return {
    ...rest,
    ...(category !== undefined && { category: category?.trim() ? category.trim() : null }),
    ...(tags !== undefined && { tags: [...new Set(tags.map(normalizeTag).filter(Boolean))] }),
    ...(customFields !== undefined && { customFields: fieldChanges(current.customFields, customFields) }),
  };
};

export type TConflictRow = {
  field: TPropertyField;
  /** The value when the agent started editing. */
  base: unknown;
  /** The value someone else saved meanwhile. */
  theirs: unknown;
  /** The agent's unsaved value; undefined when the agent did not touch this field. */
  mine: unknown;
};

/**
 * What a 409 is about: every field someone else changed since `base`, and every field the agent
 * edited, side by side, so the agent can decide before anything is overwritten.
 */
export const conflictRows = (base: TPropertyValues, fresh: TPropertyValues, edits: TEdits): TConflictRow[] =>
  PROPERTY_FIELDS.filter(
    (field) => edits[field] !== undefined || !isSameValue(field, base[field] as never, fresh[field] as never),
  ).map((field) => ({ field, base: base[field], theirs: fresh[field], mine: edits[field] }));
