import { Anchor, Badge, Box, Group, Image, Modal, Paper, Text, Tooltip, UnstyledButton } from '@mantine/core';
import {
  IconChevronDown,
  IconChevronRight,
  IconDownload,
  IconLock,
  IconMail,
  IconPaperclip,
} from '@tabler/icons-react';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMessage } from '../../../shared/schemas/tickets.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { formatBytes, isPreviewableImage } from './attachments.ts';
import { deliveryView } from './delivery.ts';
import { splitQuoted } from './quoted-text.ts';
import { toSafeNodes } from './safe-html.ts';

/** Sanitized HTML in a box of its own: its markup cannot style or script the page around it. */
const HtmlContent = ({ html }: { html: string }) => {
  const { t } = useTranslation('tickets');
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.replaceChildren(...toSafeNodes(html, (alt) => t('message.imageBlocked', { alt })));
  }, [html, t]);
  return <div ref={ref} className="td-message-html" />;
};

const Body = ({ html, text }: { html: string | null; text: string }) =>
  html !== null ? <HtmlContent html={html} /> : <div className="td-message-text">{text}</div>;

const Attachments = ({ message }: { message: TMessage }) => {
  const { t, i18n } = useTranslation('tickets');
  const [preview, setPreview] = useState<TMessage['attachments'][number] | null>(null);
  if (message.attachments.length === 0) return null;
  const images = message.attachments.filter((a) => isPreviewableImage(a.contentType));
  const files = message.attachments.filter((a) => !isPreviewableImage(a.contentType));
  return (
    <Box mt="sm" aria-label={t('message.attachments')} component="section">
      {images.length > 0 && (
        <Group gap="xs" mb={files.length > 0 ? 'xs' : 0}>
          {images.map((a) => (
            <UnstyledButton
              key={a.id}
              onClick={() => setPreview(a)}
              aria-label={t('message.preview', { name: a.filename })}
              className="td-thumb"
              data-testid="attachment-image"
            >
              <Image
                src={a.url}
                alt={a.filename}
                h={88}
                w="auto"
                maw={160}
                fit="cover"
                radius="sm"
                loading="lazy"
              />
            </UnstyledButton>
          ))}
        </Group>
      )}
      {files.map((a) => (
        <Group key={a.id} gap={6} wrap="nowrap">
          <IconPaperclip size={14} color="var(--mantine-color-gray-6)" />
          <Anchor
            href={a.url}
            download={a.filename}
            size="sm"
            aria-label={t('message.download', { name: a.filename })}
            data-testid="attachment-file"
          >
            {a.filename}
          </Anchor>
          <Text size="xs" c="dimmed">
            {formatBytes(a.sizeBytes, i18n.language)}
          </Text>
        </Group>
      ))}
      <Modal
        opened={preview !== null}
        onClose={() => setPreview(null)}
        title={preview?.filename}
        size="auto"
        centered
      >
        {preview && (
          <Box>
            <img src={preview.url} alt={preview.filename} className="td-preview-image" />
            <Group justify="flex-end" mt="xs">
              <Anchor href={preview.url} download={preview.filename} size="sm">
                <Group gap={4}>
                  <IconDownload size={14} />
                  {t('message.download', { name: preview.filename })}
                </Group>
              </Anchor>
            </Group>
          </Box>
        )}
      </Modal>
    </Box>
  );
};

/** Where the message's email is: queued, retrying, sent, failed; the server's answer in the tooltip. */
const DeliveryBadge = ({ delivery }: { delivery: NonNullable<TMessage['delivery']> }) => {
  const { t } = useTranslation('tickets');
  const view = deliveryView(delivery);
  const lines = view.lines.map((line) => t(`delivery.${line.key}`, line.values));
  return (
    <Tooltip
      label={
        <Box maw={360}>
          {lines.map((line) => (
            <Text key={line} size="xs" style={{ wordBreak: 'break-word' }}>
              {line}
            </Text>
          ))}
        </Box>
      }
      multiline
      withArrow
    >
      <Badge
        color={view.color}
        variant="light"
        size="sm"
        tt="none"
        leftSection={<IconMail size={11} />}
        tabIndex={0}
        aria-label={`${t('delivery.label')}: ${t(`delivery.${view.state}`)}. ${lines.join('. ')}`}
        data-testid="delivery-badge"
        data-delivery={view.state}
      >
        {t(`delivery.${view.state}`)}
      </Badge>
    </Tooltip>
  );
};

