import type { TTicketEvent } from '../../../shared/schemas/tickets.ts';

/** Grammatical gender of a person's name, for Russian past-tense verbs ("сменил" / "сменила"). */
export type TGender = 'male' | 'female';

const MALE_NAMES_IN_A = new Set([
  'никита',
  'илья',
  'кузьма',
  'фома',
  'лука',
  'савва',
  'данила',
  'гаврила',
  'фока',
]);
const AMBIGUOUS = new Set(['саша', 'женя', 'валя', 'шура', 'слава']);

/**
 * A best guess from a Russian name (patronymic, then surname, then first name); null when the
 * name is not Cyrillic or the guess is unsafe, and the neutral "сменил(а)" is used instead.
 */
export const genderOf = (name: string | null | undefined): TGender | null => {
  const words = (name ?? '')
    .toLowerCase()
    .split(/[\s.,]+/)
    .filter((w) => /^[а-яё-]+$/.test(w));
  if (words.length === 0) return null;
  for (const w of words) {
    if (/(ович|евич|ьич|ич)$/.test(w) && w.length > 5) return 'male';
    if (/(овна|евна|ична|инична)$/.test(w)) return 'female';
  }
  for (const w of words.slice(1)) {
    if (/(ова|ева|ёва|ина|ына|ская|цкая|ая)$/.test(w)) return 'female';
    if (/(ов|ев|ёв|ин|ын|ский|цкий|ой)$/.test(w)) return 'male';
  }
  const first = words[0];
  if (AMBIGUOUS.has(first)) return null;
  if (MALE_NAMES_IN_A.has(first)) return 'male';
  if (/[ая]$/.test(first)) return 'female';
  if (/[бвгджзклмнпрстфхцчшщй]$/.test(first)) return 'male';
  return null;
};

/** How ids and codes in event data turn into words; the screen passes its translations. */
export type TEventLabels = {
  status: (status: string) => string;
  priority: (priority: string) => string;
  user: (id: number) => string;
  group: (id: number) => string;
  category: (category: string) => string;
  linkKind: (kind: string) => string;
  system: string;
  none: string;
};

/** A translation key under `event.`, the verb under `verb.`, and the values to interpolate. */
export type TEventDescription = {
  key: string;
  verb: string;
  gender: TGender | null;
  values: Record<string, string | number>;
  /** A ticket the sentence refers to (merge, link): the screen renders it as a link. */
  ticketId?: number;
};

const asNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const asString = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const asStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** "+vip, −refund": what changed between two tag lists. */
export const tagChanges = (before: unknown, after: unknown): string => {
  const b = asStrings(before);
  const a = asStrings(after);
  return [
    ...a.filter((t) => !b.includes(t)).map((t) => `+${t}`),
    ...b.filter((t) => !a.includes(t)).map((t) => `−${t}`),
  ].join(', ');
};

/** Names of custom fields whose values differ. */
export const changedFieldNames = (before: unknown, after: unknown): string[] => {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .sort();
};

/** One event as a sentence: "Анна сменила статус: Открыто → Ожидает ответа". */
export const describeEvent = (event: TTicketEvent, labels: TEventLabels): TEventDescription => {
  const isSystem = event.actor.kind === 'system' || !event.actor.name;
  const actor = isSystem ? labels.system : event.actor.name!;
  // "Система" is feminine in Russian; people get a guess from their name.
  const gender: TGender | null = isSystem ? 'female' : genderOf(actor);
  const d = event.data;
  const change = (what: string, label: (v: unknown) => string): TEventDescription => ({
    key: 'changed',
    verb: 'changed',
    gender,
    values: { actor, what, before: label(d.before), after: label(d.after) },
  });
  const idLabel = (fn: (id: number) => string) => (v: unknown) => {
    const id = asNumber(v);
    return id === null ? labels.none : fn(id);
  };
  const textLabel = (fn: (s: string) => string) => (v: unknown) => {
    const s = asString(v);
    return s === null ? labels.none : fn(s);
  };

  switch (event.type) {
    case 'created': {
      const followUpOf = asNumber(d.followUpOf);
      return followUpOf === null
        ? { key: 'created', verb: 'created', gender, values: { actor } }
        : { key: 'created_follow_up', verb: 'created', gender, values: { actor }, ticketId: followUpOf };
    }
    case 'status_changed':
      return change('status', textLabel(labels.status));
    case 'priority_changed':
      return change('priority', textLabel(labels.priority));
    case 'assignee_changed':
      return change('assignee', idLabel(labels.user));
    case 'group_changed':
      return change('group', idLabel(labels.group));
    case 'category_changed':
      return change('category', textLabel(labels.category));
    case 'subject_changed':
      return change(
        'subject',
        textLabel((s) => `«${s}»`),
      );
    case 'booking_changed':
      return change(
        'booking',
        idLabel((id) => `#${id}`),
      );
    case 'requester_changed':
      return d.reason === 'contact_merge'
        ? { key: 'requester_merged', verb: 'merged', gender, values: { actor } }
        : { key: 'requester_changed', verb: 'changed', gender, values: { actor } };
    case 'reopened':
      return { key: 'reopened', verb: 'reopened', gender, values: { actor } };
    case 'tags_changed':
      return {
        key: 'tags',
        verb: 'changed',
        gender,
        values: { actor, changes: tagChanges(d.before, d.after) },
      };
    case 'custom_fields_changed':
      return {
        key: 'fields',
        verb: 'changed',
        gender,
        values: { actor, fields: changedFieldNames(d.before, d.after).join(', ') || labels.none },
      };
    case 'spam_changed':
      return d.after === true
        ? { key: 'spam_on', verb: 'marked', gender, values: { actor } }
        : { key: 'spam_off', verb: 'removed', gender, values: { actor } };
    case 'merged_into':
      return {
        key: 'merged_into',
        verb: 'merged',
        gender,
        values: { actor, ticket: asNumber(d.targetId) ?? '?' },
        ticketId: asNumber(d.targetId) ?? undefined,
      };
    case 'merged_from':
      return {
        key: 'merged_from',
        verb: 'merged',
        gender,
        values: { actor, ticket: asNumber(d.sourceId) ?? '?', subject: asString(d.subject) ?? '' },
        ticketId: asNumber(d.sourceId) ?? undefined,
      };
    case 'linked': {
      const ticket = asNumber(d.ticketId) ?? '?';
      const kind = labels.linkKind(asString(d.kind) ?? 'related');
      return {
        key: d.direction === 'incoming' ? 'linked_incoming' : 'linked',
        verb: 'linked',
        gender,
        values: { actor, ticket, kind },
        ticketId: asNumber(d.ticketId) ?? undefined,
      };
    }
    default:
      return { key: 'other', verb: 'changed', gender, values: { actor, type: event.type } };
  }
};
