import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startSmtpSink, type TSmtpSink } from '../smtp-sink.ts';
import { startE2E, type TE2E } from './harness.ts';

/**
 * The admin "Email" tab and the delivery badge in a real chromium against a real server (its
 * job queue running), sending to a real SMTP sink.
 */
const ADMIN = 'admin@demo.tourdesk.local';

let e2e: TE2E;
let sink: TSmtpSink;
beforeAll(async () => {
  e2e = await startE2E();
  sink = await startSmtpSink();
}, 180_000);
afterAll(async () => {
  await sink?.close();
  await e2e?.close();
});

describe('email settings and delivery state', () => {
  it('adds a mailbox, tests its server, and an emailed reply shows queued → sent, then a failure', async () => {
    const { context, page } = await e2e.signIn(ADMIN);
    await page.goto('/admin/email');
    await page.getByTestId('mailboxes-tab').waitFor();
    await page.getByText('Почтовых ящиков пока нет').waitFor();

    // Create: required fields are checked before sending.
    await page.getByTestId('mailbox-add').click();
    const form = page.getByTestId('mailbox-form');
    await form.getByRole('button', { name: 'Создать' }).click();
    await expect.poll(() => form.getByText('Заполните поле').count()).toBe(3);
    await form.getByLabel(/^Адрес/).fill('help@e2e.example');
    await form.getByLabel(/^Имя отправителя/).fill('Поддержка E2E');
    await form.getByLabel(/^Подпись/).fill('Команда E2E');
    await form.getByTestId('mailbox-smtp-host').fill('127.0.0.1');
    await form.getByLabel(/^Порт/).fill(String(sink.port));
    await form.getByRole('button', { name: 'Создать' }).click();
    await page.getByTestId('mailbox-row').waitFor();
    await expect.poll(() => page.getByTestId('mailbox-row').textContent()).toContain('127.0.0.1');

    // Test connection: the stored settings work; a dead port is reported with its error.
    await page.getByTestId('mailbox-edit').click();
    await page.getByTestId('mailbox-test').click();
    await page.locator('[data-testid="mailbox-test-result"][data-ok="true"]').waitFor();
    await form.getByLabel(/^Порт/).fill(String(await closedPort()));
    await page.getByTestId('mailbox-test').click();
    await page.locator('[data-testid="mailbox-test-result"][data-ok="false"]').waitFor();
    expect(await page.getByTestId('mailbox-test-result').textContent()).toContain('ECONNREFUSED');
    await e2e.screenshot(page, 'email-mailbox-test');
    await form.getByRole('button', { name: 'Отмена' }).click();

    // Reply on an email ticket whose requester has an address.
    const ticketId = await page.evaluate(async () => {
      const list = await (await fetch('/api/v1/tickets?channel=email&status=new,open&limit=50')).json();
      for (const item of list.items as { id: number }[]) {
        const detail = await (await fetch(`/api/v1/tickets/${item.id}`)).json();
        if (detail.requester.email) return item.id;
      }
      return null;
    });
    expect(ticketId).not.toBeNull();
    await page.goto(`/tickets/${ticketId}`);
    await page.getByTestId('composer-text').fill('Ответ уходит письмом');
    await page.getByTestId('send').click();
    // The badge turns to "sent" by itself: the job's event arrives on the stream.
    const sent = page.locator('[data-testid="delivery-badge"][data-delivery="sent"]');
    await sent.waitFor();
    expect(await sent.textContent()).toContain('отправлено');
    await sent.hover();
    await page.getByText(/Ответ сервера: 250/).waitFor();
    await e2e.screenshot(page, 'email-delivery-sent');
    expect(sink.messages).toHaveLength(1);
    const email = await PostalMime.parse(sink.messages[0].raw);
    expect(email.subject).toMatch(new RegExp(`\\[#${ticketId}\\]$`));
    expect(email.text).toContain('Ответ уходит письмом');
    expect(email.text).toContain('Команда E2E');

    sink.refuseAll({ code: 550, text: '5.1.1 User unknown' });
    await page.getByTestId('composer-text').fill('Этот не дойдёт');
    await page.getByTestId('send').click();
    const failed = page.locator('[data-testid="delivery-badge"][data-delivery="failed"]');
    await failed.waitFor();
    await failed.hover();
    await page.getByText('Ответ сервера: 550 5.1.1 User unknown').waitFor();
    await e2e.screenshot(page, 'email-delivery-failed');
    sink.refuseAll(null);
    await context.close();
  });
});
