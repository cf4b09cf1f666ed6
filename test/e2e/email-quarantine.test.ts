import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, rawMail } from '../email.ts';
import { startE2E, type TE2E } from './harness.ts';

/** The admin "Email quarantine" tab in a real chromium against a real server: list, retry, discard. */
const ADMIN = 'admin@demo.tourdesk.local';
const TOO_DEEP = fs.readFileSync(
  path.join(import.meta.dirname, '..', 'fixtures', 'mime', '05-nesting-too-deep.eml'),
);

let e2e: TE2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());

describe('email quarantine', () => {
  it('shows held mail with its reason; retry imports what can be fixed; discard moves it aside', async () => {
    const intake = e2e.server.app.services.inboundEmail;
    await createMailbox(e2e.server.database, { address: 'help@e2e.example' });
    const broken = await intake.ingest({
      mailboxId: null,
      raw: TOO_DEEP,
      source: 'smtp',
      recipients: ['help@e2e.example'],
    });
    const early = await intake.ingest({
      mailboxId: null,
      source: 'imap',
      raw: rawMail([
        'From: Вера <vera@traveler.example>',
        'To: late@e2e.example',
        'Subject: Письмо для нового ящика',
        'Message-ID: <e2e-late@traveler.example>',
      ]),
    });
    expect([broken.outcome, early.outcome]).toEqual(['quarantined', 'quarantined']);

    const { context, page } = await e2e.signIn(ADMIN);
    await page.goto('/admin/quarantine');
    await page.getByTestId('quarantine').waitFor();
    await expect.poll(() => page.getByTestId('quarantine-row').count()).toBe(2);
    const deepRow = page.getByTestId('quarantine-row').filter({ hasText: 'Russian doll' });
    const lateRow = page.getByTestId('quarantine-row').filter({ hasText: 'Письмо для нового ящика' });
    expect(await deepRow.getByTestId('quarantine-reason').textContent()).toContain(
      'Maximum MIME nesting depth',
    );
    expect(await lateRow.getByTestId('quarantine-reason').textContent()).toContain(
      'No mailbox for any recipient',
    );
    await e2e.screenshot(page, 'email-quarantine');

    // The mailbox now exists: a retry imports the message into a ticket and it leaves the held list.
    await createMailbox(e2e.server.database, { address: 'late@e2e.example' });
    await lateRow.getByTestId('quarantine-retry').click();
    await page.getByText(/Письмо загружено: обращение #\d+/).waitFor();
    await expect.poll(() => page.getByTestId('quarantine-row').count()).toBe(1);

    // Still unparseable: the retry says why, the row stays with a second attempt counted.
    await deepRow.getByTestId('quarantine-retry').click();
    await page.getByText(/Снова не получилось/).waitFor();
    await expect.poll(() => deepRow.textContent()).toContain('2 попытки');

    await deepRow.getByTestId('quarantine-discard').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Удалить' }).click();
    await page.getByText('Письмо удалено из карантина').waitFor();
    await page.getByText('Карантин пуст').waitFor();
    await page
      .locator('label')
      .filter({ hasText: /^Удалены$/ })
      .click();
    await expect.poll(() => page.getByTestId('quarantine-row').textContent()).toContain('Russian doll');
    await context.close();
  });
});
