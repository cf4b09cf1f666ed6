import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type TE2E } from './harness.ts';

/**
 * The agent workspace end to end, in a real chromium against a real server with the demo
 * workspace: the path an agent walks through every shift.
 */
const ANNA = 'anna.sokolova@demo.tourdesk.local';
const DMITRY = 'dmitry.volkov@demo.tourdesk.local';
const ADMIN = 'admin@demo.tourdesk.local';

let e2e: TE2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());

type TMessages = { items: { kind: string; text: string }[] };

/** A GET through the page's own session, as the app itself would make it. */
const apiGet = async <T>(page: Page, path: string): Promise<T> => {
  const res = await page.request.get(`/api/v1${path}`);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
};

describe('agent workspace', () => {
  it('inbox → ticket → reply → status, with a second agent watching live; language; contact bookings', async () => {
    const anna = await e2e.signIn(ANNA);
    const { page } = anna;

    // Inbox: the demo tickets are listed, with counts on the views.
    await page.goto('/inbox/all');
    const rows = page.getByTestId('ticket-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    await expect.poll(() => page.getByTestId('view-all').getAttribute('data-count')).not.toBe('0');
    await e2e.screenshot(page, 'inbox');

    // Keyboard: the first j highlights the first row, the next ones move; Enter opens it.
    // Keys go to whatever has focus, as a person's would: the inbox handles them on the page.
    for (const key of ['j', 'j', 'j', 'k']) await page.keyboard.press(key);
    const chosenId = Number(await rows.nth(1).getAttribute('data-ticket-id'));
    expect(chosenId).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/tickets/${chosenId}`);
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('requester-panel').waitFor();
    await e2e.screenshot(page, 'ticket');

    // A second agent opens the same ticket: each sees the other.
    const dmitry = await e2e.signIn(DMITRY);
    await dmitry.page.goto(`/tickets/${chosenId}`);
    await dmitry.page.getByTestId('timeline').waitFor();
    await expect
      .poll(() => page.getByTestId('collision').textContent(), { timeout: 15_000 })
      .toContain('Дмитрий');
    await expect
      .poll(() => dmitry.page.getByTestId('collision').textContent(), { timeout: 15_000 })
      .toContain('Анна');
    await e2e.screenshot(dmitry.page, 'ticket-collision');

    // Anna replies; the reply is in her timeline, in the API, and reaches Dmitry live.
    const text = `Здравствуйте! Проверили бронирование, всё в порядке. ${Date.now()}`;
    await page.keyboard.press('r');
    await page.getByTestId('composer-text').fill(text);
    await page.getByTestId('send').click();
    await page.getByTestId('message').filter({ hasText: text }).waitFor();
    const messages = await apiGet<TMessages>(page, `/tickets/${chosenId}/messages?limit=100`);
    expect(messages.items.some((m) => m.kind === 'reply' && m.text.includes(text))).toBe(true);
    await dmitry.page.getByTestId('message').filter({ hasText: text }).waitFor({ timeout: 15_000 });

    // Status: pending, saved with the ticket's version.
    await page.getByTestId('status-select').click();
    await page.getByRole('option', { name: 'Ожидает ответа' }).click();
    await expect
      .poll(async () => (await apiGet<{ status: string }>(page, `/tickets/${chosenId}`)).status)
      .toBe('pending');
    await e2e.screenshot(page, 'ticket-after-reply');

    // Language: English and back.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('toggle-language').click();
    await page.getByRole('link', { name: 'Inbox' }).waitFor();
    await e2e.screenshot(page, 'ticket-english');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('toggle-language').click();
    await page.getByRole('link', { name: 'Входящие' }).waitFor();

    // A traveler's profile shows their bookings.
    const bookings = await apiGet<{ items: { travelerId: number }[] }>(page, '/bookings?limit=1');
    await page.goto(`/contacts/${bookings.items[0].travelerId}`);
    await page.getByTestId('contact-profile').waitFor();
    await page.getByTestId('contact-bookings').getByTestId('booking').first().waitFor();
    await e2e.screenshot(page, 'contact');

    await dmitry.context.close();
    await anna.context.close();
  });

  it('search, contacts, profile and admin screens render', async () => {
    const { page, context } = await e2e.signIn(ADMIN);
    await page.goto('/inbox');
    await page.getByTestId('user-menu').waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('Карелия');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/search?q=*');
    await page.getByTestId('search-hit').first().waitFor();
    expect(await page.locator('[data-testid="search-hit"] mark').count()).toBeGreaterThan(0);
    await e2e.screenshot(page, 'search');

    await page.goto('/contacts');
    await page.getByTestId('contact-row').first().waitFor();
    await e2e.screenshot(page, 'contacts');

    await page.goto('/profile');
    await page.getByRole('heading').first().waitFor();
    await e2e.screenshot(page, 'profile');

    await page.goto('/admin');
    await page.getByRole('tab').first().waitFor();
    await e2e.screenshot(page, 'admin');

    // `?` lists the shortcuts.
    await page.goto('/inbox/all');
    await page.getByTestId('ticket-row').first().waitFor();
    await page.keyboard.press('Shift+?');
    await page.getByRole('dialog').getByText('Горячие клавиши').waitFor();
    await context.close();
  });

  it('a tablet-width screen keeps the inbox usable', async () => {
    const { page, context } = await e2e.signIn(ANNA, { width: 820 });
    await page.goto('/inbox/all');
    await page.getByTestId('ticket-row').first().waitFor();
    await e2e.screenshot(page, 'inbox-tablet');
    await context.close();
  });
});