/** One reply or note: author, channel, time, body with the quoted history folded, attachments. */
export const MessageItem = ({ message, highlighted }: { message: TMessage; highlighted?: boolean }) => {
  const { t, i18n } = useTranslation('tickets');
  const { t: tc } = useTranslation();
  const [showQuoted, setShowQuoted] = useState(false);
  const split = useMemo(() => splitQuoted(message), [message]);
  const isNote = message.kind === 'note';
  const fromStaff = message.authorKind !== 'contact';
  const channel =
    message.channel === 'internal'
      ? t('channel.internal')
      : tc(`channel.${message.channel}`, { defaultValue: message.channel });
  const role =
    message.authorKind === 'agent'
      ? t('message.agent')
      : message.authorKind === 'system'
        ? t('message.system')
        : t('message.customer');

  return (
    <Paper
      component="article"
      id={`message-${message.id}`}
      data-testid="message"
      data-kind={message.kind}
      data-message-id={message.id}
      className={`td-message ${isNote ? 'td-message-note' : fromStaff ? 'td-message-staff' : 'td-message-customer'}${highlighted ? ' td-message-highlight' : ''}`}
      p="sm"
      radius="md"
      withBorder
      aria-label={`${message.authorName || role} · ${formatDateTime(message.createdAt, i18n.language)}`}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap" mb={6} align="flex-start">
        <Group gap={8} wrap="wrap" style={{ minWidth: 0 }}>
          <Text fw={600} size="sm" truncate>
            {message.authorName || role}
          </Text>
          <Text size="xs" c="dimmed">
            {role}
          </Text>
          {isNote ? (
            <Badge
              variant="filled"
              size="sm"
              tt="none"
              className="td-note-badge"
              leftSection={<IconLock size={11} />}
              data-testid="note-label"
            >
              {t('message.note')}
            </Badge>
          ) : (
            <Badge color="gray" variant="dot" size="sm" tt="none" title={t('message.channel')}>
              {channel}
            </Badge>
          )}
          {message.isAuto && (
            <Badge color="gray" variant="outline" size="xs">
              {t('message.auto')}
            </Badge>
          )}
          {message.delivery && <DeliveryBadge delivery={message.delivery} />}
        </Group>
        <Tooltip label={formatRelative(message.createdAt, i18n.language)} openDelay={400}>
          <Text
            component="time"
            dateTime={message.createdAt}
            size="xs"
            c="dimmed"
            style={{ whiteSpace: 'nowrap' }}
          >
            {formatDateTime(message.createdAt, i18n.language)}
          </Text>
        </Tooltip>
      </Group>

      <Body html={split.isHtml ? split.visible : null} text={split.visible} />

      {split.quoted !== null && (
        <Box mt={6}>
          <UnstyledButton
            onClick={() => setShowQuoted((v) => !v)}
            aria-expanded={showQuoted}
            className="td-quote-toggle"
            data-testid="quoted-toggle"
          >
            <Group gap={4}>
              {showQuoted ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
              <Text size="xs">{showQuoted ? t('message.hideQuoted') : t('message.showQuoted')}</Text>
            </Group>
          </UnstyledButton>
          {showQuoted && (
            <Box className="td-quoted" data-testid="quoted-text">
              <Body html={split.isHtml ? split.quoted : null} text={split.quoted} />
            </Box>
          )}
        </Box>
      )}

      <Attachments message={message} />
    </Paper>
  );
};
