import { describe, expect, it } from 'vitest';
import type { TTicketFilters } from '../../../shared/schemas/tickets.ts';
import {
  countActiveFilters,
  hasOverrides,
  mergeFilters,
  parseOverrides,
  serializeOverrides,
  type TOverrides,
  toListQuery,
  withOverride,
} from './inbox-filters.ts';

const myOpen: TTicketFilters = { assigneeId: 'me', status: ['new', 'open', 'pending', 'on_hold'] };

describe('inbox filters ↔ URL', () => {
  it('parses every filter from the query string', () => {
    expect(
      parseOverrides(
        '?status=open,pending&priority=urgent&channel=email,telegram&category=refund&tag=vip' +
          '&requesterKind=organizer&assigneeId=7&tripStartsWithinDays=14&sort=priority_desc',
      ),
    ).toEqual({
      status: ['open', 'pending'],
      priority: ['urgent'],
      channel: ['email', 'telegram'],
      category: 'refund',
      tag: 'vip',
      requesterKind: 'organizer',
      assigneeId: 7,
      tripStartsWithinDays: 14,
      sort: 'priority_desc',
    });
  });

  it('reads an empty value as "lift the view filter" and ignores what it does not know', () => {
    expect(parseOverrides('assigneeId=&status=&foo=bar')).toEqual({ assigneeId: null, status: null });
    expect(
      parseOverrides(
        'status=bogus&priority=high,nope&assigneeId=-3&tripStartsWithinDays=999&sort=random&requesterKind=alien',
      ),
    ).toEqual({ priority: ['high'] });
    expect(parseOverrides('tag=two%20words&assigneeId=99999999999')).toEqual({});
    expect(parseOverrides('assigneeId=me')).toEqual({ assigneeId: 'me' });
    expect(parseOverrides('assigneeId=none&tripStartsWithinDays=0')).toEqual({
      assigneeId: 'none',
      tripStartsWithinDays: 0,
    });
  });

  it('puts multi-value filters in canonical order without duplicates', () => {
    expect(parseOverrides('status=solved,new,open,new')).toEqual({ status: ['new', 'open', 'solved'] });
  });

  it('round-trips through the URL', () => {
    const overrides: TOverrides = {
      status: ['open', 'on_hold'],
      category: 'booking change/перенос',
      tag: 'trip-soon',
      assigneeId: null,
      tripStartsWithinDays: 3,
      sort: 'created_asc',
    };
    const qs = serializeOverrides(overrides);
    expect(qs).toBe(
      'status=open,on_hold&category=booking%20change%2F%D0%BF%D0%B5%D1%80%D0%B5%D0%BD%D0%BE%D1%81&tag=trip-soon&assigneeId=&tripStartsWithinDays=3&sort=created_asc',
    );
    expect(parseOverrides(qs)).toEqual(overrides);
    expect(serializeOverrides({})).toBe('');
  });
});

describe('inbox filters on top of a view', () => {
  it('overrides replace the view value, null removes it, the rest stays', () => {
    expect(
      mergeFilters({ ...myOpen, groupId: 3 }, { status: ['pending'], assigneeId: null, tag: 'vip' }),
    ).toEqual({ status: ['pending'], groupId: 3, tag: 'vip' });
  });

  it('setting the view’s own value drops the override', () => {
    const o = withOverride(myOpen, { assigneeId: 'none' }, 'assigneeId', 'me');
    expect(o).toEqual({});
    expect(withOverride(myOpen, {}, 'status', ['on_hold', 'pending', 'open', 'new'])).toEqual({});
  });

  it('clearing a filter the view sets lifts it; clearing one it does not set removes the override', () => {
    expect(withOverride(myOpen, {}, 'assigneeId', undefined)).toEqual({ assigneeId: null });
    expect(withOverride(myOpen, {}, 'status', [])).toEqual({ status: null });
    expect(withOverride(myOpen, { tag: 'vip' }, 'tag', undefined)).toEqual({});
    expect(withOverride(myOpen, { tag: 'vip' }, 'tag', '')).toEqual({});
  });

  it('stores multi-value choices in canonical order', () => {
    expect(withOverride({}, {}, 'priority', ['urgent', 'low'])).toEqual({ priority: ['low', 'urgent'] });
  });

  it('treats the default sort as no override unless the view sorts otherwise', () => {
    expect(withOverride({}, { sort: 'created_desc' }, 'sort', 'updated_desc')).toEqual({});
    expect(withOverride({ sort: 'priority_desc' }, {}, 'sort', 'updated_desc')).toEqual({
      sort: 'updated_desc',
    });
    expect(withOverride({ sort: 'priority_desc' }, {}, 'sort', undefined)).toEqual({ sort: 'updated_desc' });
  });

  it('builds the list query and counts what is set', () => {
    const filters = mergeFilters(myOpen, { priority: ['high', 'urgent'], tripStartsWithinDays: 0 });
    expect(toListQuery(filters)).toEqual({
      assigneeId: 'me',
      status: ['new', 'open', 'pending', 'on_hold'],
      priority: ['high', 'urgent'],
      tripStartsWithinDays: 0,
    });
    expect(countActiveFilters({ ...filters, sort: 'created_asc', groupId: 2 })).toBe(4);
    expect(hasOverrides({})).toBe(false);
    expect(hasOverrides({ assigneeId: null })).toBe(true);
  });
});
