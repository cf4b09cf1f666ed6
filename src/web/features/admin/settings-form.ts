import type { TWorkspaceSettings } from '../../../shared/schemas/auth.ts';

/**
 * The settings form: rates as percents (the API keeps fractions 0..1), CSAT on the 1–5 scale.
 * Empty number inputs are ''.
 */
export type TSettingsForm = {
  name: string;
  timeZone: string;
  locale: 'ru' | 'en';
  csat: number | '';
  responseRatePercent: number | '';
  resolutionRatePercent: number | '';
  autoCloseDays: number | '';
};

export type TSettingsPatch = {
  name?: string;
  timeZone?: string;
  locale?: 'ru' | 'en';
  targets?: { csat?: number; responseRate?: number; resolutionRate?: number };
  autoCloseDays?: number;
};

// Percent ↔ fraction without float noise: 15 → 0.15, not 0.15000000000000002.
const round = (value: number, digits: number) => Number(value.toFixed(digits));
export const toPercent = (fraction: number) => round(fraction * 100, 2);
export const toFraction = (percent: number) => round(percent / 100, 4);

export const settingsToForm = (s: TWorkspaceSettings): TSettingsForm => ({
  name: s.name,
  timeZone: s.timeZone,
  locale: s.locale,
  csat: s.targets.csat,
  responseRatePercent: toPercent(s.targets.responseRate),
  resolutionRatePercent: toPercent(s.targets.resolutionRate),
  autoCloseDays: s.autoCloseDays,
});

export type TSettingsErrors = Partial<Record<keyof TSettingsForm, 'required' | 'range'>>;

const inRange = (v: number | '', min: number, max: number) => v !== '' && v >= min && v <= max;

/** The same bounds the API checks, so the form says what is wrong before saving. */
export const validateSettings = (form: TSettingsForm): TSettingsErrors => {
  const errors: TSettingsErrors = {};
  if (!form.name.trim()) errors.name = 'required';
  if (!form.timeZone) errors.timeZone = 'required';
  if (!inRange(form.csat, 1, 5)) errors.csat = form.csat === '' ? 'required' : 'range';
  if (!inRange(form.responseRatePercent, 0, 100))
    errors.responseRatePercent = form.responseRatePercent === '' ? 'required' : 'range';
  if (!inRange(form.resolutionRatePercent, 0, 100))
    errors.resolutionRatePercent = form.resolutionRatePercent === '' ? 'required' : 'range';
  if (!inRange(form.autoCloseDays, 1, 365) || !Number.isInteger(form.autoCloseDays))
    errors.autoCloseDays = form.autoCloseDays === '' ? 'required' : 'range';
  return errors;
};

/** Only what changed against the settings the form was opened on: a save never rewrites untouched fields. */
export const settingsPatch = (form: TSettingsForm, base: TWorkspaceSettings): TSettingsPatch => {
  const patch: TSettingsPatch = {};
  if (form.name.trim() !== base.name) patch.name = form.name.trim();
  if (form.timeZone !== base.timeZone) patch.timeZone = form.timeZone;
  if (form.locale !== base.locale) patch.locale = form.locale;
  const targets: NonNullable<TSettingsPatch['targets']> = {};
  if (form.csat !== '' && form.csat !== base.targets.csat) targets.csat = form.csat;
  if (form.responseRatePercent !== '' && toFraction(form.responseRatePercent) !== base.targets.responseRate)
    targets.responseRate = toFraction(form.responseRatePercent);
  if (
    form.resolutionRatePercent !== '' &&
    toFraction(form.resolutionRatePercent) !== base.targets.resolutionRate
  )
    targets.resolutionRate = toFraction(form.resolutionRatePercent);
  if (Object.keys(targets).length > 0) patch.targets = targets;
  if (form.autoCloseDays !== '' && form.autoCloseDays !== base.autoCloseDays)
    patch.autoCloseDays = form.autoCloseDays;
  return patch;
};
