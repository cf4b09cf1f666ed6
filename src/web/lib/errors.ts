import type { TFunction } from 'i18next';
import { ApiError } from './api.ts';

/**
 * What to tell a person about a failed request, in their language: the error code's
 * translation, else the server's own message. In English the server's message is more
 * specific ("Cannot change status from solved to pending"), so it wins there.
 */
export const errorMessage = (error: unknown, t: TFunction, language: string): string => {
  if (error instanceof ApiError) {
    if (error.code === 'NETWORK') return t('networkError', { ns: 'common' });
    if (language === 'en' && error.message) return error.message;
    return t(`errors.${error.code}`, { ns: 'common', defaultValue: error.message });
  }
  return error instanceof Error ? error.message : String(error);
};
