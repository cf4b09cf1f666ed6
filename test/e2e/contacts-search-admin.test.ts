import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type TE2E } from './harness.ts';

/**
 * Contacts, search, the admin area and the profile in a real chromium against a real server
 * with the demo workspace.
 */
const ADMIN = 'admin@demo.tourdesk.local';
const ANNA = 'anna.sokolova@demo.tourdesk.local';

let e2e: TE2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());

/** A write through the page's own session (cookie and CSRF token), as another tab would make it. */
const apiWrite = async (
  page: Page,
  method: 'POST' | 'PATCH',
  path: string,
  body: unknown,
  ifMatch?: number,
) =>
  page.evaluate(
    async ({ method, path, body, ifMatch }) => {
      const csrf = document.cookie.match(/tourdesk_csrf=([^;]+)/)?.[1] ?? '';
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': csrf,
          ...(ifMatch !== undefined && { 'if-match': `"${ifMatch}"` }),
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    { method, path, body, ifMatch },
  );

describe('contacts, search, admin, profile', () => {
  it('finds a contact, shows bookings and tickets, edits and merges', async () => {
    const { context, page } = await e2e.signIn(ADMIN);
    await page.goto('/contacts');
    await page.getByTestId('contact-row').first().waitFor();

    // Lookup by email prefix, then by kind.
    const traveler = (await page.evaluate(async () => (await fetch('/api/v1/bookings?limit=1')).json()))
      .items[0].travelerId as number;
    const contact = await page.evaluate(
      async (id) => (await fetch(`/api/v1/contacts/${id}`)).json(),
      traveler,
    );
    await page.getByTestId('contact-search').fill(contact.email.slice(0, contact.email.indexOf('@') + 1));
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(1);
    await page.getByTestId('contact-search').fill('');
    await page.getByText('Организатор', { exact: true }).first().click();
    await expect
      .poll(async () =>
        page
          .locator('[data-testid=contact-row] [data-kind]')
          .evaluateAll((els) => els.every((e) => e.getAttribute('data-kind') === 'organizer')),
      )
      .toBe(true);

    // The profile: bookings with the trip countdown, tickets on every channel.
    await page.goto(`/contacts/${traveler}`);
    await page.getByTestId('contact-profile').waitFor();
    await page.getByTestId('contact-bookings').getByTestId('booking').first().waitFor();
    expect(await page.getByTestId('trip-badge').count()).toBeGreaterThan(0);
    await page.getByTestId('contact-ticket').first().waitFor();
    await e2e.screenshot(page, 'contact-profile');

    // A concurrent edit is shown, not overwritten; "save mine" keeps the other change.
    await page.getByRole('button', { name: 'Изменить' }).click();
    await page.getByRole('dialog').getByLabel('Имя').fill('Переименованный контакт');
    const fresh = await page.evaluate(async (id) => (await fetch(`/api/v1/contacts/${id}`)).json(), traveler);
    await apiWrite(page, 'PATCH', `/contacts/${traveler}`, { kind: 'organizer' }, fresh.version);
    await page.getByRole('dialog').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('version-conflict').waitFor();
    await page.getByRole('button', { name: 'Сохранить мои поверх' }).click();
    await page.getByTestId('contact-name').filter({ hasText: 'Переименованный контакт' }).waitFor();
    expect(await page.locator('[data-testid=contact-name] + [data-kind]').getAttribute('data-kind')).toBe(
      'organizer',
    );

    // Merge a duplicate in: its identities come over, the duplicate points here.
    const duplicate = await apiWrite(page, 'POST', '/contacts', {
      kind: 'traveler',
      name: 'Дубликат Контакта',
      email: 'duplicate.e2e@example.org',
    });
    await page.getByTestId('merge-open').click();
    await page.getByTestId('merge-search').fill('duplicate.e2e@');
    await page.getByTestId('merge-candidate').first().getByRole('button').click();
    await page.getByTestId('merge-confirm').waitFor();
    await page.getByRole('button', { name: 'Объединить', exact: true }).click();
    await page.getByTestId('merge-result').waitFor();
    await page.getByRole('button', { name: 'Готово' }).click();
    await expect
      .poll(() => page.getByTestId('identity').allTextContents())
      .toContain('duplicate.e2e@example.org');
    await page.goto(`/contacts/${duplicate.json.id}`);
    await page.getByTestId('merged-into').waitFor();
    await context.close();
  });

  it('searches with highlights, filters by type and opens hits from the keyboard', async () => {
    const { context, page } = await e2e.signIn(ANNA);
    await page.locator('body').press('/');
    await page.keyboard.type('возврат');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await page.getByTestId('search-hit').first().waitFor();
    expect(await page.locator('[data-testid=search-hit] mark').count()).toBeGreaterThan(0);
    // Snippets are text: no markup from the server other than <mark> reaches the page.
    expect(await page.locator('[data-testid=search-hit] :is(script, b, i, a)').count()).toBe(0);
    await e2e.screenshot(page, 'search');

    await page.locator('body').press('j');
    const href = await page.locator('[data-testid=search-hit][data-selected]').getAttribute('href');
    await page.locator('body').press('Enter');
    await page.waitForURL((url) => url.pathname + url.hash === href);

    await page.goto('/search?q=возврат&type=message');
    await page.getByTestId('search-hit').first().waitFor();
    const types = await page.getByTestId('search-hit').evaluateAll((els) => els.map((e) => e.dataset.type));
    expect(new Set(types)).toEqual(new Set(['message']));

    await page.goto('/search?q=zzqqxxnothing');
    await page.getByText(/Ничего не нашлось/).waitFor();
    await context.close();
  });

  it('admin: users, groups, a token shown once, workspace settings; an agent has no access', async () => {
    const { context, page } = await e2e.signIn(ADMIN);
    await page.goto('/admin');
    await page.waitForURL(/\/admin\/users$/);
    await page.getByTestId('user-row').first().waitFor();

    const dialog = page.getByRole('dialog');
    await page.getByTestId('user-add').click();
    await dialog.getByLabel('Электронная почта').fill('e2e.agent@demo.tourdesk.local');
    await dialog.getByLabel('Имя').fill('Агент Проверочный');
    await dialog.getByLabel('Пароль').fill('e2e-password');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    const row = page.getByTestId('user-row').filter({ hasText: 'Агент Проверочный' });
    await row.waitFor();
    await row.getByTestId('user-role').click();
    await page.getByRole('option', { name: 'Руководитель' }).click();
    await page.getByText(/Роль изменена/).waitFor();

    await page.getByTestId('admin-tab-groups').click();
    await page.getByTestId('group-add').click();
    await dialog.getByLabel('Название').fill('Проверочная группа');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await page.getByTestId('group-card').filter({ hasText: 'Проверочная группа' }).waitFor();

    await page.getByTestId('admin-tab-tokens').click();
    await page.getByTestId('token-add').click();
    await dialog.getByLabel('Название').fill('E2E');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    const secret = (await page.getByTestId('token-secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    const status = await page.evaluate(
      async (token) =>
        (await fetch('/api/v1/bookings?limit=1', { headers: { authorization: `Bearer ${token}` } })).status,
      secret,
    );
    expect(status).toBe(200);
    await page.getByRole('button', { name: 'Я сохранил токен' }).click();
    await page.getByTestId('token-row').first().waitFor();
    expect(await page.getByText(secret).count()).toBe(0);

    await page.getByTestId('admin-tab-settings').click();
    await page.getByTestId('settings-response-rate').fill('20');
    await page.getByTestId('settings-save').click();
    await page.getByText('Настройки сохранены').waitFor();
    const settings = await page.evaluate(async () => (await fetch('/api/v1/settings')).json());
    expect(settings.targets).toEqual({ csat: 4.8, responseRate: 0.2, resolutionRate: 0.97 });
    await e2e.screenshot(page, 'admin-settings');
    await context.close();

    const agent = await e2e.signIn(ANNA);
    await agent.page.goto('/admin/settings');
    await agent.page.getByTestId('no-access').waitFor();
    await agent.context.close();
  });

  it('profile: a wrong current password is the form’s error; the language switches at once', async () => {
    const { context, page } = await e2e.signIn(ANNA);
    await page.goto('/profile');
    await page.getByLabel('Текущий пароль').fill('not-my-password');
    await page.getByLabel(/^Новый пароль( \*)?$/).fill('brand-new-pass');
    await page.getByLabel('Новый пароль ещё раз').fill('brand-new-pass');
    await page.getByTestId('password-submit').click();
    await page.getByText('Текущий пароль введён неверно').waitFor();
    // Still signed in: the 401 belonged to the form.
    expect(await page.getByTestId('user-menu').count()).toBe(1);

    await page.getByTestId('profile-language').getByText('English').click();
    await page.getByText('Interface language').waitFor();
    await expect
      .poll(async () => (await page.evaluate(async () => (await fetch('/api/v1/me')).json())).user.locale)
      .toBe('en');
    await context.close();
  });
});
