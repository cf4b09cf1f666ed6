import {
  ActionIcon,
  Alert,
  Box,
  Button,
  CloseButton,
  FileButton,
  Group,
  Menu,
  Paper,
  Tabs,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconLock, IconMessageReply, IconPaperclip, IconSend } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, type RefObject, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMessageKind } from '../../../shared/enums.ts';
import type { TMessage, TTicketDetail } from '../../../shared/schemas/tickets.ts';
import { api } from '../../lib/api.ts';
import {
  fitAttachments,
  formatBytes,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  readAttachment,
  type TAttachmentDraft,
} from './attachments.ts';
import { errorText } from './errors.ts';

const SEND_STATUSES = ['pending', 'solved', 'on_hold'] as const;
type TSendStatus = (typeof SEND_STATUSES)[number];

export type TComposerHandle = { focus: (kind: TMessageKind) => void };

/** Reply / internal note with attachments; Ctrl/Cmd+Enter sends, `r` and `n` focus it. */
export const Composer = ({
  ticket,
  canReply,
  handle,
  onKeystroke,
  onDraftChange,
  onSent,
  notice,
}: {
  ticket: TTicketDetail;
  canReply: boolean;
  handle: RefObject<TComposerHandle | null>;
  /** The agent edited the draft (for the typing signal). */
  onKeystroke: () => void;
  /** Whether there is unsent text or files. */
  onDraftChange: (hasDraft: boolean) => void;
  onSent: (message: TMessage) => void;
  /** Shown right above the text: who else types, what arrived meanwhile. */
  notice?: ReactNode;
}) => {
  const { t, i18n } = useTranslation('tickets');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<TMessageKind>(canReply ? 'reply' : 'note');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<TAttachmentDraft[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const resetFiles = useRef<() => void>(null);

  const disabledReason =
    ticket.mergedIntoId !== null
      ? t('composer.disabledMerged')
      : ticket.status === 'closed'
        ? t('composer.disabledClosed')
        : null;

  const focus = (next: TMessageKind) => {
    if (disabledReason) return;
    setKind(next === 'reply' && !canReply ? 'note' : next);
    // After the tab switch renders.
    requestAnimationFrame(() => textRef.current?.focus());
  };
  useImperativeHandle(handle, () => ({ focus }));
  useHotkeys([
    ['r', () => focus('reply')],
    ['n', () => focus('note')],
  ]);

  const hasDraft = (nextText: string, nextFiles: TAttachmentDraft[]) =>
    nextText.trim().length > 0 || nextFiles.length > 0;

  const send = useMutation({
    mutationFn: (status?: TSendStatus) =>
      api.post<TMessage>(`/tickets/${ticket.id}/messages`, {
        kind,
        text,
        ...(files.length > 0 && {
          attachments: files.map(({ filename, contentType, contentBase64 }) => ({
            filename,
            contentType,
            contentBase64,
          })),
        }),
        ...(status && { status }),
      }),
    onSuccess: (message) => {
      setText('');
      setFiles([]);
      setFileError(null);
      resetFiles.current?.();
      onDraftChange(false);
      onSent(message);
      notifications.show({
        color: 'teal',
        message: kind === 'note' ? t('composer.noteSaved') : t('composer.sent'),
      });
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    },
  });

  const canSend = !disabledReason && !send.isPending && hasDraft(text, files);
  const submit = (status?: TSendStatus) => {
    if (canSend) send.mutate(status);
  };

  const addFiles = async (picked: File[]) => {
    setFileError(null);
    const sized = picked.map((file) => ({ file, sizeBytes: file.size }));
    const { accepted, refused } = fitAttachments(files, sized);
    const errors: string[] = [];
    if (refused.length > 0) {
      errors.push(
        t('composer.tooLarge', {
          count: MAX_ATTACHMENTS,
          size: formatBytes(MAX_ATTACHMENT_BYTES, i18n.language),
          names: refused.map((r) => r.file.name).join(', '),
        }),
      );
    }
    const read: TAttachmentDraft[] = [];
    for (const { file } of accepted) {
      try {
        read.push(await readAttachment(file));
      } catch {
        errors.push(t('composer.readFailed', { name: file.name }));
      }
    }
    if (errors.length > 0) setFileError(errors.join(' '));
    if (read.length === 0) return;
    const next = [...files, ...read];
    setFiles(next);
    onKeystroke();
    onDraftChange(hasDraft(text, next));
  };

  const removeFile = (key: string) => {
    const next = files.filter((f) => f.key !== key);
    setFiles(next);
    onDraftChange(hasDraft(text, next));
  };

  const isNote = kind === 'note';
  const channel = tc(`channel.${ticket.channel}`, { defaultValue: ticket.channel });

  if (disabledReason) {
    return (
      <Paper withBorder p="sm" radius="md" data-testid="composer" data-disabled="true">
        <Text size="sm" c="dimmed">
          {disabledReason}
        </Text>
      </Paper>
    );
  }

  return (
    <Paper
      withBorder
      radius="md"
      className={isNote ? 'td-composer td-composer-note' : 'td-composer'}
      data-testid="composer"
      data-kind={kind}
      component="section"
      aria-label={t('composer.label')}
    >
      <Tabs
        value={kind}
        onChange={(v) => v && focus(v as TMessageKind)}
        variant="default"
        keepMounted={false}
      >
        <Tabs.List px="xs">
          <Tabs.Tab
            value="reply"
            leftSection={<IconMessageReply size={15} />}
            disabled={!canReply}
            data-testid="composer-tab-reply"
          >
            {t('composer.reply')}
          </Tabs.Tab>
          <Tabs.Tab value="note" leftSection={<IconLock size={15} />} data-testid="composer-tab-note">
            {t('composer.note')}
          </Tabs.Tab>
          <Text size="xs" c="dimmed" ml="auto" style={{ alignSelf: 'center' }} visibleFrom="sm">
            {t('composer.hotkeys')}
          </Text>
        </Tabs.List>
      </Tabs>
      <Box p="xs">
        {!canReply && (
          <Text size="xs" c="dimmed" mb={4}>
            {t('composer.noReplyPermission')}
          </Text>
        )}
        {notice}
        <Textarea
          ref={textRef}
          aria-label={t('composer.text')}
          placeholder={isNote ? t('composer.notePlaceholder') : t('composer.replyPlaceholder', { channel })}
          autosize
          minRows={3}
          maxRows={12}
          value={text}
          readOnly={send.isPending}
          onChange={(e) => {
            const next = e.currentTarget.value;
            setText(next);
            onKeystroke();
            onDraftChange(hasDraft(next, files));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
          data-testid="composer-text"
          classNames={{ input: isNote ? 'td-note-input' : undefined }}
        />
        {files.length > 0 && (
          <Group gap={6} mt={6}>
            {files.map((f) => (
              <Group key={f.key} gap={2} className="td-file-chip" wrap="nowrap">
                <IconPaperclip size={12} />
                <Text size="xs" truncate maw={180}>
                  {f.filename}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(f.sizeBytes, i18n.language)}
                </Text>
                <CloseButton
                  size="xs"
                  aria-label={t('composer.removeAttachment', { name: f.filename })}
                  onClick={() => removeFile(f.key)}
                />
              </Group>
            ))}
          </Group>
        )}
        {fileError && (
          <Text size="xs" c="red.7" mt={4} role="alert">
            {fileError}
          </Text>
        )}
        {send.isError && (
          <Alert
            color="red"
            mt="xs"
            p="xs"
            title={t('composer.sendFailed')}
            role="alert"
            data-testid="send-error"
          >
            {errorText(send.error)}
          </Alert>
        )}
        <Group justify="space-between" mt="xs" gap="xs">
          <FileButton onChange={(picked) => void addFiles(picked)} multiple resetRef={resetFiles}>
            {(props) => (
              <Tooltip label={t('composer.attach')}>
                <ActionIcon
                  {...props}
                  variant="subtle"
                  color="gray"
                  size="lg"
                  aria-label={t('composer.attach')}
                  data-testid="attach"
                >
                  <IconPaperclip size={18} />
                </ActionIcon>
              </Tooltip>
            )}
          </FileButton>
          <Group gap={0} wrap="nowrap">
            <Button
              onClick={() => submit()}
              disabled={!canSend}
              loading={send.isPending}
              leftSection={<IconSend size={15} />}
              color={isNote ? 'yellow.8' : undefined}
              className="td-send-main"
              data-testid="send"
            >
              {isNote ? t('composer.sendNote') : t('composer.send')}
            </Button>
            <Menu position="top-end" withinPortal>
              <Menu.Target>
                <Button
                  disabled={!canSend}
                  color={isNote ? 'yellow.8' : undefined}
                  px={8}
                  className="td-send-more"
                  aria-label={t('composer.moreSendOptions')}
                  data-testid="send-menu"
                >
                  <IconChevronDown size={15} />
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('composer.sendAndSet')}</Menu.Label>
                {SEND_STATUSES.map((status) => (
                  <Menu.Item key={status} onClick={() => submit(status)} data-testid={`send-as-${status}`}>
                    {t('composer.sendAs', { status: tc(`status.${status}`) })}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </Box>
    </Paper>
  );
};
