import { Alert, Button, Group, Input, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TContactKind } from '../../../shared/enums.ts';
import type { TContact, TUpdateContactRequest } from '../../../shared/schemas/contacts.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { api } from '../../lib/api.ts';
import { isVersionConflict } from '../../lib/api-errors.ts';
import type { TContactDetail } from './contacts.queries.ts';

/** Edit a contact's name and kind; a concurrent save shows the fresh values instead of overwriting. */
export const EditContactModal = ({
  contact,
  opened,
  onClose,
}: {
  contact: TContactDetail;
  opened: boolean;
  onClose: () => void;
}) => {
  const { t } = useTranslation('contacts');
  const queryClient = useQueryClient();
  const [name, setName] = useState(contact.name);
  const [kind, setKind] = useState<TContactKind>(contact.kind);
  const [base, setBase] = useState<Pick<TContact, 'name' | 'kind' | 'version'>>(contact);
  const [conflict, setConflict] = useState<TContactDetail | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the form starts over each time it opens, not on every refetch.
  useEffect(() => {
    if (!opened) return;
    setName(contact.name);
    setKind(contact.kind);
    setBase(contact);
    setConflict(null);
  }, [opened]);

  const save = useMutation({
    mutationFn: ({ body, version }: { body: TUpdateContactRequest; version: number }) =>
      api.patch<TContact>(`/contacts/${contact.id}`, body, { ifMatch: version }),
    onSuccess: (updated) => {
      queryClient.setQueryData<TContactDetail>(['contact', contact.id], (old) =>
        old ? { ...old, ...updated } : old,
      );
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      notifications.show({ color: 'teal', message: t('edit.saved') });
      onClose();
    },
    onError: async (error) => {
      if (!isVersionConflict(error)) return;
      const fresh = await api.get<TContactDetail>(`/contacts/${contact.id}`);
      queryClient.setQueryData(['contact', contact.id], fresh);
      setConflict(fresh);
    },
  });

  const body: TUpdateContactRequest = {
    ...(name.trim() !== base.name && { name: name.trim() }),
    ...(kind !== base.kind && { kind }),
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(body).length === 0) return onClose();
    save.mutate({ body, version: base.version });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('edit.title')} centered>
      <form onSubmit={submit}>
        <Stack>
          {conflict ? (
            <Alert color="orange" title={t('edit.conflictTitle')} data-testid="version-conflict">
              <Stack gap={6}>
                <Text size="sm">{t('edit.conflictText')}</Text>
                <Text size="sm" fw={600}>
                  {conflict.name || t('noName')} · {t(`common:contactKind.${conflict.kind}`)}
                </Text>
                <Text size="sm">{t('edit.conflictNotSaved')}</Text>
                <Group gap="xs">
                  <Button
                    size="xs"
                    color="orange"
                    onClick={() => {
                      // The same changes as against the original, so the other edits stay.
                      setConflict(null);
                      save.mutate({ body, version: conflict.version });
                    }}
                  >
                    {t('edit.applyMine')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => {
                      setName(conflict.name);
                      setKind(conflict.kind);
                      setBase(conflict);
                      setConflict(null);
                      save.reset();
                    }}
                  >
                    {t('edit.takeTheirs')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          ) : (
            save.isError && <ErrorAlert error={save.error} />
          )}
          <TextInput
            label={t('edit.name')}
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
          />
          <Input.Wrapper label={t('edit.kind')} labelElement="div" labelProps={{ id: 'contact-kind-label' }}>
            <SegmentedControl
              aria-labelledby="contact-kind-label"
              value={kind}
              onChange={(v) => setKind(v as TContactKind)}
              data={[
                { value: 'traveler', label: t('common:contactKind.traveler') },
                { value: 'organizer', label: t('common:contactKind.organizer') },
              ]}
              fullWidth
              mt={4}
            />
          </Input.Wrapper>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={conflict !== null}>
              {t('common:save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};
