/** Zones offered when Intl cannot list them (old engines): the team's own region and the usual ones. */
const FALLBACK_ZONES = [
  'UTC',
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Yakutsk',
  'Asia/Vladivostok',
  'Asia/Magadan',
  'Asia/Kamchatka',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Tbilisi',
  'Asia/Yerevan',
  'Asia/Dubai',
];

/** Every IANA time zone the browser knows, plus UTC (which some engines leave out of the list). */
export const supportedTimeZones = (): string[] => {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  let zones: string[];
  try {
    zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : FALLBACK_ZONES;
  } catch {
    zones = FALLBACK_ZONES;
  }
  return zones.includes('UTC') ? [...zones] : ['UTC', ...zones];
};

/** "+03:00" for Moscow: the zone's offset from UTC at that moment. */
export const utcOffset = (timeZone: string, at: Date): string => {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name.replace(/^GMT/, '');
  return offset === '' ? '+00:00' : offset;
};

export type TZoneGroup = { group: string; items: { value: string; label: string }[] };

/**
 * The zones for a searchable select, grouped by region ("Europe", "Asia", …) with their current
 * offset in the label. The current value is always offered, even when the browser does not list it.
 */
export const timeZoneOptions = (current: string, at: Date, zones = supportedTimeZones()): TZoneGroup[] => {
  const all = current && !zones.includes(current) ? [current, ...zones] : zones;
  const groups = new Map<string, TZoneGroup['items']>();
  for (const zone of [...new Set(all)].sort((a, b) => a.localeCompare(b))) {
    let offset: string;
    try {
      offset = utcOffset(zone, at);
    } catch {
      continue;
    }
    const region = zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'UTC';
    const items = groups.get(region) ?? [];
    items.push({ value: zone, label: `${zone.replaceAll('_', ' ')} (UTC${offset})` });
    groups.set(region, items);
  }
  return [...groups.entries()].map(([group, items]) => ({ group, items }));
};
