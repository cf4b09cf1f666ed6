import { describe, expect, it } from 'vitest';
import type { TWorkspaceSettings } from '../../../shared/schemas/auth.ts';
import { settingsPatch, settingsToForm, toFraction, toPercent, validateSettings } from './settings-form.ts';

const SETTINGS: TWorkspaceSettings = {
  name: 'tourdesk',
  timeZone: 'Europe/Moscow',
  locale: 'ru',
  targets: { csat: 4.8, responseRate: 0.15, resolutionRate: 0.97 },
  autoCloseDays: 4,
  version: 3,
};

describe('settings form', () => {
  it('shows rates as percents without float noise', () => {
    expect(settingsToForm(SETTINGS)).toEqual({
      name: 'tourdesk',
      timeZone: 'Europe/Moscow',
      locale: 'ru',
      csat: 4.8,
      responseRatePercent: 15,
      resolutionRatePercent: 97,
      autoCloseDays: 4,
    });
    expect(toPercent(0.07)).toBe(7);
    expect(toPercent(0.145)).toBe(14.5);
    expect(toFraction(15)).toBe(0.15);
    expect(toFraction(14.5)).toBe(0.145);
  });

  it('sends nothing when nothing changed', () => {
    expect(settingsPatch(settingsToForm(SETTINGS), SETTINGS)).toEqual({});
  });

  it('sends only changed fields, rates as fractions', () => {
    const form = {
      ...settingsToForm(SETTINGS),
      name: ' Care ',
      responseRatePercent: 20,
      timeZone: 'Asia/Omsk',
    };
    expect(settingsPatch(form, SETTINGS)).toEqual({
      name: 'Care',
      timeZone: 'Asia/Omsk',
      targets: { responseRate: 0.2 },
    });
  });

  it('checks the bounds the API checks', () => {
    const form = settingsToForm(SETTINGS);
    expect(validateSettings(form)).toEqual({});
    expect(
      validateSettings({
        ...form,
        name: ' ',
        csat: 5.5,
        responseRatePercent: '',
        resolutionRatePercent: 101,
        autoCloseDays: 0,
      }),
    ).toEqual({
      name: 'required',
      csat: 'range',
      responseRatePercent: 'required',
      resolutionRatePercent: 'range',
      autoCloseDays: 'range',
    });
  });
});
