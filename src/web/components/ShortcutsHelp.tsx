import { Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const SHORTCUTS: [string[], string][] = [
  [['j'], 'shortcuts.next'],
  [['k'], 'shortcuts.prev'],
  [['Enter'], 'shortcuts.open'],
  [['x'], 'shortcuts.select'],
  [['r'], 'shortcuts.reply'],
  [['n'], 'shortcuts.note'],
  [['/'], 'shortcuts.search'],
  [['?'], 'shortcuts.help'],
  [['Esc'], 'shortcuts.escape'],
];

export const ShortcutsHelp = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} centered>
      <Stack gap="xs">
        {SHORTCUTS.map(([keys, label]) => (
          <Group key={label} justify="space-between">
            <Text size="sm">{t(label)}</Text>
            <Group gap={4}>
              {keys.map((k) => (
                <Kbd key={k}>{k}</Kbd>
              ))}
            </Group>
          </Group>
        ))}
      </Stack>
    </Modal>
  );
};
