import type { TContactKind } from '../../../shared/enums.ts';

/** How the contact list is asked for what someone typed into the search box. */
export type TContactLookup = { q?: string; email?: string; phone?: string };

const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/**
 * An address goes to the email lookup and a number to the phone lookup (the server normalises
 * both); anything else searches names and identities by prefix. Russian habit: a leading 8 is +7.
 */
export const contactLookup = (input: string): TContactLookup => {
  const text = input.trim();
  if (!text) return {};
  if (text.includes('@')) return { email: text };
  const digits = text.replace(/\D/g, '');
  if (PHONE_LIKE.test(text) && digits.length >= 3) {
    return { phone: !text.startsWith('+') && digits.startsWith('8') ? `+7${digits.slice(1)}` : text };
  }
  return { q: text };
};

export type TContactFilters = { q: string; kind: TContactKind | null };

/** The list's filters from the address bar; an unknown kind is ignored. */
export const parseContactFilters = (params: URLSearchParams): TContactFilters => {
  const kind = params.get('kind');
  return {
    q: params.get('q') ?? '',
    kind: kind === 'traveler' || kind === 'organizer' ? kind : null,
  };
};

/** The address-bar form of the filters, without empty values. */
export const contactFiltersToParams = (filters: TContactFilters): Record<string, string> => ({
  ...(filters.q.trim() && { q: filters.q.trim() }),
  ...(filters.kind && { kind: filters.kind }),
});
