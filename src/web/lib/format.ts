/** Dates and numbers in the workspace time zone, in the interface language. */
let timeZone = 'Europe/Moscow';

export const setTimeZone = (tz: string) => {
  timeZone = tz;
};
export const getTimeZone = () => timeZone;

const localeTag = (lang: string) => (lang === 'en' ? 'en-GB' : 'ru-RU');

const cache = new Map<string, Intl.DateTimeFormat>();
const formatter = (lang: string, options: Intl.DateTimeFormatOptions) => {
  const key = `${lang}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(localeTag(lang), { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
};

/** 25.11.2026, 14:05 */
export const formatDateTime = (iso: string | null | undefined, lang: string): string =>
  iso ? formatter(lang, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso)) : '—';

/** 25 нояб. 2026 г. */
export const formatDate = (iso: string | null | undefined, lang: string): string =>
  iso
    ? formatter(lang, { dateStyle: 'medium' }).format(
        new Date(`${iso.length === 10 ? `${iso}T12:00:00Z` : iso}`),
      )
    : '—';

/** 14:05 today, else the date. */
export const formatShort = (iso: string | null | undefined, lang: string, now = new Date()): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  const day = formatter(lang, { dateStyle: 'short' });
  return day.format(d) === day.format(now)
    ? formatter(lang, { timeStyle: 'short' }).format(d)
    : formatter(lang, { day: 'numeric', month: 'short' }).format(d);
};

/** "5 минут назад", "in 3 days". */
export const formatRelative = (iso: string | null | undefined, lang: string, now = Date.now()): string => {
  if (!iso) return '—';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(localeTag(lang), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  return formatDate(iso, lang);
};

export const formatMoney = (amount: number, currency: string, lang: string): string =>
  new Intl.NumberFormat(localeTag(lang), { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    amount,
  );
