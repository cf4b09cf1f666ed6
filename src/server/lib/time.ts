import { DateTime } from 'luxon';

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export const calendarDate = (at: Date, timeZone: string): string =>
  DateTime.fromJSDate(at, { zone: timeZone }).toISODate() ?? at.toISOString().slice(0, 10);

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round(
    DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days,
  );

/** Adds calendar days to a YYYY-MM-DD date. */
export const addDays = (date: string, days: number): string =>
  DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
