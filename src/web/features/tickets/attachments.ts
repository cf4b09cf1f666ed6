/** Files the composer sends as base64 (ZAttachmentInput), and how attachments are shown. */
export type TAttachmentDraft = {
  key: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  contentBase64: string;
};

/** At most this many files per message (the API's limit). */
export const MAX_ATTACHMENTS = 20;
/** Raw bytes per message: base64 grows them by a third and the API takes 10 MB bodies. */
export const MAX_ATTACHMENT_BYTES = 7 * 1024 * 1024;

/** Bytes as base64 without a data-URL prefix, in chunks so large files do not overflow the stack. */
export const bytesToBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
};

let counter = 0;

/** Reads a picked file into an attachment ready to send. */
export const readAttachment = async (file: File): Promise<TAttachmentDraft> => ({
  key: `${Date.now()}-${counter++}`,
  filename: file.name || 'file',
  contentType: file.type || 'application/octet-stream',
  sizeBytes: file.size,
  contentBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())),
});

/** Image types the server serves as images (others download as octet-stream). */
export const isPreviewableImage = (contentType: string): boolean =>
  /^image\/(png|jpeg|gif|webp)$/i.test(contentType);

/** 1.2 MB, 340 KB, 12 B. */
export const formatBytes = (bytes: number, lang: string): string => {
  const units = lang === 'en' ? ['B', 'KB', 'MB', 'GB'] : ['Б', 'КБ', 'МБ', 'ГБ'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
};

/** Which picked files fit: the count and total size limits, in order; the rest are refused. */
export const fitAttachments = <T extends { sizeBytes: number }>(
  current: readonly { sizeBytes: number }[],
  incoming: readonly T[],
): { accepted: T[]; refused: T[] } => {
  let total = current.reduce((sum, a) => sum + a.sizeBytes, 0);
  let count = current.length;
  const accepted: T[] = [];
  const refused: T[] = [];
  for (const a of incoming) {
    if (count < MAX_ATTACHMENTS && total + a.sizeBytes <= MAX_ATTACHMENT_BYTES) {
      accepted.push(a);
      total += a.sizeBytes;
      count++;
    } else refused.push(a);
  }
  return { accepted, refused };
};
