import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api.ts';
import { errorMessage } from '../lib/errors.ts';

/**
 * A failed action inside a form or dialog: a code the screen knows shows the screen's own words,
 * anything else the error code's translation (as ErrorState does), with the code.
 */
export const ErrorAlert = ({
  error,
  messages = {},
}: {
  error: unknown;
  /** Code → text in the interface language, e.g. { EMAIL_TAKEN: t('emailTaken') }. */
  messages?: Record<string, string>;
}) => {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const known = error instanceof ApiError ? messages[error.code] : undefined;
  const code = error instanceof ApiError && error.code !== 'NETWORK' ? ` (${error.code})` : '';
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="form-error">
      {known ?? `${errorMessage(error, t, i18n.language)}${code}`}
    </Alert>
  );
};
