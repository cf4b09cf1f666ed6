import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TContactKind } from '../../../shared/enums.ts';

const KIND_COLOR: Record<TContactKind, string> = { traveler: 'blue', organizer: 'grape' };

export const ContactKindBadge = ({ kind }: { kind: TContactKind }) => {
  const { t } = useTranslation();
  return (
    <Badge
      color={KIND_COLOR[kind]}
      variant="light"
      size="sm"
      data-kind={kind}
      style={{ minWidth: 'max-content' }}
    >
      {t(`contactKind.${kind}`)}
    </Badge>
  );
};
