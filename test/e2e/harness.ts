import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/server/config.ts';
import { createLogger } from '../../src/server/logger.ts';
import { startServer, type TRunningServer } from '../../src/server/server.ts';
import { createEmptyServerDatabase, serverUrl } from '../database.ts';

/** Debian's chromium, installed by .ci/run; nothing downloads a browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'demo12345';
export const ARTIFACTS_DIR = path.resolve('test-artifacts/e2e');

/** Builds the web app when its sources are newer than the build (the same step npm start runs). */
export const buildWebApp = () => {
  const result = spawnSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web app failed');
};

export type TE2E = {
  server: TRunningServer;
  browser: Browser;
  /** A fresh browser context (its own cookies) signed in as this demo user. */
  signIn: (email: string, options?: { width?: number }) => Promise<{ context: BrowserContext; page: Page }>;
  screenshot: (page: Page, name: string) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * A real tourdesk server on a free port with its own data directory and the demo workspace
 * (on PGlite, or on a throw-away PostgreSQL database when DATABASE_URL is set), and a
 * headless Debian chromium to drive it.
 */
export const startE2E = async (): Promise<TE2E> => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  buildWebApp();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tourdesk-e2e-'));
  const base = serverUrl();
  const serverDatabase = base ? await createEmptyServerDatabase(base) : undefined;
  const config = loadConfig({
    DATABASE_URL: serverDatabase?.url,
    TOURDESK_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    TOURDESK_SMTP_PORT: '0',
    TOURDESK_DEMO: 'true',
    LOG_LEVEL: 'silent',
    TOURDESK_ADMIN_PASSWORD: 'admin-e2e-password',
  });
  const server = await startServer(config, createLogger('silent'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });

  const signIn = async (email: string, options: { width?: number } = {}) => {
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: options.width ?? 1280, height: 860 },
      locale: 'ru-RU',
      timezoneId: 'Europe/Moscow',
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel(/Электронная почта|Email/).fill(email);
    await page.getByLabel(/^Пароль|^Password/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /Войти|Sign in/ }).click();
    await page.getByTestId('user-menu').waitFor();
    return { context, page };
  };

  return {
    server,
    browser,
    signIn,
    screenshot: async (page, name) => {
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: false });
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.close();
      await serverDatabase?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
