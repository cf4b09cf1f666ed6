import { describe, expect, it } from 'vitest';
import { supportedTimeZones, timeZoneOptions, utcOffset } from './time-zones.ts';

const WINTER = new Date('2026-01-15T12:00:00Z');
const SUMMER = new Date('2026-07-15T12:00:00Z');

describe('time zones', () => {
  it('lists IANA zones including Moscow and UTC', () => {
    const zones = supportedTimeZones();
    expect(zones).toContain('Europe/Moscow');
    expect(zones).toContain('UTC');
    expect(zones.length).toBeGreaterThan(100);
  });

  it('gives the offset at a moment, daylight saving included', () => {
    expect(utcOffset('Europe/Moscow', WINTER)).toBe('+03:00');
    expect(utcOffset('UTC', WINTER)).toBe('+00:00');
    expect(utcOffset('Europe/Berlin', WINTER)).toBe('+01:00');
    expect(utcOffset('Europe/Berlin', SUMMER)).toBe('+02:00');
    expect(utcOffset('Asia/Kolkata', WINTER)).toBe('+05:30');
  });

  it('groups zones by region with readable labels', () => {
    const groups = timeZoneOptions('Europe/Moscow', WINTER, ['Europe/Moscow', 'Asia/Ho_Chi_Minh', 'UTC']);
    expect(groups).toEqual([
      { group: 'Asia', items: [{ value: 'Asia/Ho_Chi_Minh', label: 'Asia/Ho Chi Minh (UTC+07:00)' }] },
      { group: 'Europe', items: [{ value: 'Europe/Moscow', label: 'Europe/Moscow (UTC+03:00)' }] },
      { group: 'UTC', items: [{ value: 'UTC', label: 'UTC (UTC+00:00)' }] },
    ]);
  });

  it('always offers the current value, and drops names the engine rejects', () => {
    const groups = timeZoneOptions('Europe/Kyiv', WINTER, ['Europe/Moscow', 'Not/AZone']);
    const values = groups.flatMap((g) => g.items.map((i) => i.value));
    expect(values).toEqual(['Europe/Kyiv', 'Europe/Moscow']);
  });
});
