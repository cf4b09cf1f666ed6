import type { TDelivery } from '../../../shared/schemas/mailboxes.ts';

/** How a message's email delivery shows: a badge (label key, colour) and the lines of its tooltip. */
export type TDeliveryView = {
  state: 'queued' | 'retrying' | 'sent' | 'failed' | 'bounced';
  color: string;
  /** Translation keys under `delivery.` with their values, one tooltip line each. */
  lines: { key: string; values?: Record<string, string | number> }[];
};

/** Queued with attempts behind it means the server refused and a retry is coming. */
export const deliveryView = (delivery: TDelivery): TDeliveryView => {
  const answer = delivery.detail?.trim()
    ? [{ key: 'answer', values: { answer: delivery.detail.trim() } }]
    : [];
  const attempts = { attempts: delivery.attempts };
  switch (delivery.status) {
    case 'queued':
      return delivery.attempts > 0
        ? {
            state: 'retrying',
            color: 'orange',
            lines: [{ key: 'retryingHint', values: attempts }, ...answer],
          }
        : { state: 'queued', color: 'gray', lines: [{ key: 'queuedHint' }] };
    case 'sent':
      return { state: 'sent', color: 'teal', lines: [{ key: 'sentHint' }, ...answer] };
    case 'failed':
      return { state: 'failed', color: 'red', lines: [{ key: 'failedHint', values: attempts }, ...answer] };
    case 'bounced':
      return { state: 'bounced', color: 'red', lines: [{ key: 'bouncedHint' }, ...answer] };
  }
};
