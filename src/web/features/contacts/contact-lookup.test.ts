import { describe, expect, it } from 'vitest';
import { contactFiltersToParams, contactLookup, parseContactFilters } from './contact-lookup.ts';

describe('contactLookup', () => {
  it('searches names by default', () => {
    expect(contactLookup('  Анна Соколова ')).toEqual({ q: 'Анна Соколова' });
    expect(contactLookup('anna.s')).toEqual({ q: 'anna.s' });
  });

  it('sends addresses to the email lookup', () => {
    expect(contactLookup('Anna@Example.com')).toEqual({ email: 'Anna@Example.com' });
    expect(contactLookup('anna@')).toEqual({ email: 'anna@' });
  });

  it('sends numbers to the phone lookup, a leading 8 as +7', () => {
    expect(contactLookup('+7 (916) 123-45-67')).toEqual({ phone: '+7 (916) 123-45-67' });
    expect(contactLookup('8 916 123')).toEqual({ phone: '+7916123' });
    expect(contactLookup('7916')).toEqual({ phone: '7916' });
  });

  it('keeps too short numbers and mixed text as a name search', () => {
    expect(contactLookup('12')).toEqual({ q: '12' });
    expect(contactLookup('TD-240044')).toEqual({ q: 'TD-240044' });
  });

  it('asks for nothing when the box is empty', () => {
    expect(contactLookup('   ')).toEqual({});
  });
});

describe('contact filters in the URL', () => {
  it('reads q and a known kind', () => {
    expect(parseContactFilters(new URLSearchParams('q=anna&kind=organizer'))).toEqual({
      q: 'anna',
      kind: 'organizer',
    });
    expect(parseContactFilters(new URLSearchParams('kind=admin'))).toEqual({ q: '', kind: null });
  });

  it('writes only what is set', () => {
    expect(contactFiltersToParams({ q: ' ', kind: null })).toEqual({});
    expect(contactFiltersToParams({ q: 'anna ', kind: 'traveler' })).toEqual({ q: 'anna', kind: 'traveler' });
  });
});
