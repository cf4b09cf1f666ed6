import {
  Alert,
  Button,
  Divider,
  Group,
  Input,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TWorkspaceSettings } from '../../../shared/schemas/auth.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ErrorState, Loading } from '../../components/PageState.tsx';
import { api } from '../../lib/api.ts';
import { fieldErrors, isVersionConflict } from '../../lib/api-errors.ts';
import { useSession } from '../auth/session.tsx';
import { useWorkspaceSettings } from './admin.queries.ts';
import {
  settingsPatch,
  settingsToForm,
  type TSettingsErrors,
  type TSettingsForm,
  toPercent,
  validateSettings,
} from './settings-form.ts';
import { timeZoneOptions } from './time-zones.ts';

const RANGES: Partial<Record<keyof TSettingsForm, { min: number; max: number }>> = {
  csat: { min: 1, max: 5 },
  responseRatePercent: { min: 0, max: 100 },
  resolutionRatePercent: { min: 0, max: 100 },
  autoCloseDays: { min: 1, max: 365 },
};

const SettingsForm = ({ settings }: { settings: TWorkspaceSettings }) => {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const { refresh } = useSession();
  const [base, setBase] = useState(settings);
  const [form, setForm] = useState<TSettingsForm>(() => settingsToForm(settings));
  const [errors, setErrors] = useState<TSettingsErrors>({});
  const [conflict, setConflict] = useState<TWorkspaceSettings | null>(null);
  const zones = useMemo(() => timeZoneOptions(form.timeZone, new Date()), [form.timeZone]);

  const patch = settingsPatch(form, base);
  const dirty = Object.keys(patch).length > 0;

  // A refetch with nothing typed yet shows the fresh values; typing is never overwritten.
  useEffect(() => {
    if (dirty || settings.version === base.version) return;
    setBase(settings);
    setForm(settingsToForm(settings));
  }, [settings, dirty, base.version]);

  const save = useMutation({
    mutationFn: ({ version }: { version: number }) =>
      api.patch<TWorkspaceSettings>('/settings', patch, { ifMatch: version }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['settings'], saved);
      setBase(saved);
      setForm(settingsToForm(saved));
      setConflict(null);
      notifications.show({ color: 'teal', message: t('settings.saved') });
      // The session holds the time zone and targets every screen formats with.
      await refresh();
    },
    onError: async (error) => {
      if (!isVersionConflict(error)) return;
      const fresh = await api.get<TWorkspaceSettings>('/settings');
      queryClient.setQueryData(['settings'], fresh);
      setConflict(fresh);
    },
  });

  const set = <K extends keyof TSettingsForm>(key: K, value: TSettingsForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const number = (v: string | number): number | '' => (typeof v === 'number' ? v : v === '' ? '' : Number(v));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateSettings(form);
    setErrors(found);
    if (Object.keys(found).length > 0 || !dirty) return;
    save.mutate({ version: base.version });
  };

  const server = fieldErrors(save.error);
  const error = (key: keyof TSettingsForm, serverKey?: string) => {
    const code = errors[key];
    if (code === 'required') return t('fieldError.required');
    if (code === 'range') return t('fieldError.range', RANGES[key]);
    return serverKey ? server[serverKey] : undefined;
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={760}>
        {conflict && (
          <Alert color="orange" title={t('conflict.title')} data-testid="version-conflict">
            <Stack gap={6}>
              <Text size="sm">{t('conflict.text')}</Text>
              <Text size="sm" fw={600}>
                {t('settings.conflictValues', {
                  name: conflict.name,
                  timeZone: conflict.timeZone,
                  csat: conflict.targets.csat,
                  responseRate: toPercent(conflict.targets.responseRate),
                  resolutionRate: toPercent(conflict.targets.resolutionRate),
                })}
              </Text>
              <Text size="sm">{t('conflict.notSaved')}</Text>
              <Group gap="xs">
                <Button
                  size="xs"
                  color="orange"
                  onClick={() => {
                    setConflict(null);
                    save.mutate({ version: conflict.version });
                  }}
                >
                  {t('conflict.applyMine')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => {
                    setBase(conflict);
                    setForm(settingsToForm(conflict));
                    setConflict(null);
                    save.reset();
                  }}
                >
                  {t('conflict.takeTheirs')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {save.isError && !isVersionConflict(save.error) && <ErrorAlert error={save.error} />}

        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Title order={4}>{t('settings.general')}</Title>
            <TextInput
              label={t('settings.name')}
              value={form.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={error('name', 'name')}
              required
              maxLength={200}
            />
            <Select
              label={t('settings.timeZone')}
              description={t('settings.timeZoneHint')}
              placeholder={t('settings.timeZoneSearch')}
              value={form.timeZone}
              onChange={(v) => v && set('timeZone', v)}
              data={zones}
              searchable
              allowDeselect={false}
              nothingFoundMessage={t('settings.noTimeZone')}
              error={error('timeZone', 'timeZone')}
              maxDropdownHeight={320}
              data-testid="settings-time-zone"
            />
            <Input.Wrapper
              label={t('settings.locale')}
              description={t('settings.localeHint')}
              labelElement="div"
              labelProps={{ id: 'settings-locale-label' }}
            >
              <SegmentedControl
                aria-labelledby="settings-locale-label"
                value={form.locale}
                onChange={(v) => set('locale', v === 'en' ? 'en' : 'ru')}
                data={[
                  { value: 'ru', label: t('common:languages.ru') },
                  { value: 'en', label: t('common:languages.en') },
                ]}
                w="fit-content"
                mt={4}
              />
            </Input.Wrapper>
            <NumberInput
              label={t('settings.autoCloseDays')}
              description={t('settings.autoCloseDaysHint')}
              value={form.autoCloseDays}
              onChange={(v) => set('autoCloseDays', number(v))}
              min={1}
              max={365}
              allowDecimal={false}
              allowNegative={false}
              error={error('autoCloseDays', 'autoCloseDays')}
              w={260}
            />
          </Stack>
        </Paper>

        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <div>
              <Title order={4}>{t('settings.targets')}</Title>
              <Text size="sm" c="dimmed">
                {t('settings.targetsHint')}
              </Text>
            </div>
            <Divider />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <NumberInput
                label={t('settings.csat')}
                description={t('settings.csatHint')}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                value={form.csat}
                onChange={(v) => set('csat', number(v))}
                min={1}
                max={5}
                step={0.1}
                decimalScale={2}
                allowNegative={false}
                error={error('csat', 'targets')}
                data-testid="settings-csat"
              />
              <NumberInput
                label={t('settings.responseRate')}
                description={t('settings.responseRateHint')}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                value={form.responseRatePercent}
                onChange={(v) => set('responseRatePercent', number(v))}
                min={0}
                max={100}
                step={1}
                decimalScale={2}
                suffix="%"
                allowNegative={false}
                error={error('responseRatePercent', 'targets')}
                data-testid="settings-response-rate"
              />
              <NumberInput
                label={t('settings.resolutionRate')}
                description={t('settings.resolutionRateHint')}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                value={form.resolutionRatePercent}
                onChange={(v) => set('resolutionRatePercent', number(v))}
                min={0}
                max={100}
                step={1}
                decimalScale={2}
                suffix="%"
                allowNegative={false}
                error={error('resolutionRatePercent', 'targets')}
                data-testid="settings-resolution-rate"
              />
            </SimpleGrid>
          </Stack>
        </Paper>

        <Group justify="flex-end" gap="xs">
          <Button
            variant="default"
            disabled={!dirty || save.isPending}
            onClick={() => {
              setForm(settingsToForm(base));
              setErrors({});
              save.reset();
            }}
          >
            {t('settings.reset')}
          </Button>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={!dirty || conflict !== null}
            data-testid="settings-save"
          >
            {t('common:save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
};

/** Workspace settings: name, time zone, default language, KPI targets, auto-close. */
export const SettingsTab = () => {
  const settings = useWorkspaceSettings();
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <SettingsForm settings={settings.data} />;
};
