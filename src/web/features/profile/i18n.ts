/** Strings of the profile screens; `ru` and `en` must have the same keys (checked by i18n.test.ts). */
export const ru = {};

export const en: typeof ru = {};
