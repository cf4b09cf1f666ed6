import { describe, expect, it } from 'vitest';
import { deliveryView } from './delivery.ts';

describe('deliveryView', () => {
  it('queued without attempts waits; with attempts it is retrying and shows the refusal', () => {
    expect(deliveryView({ status: 'queued', detail: null, attempts: 0 })).toEqual({
      state: 'queued',
      color: 'gray',
      lines: [{ key: 'queuedHint' }],
    });
    expect(deliveryView({ status: 'queued', detail: '451 4.7.1 Try later', attempts: 2 })).toEqual({
      state: 'retrying',
      color: 'orange',
      lines: [
        { key: 'retryingHint', values: { attempts: 2 } },
        { key: 'answer', values: { answer: '451 4.7.1 Try later' } },
      ],
    });
  });

  it('sent, failed and bounced carry the server’s answer when there is one', () => {
    expect(deliveryView({ status: 'sent', detail: '250 OK queued', attempts: 1 }).lines).toEqual([
      { key: 'sentHint' },
      { key: 'answer', values: { answer: '250 OK queued' } },
    ]);
    expect(deliveryView({ status: 'failed', detail: '550 No such user', attempts: 1 })).toMatchObject({
      state: 'failed',
      color: 'red',
    });
    expect(deliveryView({ status: 'bounced', detail: ' ', attempts: 1 }).lines).toEqual([
      { key: 'bouncedHint' },
    ]);
  });
});
