import { describe, expect, it } from 'vitest';
import {
  bytesToBase64,
  fitAttachments,
  formatBytes,
  isPreviewableImage,
  MAX_ATTACHMENT_BYTES,
} from './attachments.ts';

describe('attachments', () => {
  it('encodes bytes as base64', () => {
    expect(bytesToBase64(new TextEncoder().encode('tourdesk'))).toBe(
      Buffer.from('tourdesk').toString('base64'),
    );
    const big = new Uint8Array(100_000).map((_, i) => i % 256);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('previews only images the server serves as images', () => {
    expect(isPreviewableImage('image/png')).toBe(true);
    expect(isPreviewableImage('image/svg+xml')).toBe(false);
    expect(isPreviewableImage('application/pdf')).toBe(false);
  });

  it('refuses files past the size limit', () => {
    const { accepted, refused } = fitAttachments(
      [{ sizeBytes: MAX_ATTACHMENT_BYTES - 10 }],
      [{ sizeBytes: 5 }, { sizeBytes: 6 }],
    );
    expect(accepted).toEqual([{ sizeBytes: 5 }]);
    expect(refused).toEqual([{ sizeBytes: 6 }]);
  });

  it('formats sizes', () => {
    expect(formatBytes(12, 'en')).toBe('12 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024, 'ru')).toBe('5 МБ');
  });
});
