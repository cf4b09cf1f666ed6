import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';

/** Asks for a view's name: to save the current filters as a new view, or to rename one. */
export const ViewNameModal = ({
  opened,
  title,
  initialName,
  submitLabel,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  opened: boolean;
  title: string;
  initialName: string;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (name: string) => void;
  onClose: () => void;
}) => {
  const { t, i18n } = useTranslation('inbox');
  const { t: tc } = useTranslation();
  const messageOf = (e: unknown) => (e ? errorMessage(e, t, i18n.language) : null);
  const [name, setName] = useState(initialName);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (opened) {
      setName(initialName);
      setTouched(false);
    }
  }, [opened, initialName]);
  const empty = name.trim().length === 0;

  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!empty) onSubmit(name.trim());
        }}
      >
        <Stack>
          <TextInput
            label={t('saveView.name')}
            placeholder={t('saveView.namePlaceholder')}
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.currentTarget.value)}
            error={(touched && empty ? t('saveView.nameRequired') : null) ?? messageOf(error)}
            data-autofocus
            data-testid="view-name-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {tc('cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="view-name-submit">
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

export const DeleteViewModal = ({
  name,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  name: string | null;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) => {
  const { t, i18n } = useTranslation('inbox');
  const { t: tc } = useTranslation();
  const messageOf = (e: unknown) => (e ? errorMessage(e, t, i18n.language) : null);
  return (
    <Modal opened={name !== null} onClose={onClose} title={t('saveView.deleteTitle')} centered>
      <Stack>
        <Text size="sm">{t('saveView.deleteText', { name: name ?? '' })}</Text>
        {messageOf(error) && (
          <Text size="sm" c="red.7" role="alert">
            {messageOf(error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {tc('cancel')}
          </Button>
          <Button color="red" onClick={onConfirm} loading={busy} data-testid="view-delete-confirm">
            {tc('delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
};
